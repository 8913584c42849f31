/** pusher/connection: the handshake, `pusher:connection_established`, socket ids, refused connections. */
import { PusherEvent, SOCKET_ID_PATTERN, frameData } from '../../../spec/protocol/frames.ts';
import { openPusherSocket, pusherErrorCode, pusherUrl } from '../../clients/pusher-socket.ts';
import { openWireSocket, type WireSocket } from '../../clients/wire-socket.ts';
import { CheckFailure, type Case, type CaseContext } from '../../types.ts';
import { expectDistinct, expectEqual, expectIncludes, expectMatch, expectThat } from '../../verify.ts';
import { member, publish, subscribed, uniq, waitForData } from './helpers.ts';

/**
 * A refused connection: the hub sends `pusher:error {code}` and/or closes with `code`. Either form
 * carrying the code passes; the connection must end.
 */
export async function expectEndedWith(ctx: CaseContext, url: string, code: number, what: string): Promise<void> {
  let sock: WireSocket;
  try {
    sock = await openWireSocket(ctx, { url });
  } catch (err) {
    if (err instanceof CheckFailure)
      throw new CheckFailure(
        `connection ${what} was refused before the WebSocket opened`,
        `close or pusher:error with code ${code}`,
        err.actual,
      );
    throw err;
  }
  const close = await sock.waitForClose(5000, `the hub ending the connection ${what}`);
  const errorCodes = sock.frames.filter((f) => f.event === PusherEvent.ERROR).map(pusherErrorCode);
  if (close.code === code || errorCodes.includes(code)) return;
  throw new CheckFailure(
    `connection ${what} ended without code ${code}`,
    `close code ${code} (or pusher:error with code ${code})`,
    `close ${close.code}${close.reason ? ` "${close.reason}"` : ''}; pusher:error codes seen: ${errorCodes.length ? errorCodes.join(', ') : 'none'}`,
  );
}

export const connectionCases: Case[] = [
  {
    requirement: 'pusher/connection/1',
    desc: 'Connects to /app/{key}?protocol=7&client=hubproof&version=0.1.0 with the target app key',
    async run(ctx: CaseContext) {
      const sock = await openPusherSocket(ctx);
      ctx.expect(sock.isOpen, 'connection is not open after pusher:connection_established');
    },
  },
  {
    requirement: 'pusher/connection/2',
    desc: 'Connects and checks that the first frame received is pusher:connection_established',
    async run(ctx: CaseContext) {
      const sock = await openPusherSocket(ctx);
      expectEqual(sock.invalid, [], 'hub sent a non-Pusher frame before connection_established');
      expectEqual(sock.frames[0]?.event, PusherEvent.CONNECTION_ESTABLISHED, 'first frame is not pusher:connection_established');
    },
  },
  {
    requirement: 'pusher/connection/3',
    desc: 'Connects and checks that connection_established data is a JSON string with socket_id and activity_timeout',
    async run(ctx: CaseContext) {
      const sock = await openPusherSocket(ctx);
      const raw = sock.established!.data;
      expectThat(raw, (x) => typeof x === 'string', 'a JSON string', 'connection_established data is not a string');
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw as string);
      } catch {
        ctx.fail('connection_established data is not JSON', {
          expected: '{"socket_id":"…","activity_timeout":n} as a string',
          actual: raw,
        });
      }
      expectThat(parsed, (p) => p !== null && typeof p === 'object', 'a JSON object', 'data lacks socket_id or activity_timeout');
      expectIncludes(Object.keys(parsed as object), ['socket_id', 'activity_timeout'], 'data lacks socket_id or activity_timeout');
    },
  },
  {
    requirement: 'pusher/connection/4',
    desc: 'Opens five connections and checks each socket_id matches \\d+\\.\\d+ and all differ',
    async run(ctx: CaseContext) {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await openPusherSocket(ctx)).socketId);
      for (const id of ids) expectMatch(id, SOCKET_ID_PATTERN, `socket_id ${id} does not match \\d+\\.\\d+`);
      expectDistinct(ids, 'two open connections share a socket_id');
    },
  },
  {
    requirement: 'pusher/connection/5',
    desc: 'Connects and checks that activity_timeout is a positive integer',
    async run(ctx: CaseContext) {
      const sock = await openPusherSocket(ctx);
      const data = frameData<{ activity_timeout?: unknown }>(sock.established!);
      const t = data?.activity_timeout;
      expectThat(
        t,
        (x) => typeof x === 'number' && Number.isInteger(x) && x > 0,
        'an integer > 0 (seconds)',
        'activity_timeout is not a positive integer',
      );
    },
  },
  {
    requirement: 'pusher/connection/6',
    desc: 'Connects with an unknown app key and expects the connection to end with 4001',
    run: (ctx) => expectEndedWith(ctx, pusherUrl(ctx, { key: uniq('unknown-key-') }), 4001, 'with an unknown app key'),
  },
  {
    requirement: 'pusher/connection/7',
    desc: 'Connects with protocol=99 and expects the connection to end with 4007',
    run: (ctx) => expectEndedWith(ctx, pusherUrl(ctx, { query: { protocol: '99' } }), 4007, 'with protocol=99'),
  },
  {
    requirement: 'pusher/connection/8',
    desc: 'Connects without a protocol parameter and expects the connection to end with 4008',
    run: (ctx) => expectEndedWith(ctx, pusherUrl(ctx, { query: { protocol: null } }), 4008, 'without a protocol parameter'),
  },
  {
    requirement: 'pusher/connection/9',
    desc: 'Pings, subscribes to public, private and presence channels, receives an event, and checks every frame is a JSON object with a string event',
    async run(ctx: CaseContext) {
      const [pub, priv, pres] = [uniq(), uniq('private-'), uniq('presence-')];
      const sock = await subscribed(ctx, [pub, priv]);
      await sock.subscribe(pres, { channelData: member('u-1', { name: 'Ada' }) });
      sock.send({ event: PusherEvent.PING, data: {} });
      await sock.waitForEvent(PusherEvent.PONG);
      const data = JSON.stringify({ n: 1 });
      await publish(ctx, pub, 'hp-event', data);
      await waitForData(sock, pub, 'hp-event', data);
      expectEqual(sock.invalid, [], 'hub sent a frame that is not a JSON object with a string event');
    },
  },
  {
    requirement: 'pusher/connection/10',
    desc: 'Publishes a JSON string with odd spacing and a plain non-JSON string, and checks subscribers get both strings unchanged',
    async run(ctx: CaseContext) {
      const channel = uniq();
      const sock = await subscribed(ctx, channel);
      for (const data of ['{ "a" : 1,"b":[ true ,null ] , "s":"é ✓"}', 'plain text, not JSON ✓']) {
        await publish(ctx, channel, 'hp-raw', data);
        const f = await sock.waitFor((x) => x.event === 'hp-raw' && x.channel === channel, { desc: `hp-raw on ${channel}` });
        expectEqual(f.data, data, 'event data was not relayed unchanged as a string');
      }
    },
  },
];
