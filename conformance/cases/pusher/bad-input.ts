/**
 * pusher/bad-input: malformed frames get pusher:error and change nothing else — the connection, its
 * subscriptions and other connections keep working.
 */
import { PusherEvent } from '../../../spec/protocol/frames.ts';
import { pusherApi } from '../../clients/http.ts';
import { type PusherSocket } from '../../clients/pusher-socket.ts';
import { isEvent } from '../../clients/wire-socket.ts';
import { CheckFailure, type Case, type CaseContext } from '../../types.ts';
import { closeCodeCause } from '../../root-cause.ts';
import { needs } from '../../needs.ts';
import { expectEvery, expectStatus, expectThat } from '../../verify.ts';
import { expectAlive, expectDelivers, expectNoneBeforeSentinel, expectPusherError, subscribed, uniq } from './helpers.ts';

/** A connection subscribed to one public channel, to prove it still works after the bad input. */
async function victim(ctx: CaseContext): Promise<{ sock: PusherSocket; channel: string }> {
  const channel = uniq();
  return { sock: await subscribed(ctx, channel), channel };
}

async function stillWorks(ctx: CaseContext, sock: PusherSocket, channel: string, why: string): Promise<void> {
  await expectAlive(sock, why, ctx);
  await expectDelivers(ctx, sock, channel, why);
}

export const badInputCases: Case[] = [
  {
    requirement: 'pusher/bad-input/1',
    desc: 'Sends three text frames that are not valid JSON and expects a pusher:error for each while the connection and its subscription keep working',
    async run(ctx: CaseContext) {
      const { sock, channel } = await victim(ctx);
      for (const bad of ['{"event": "pusher:ping", ', 'not json', '{event: pusher:ping}']) {
        sock.sendRaw(bad);
        await expectPusherError(sock, `malformed JSON ${JSON.stringify(bad)}`);
      }
      await stillWorks(ctx, sock, channel, 'after malformed JSON');
    },
  },
  {
    requirement: 'pusher/bad-input/1',
    desc: 'Sends a binary frame holding bytes that are not UTF-8 JSON and expects a pusher:error while the connection keeps working',
    async run(ctx: CaseContext) {
      const { sock, channel } = await victim(ctx);
      sock.sendRaw(Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x80]));
      await expectPusherError(sock, 'a binary non-JSON frame');
      await stillWorks(ctx, sock, channel, 'after a binary frame');
    },
  },
  {
    requirement: 'pusher/bad-input/2',
    desc: 'Sends JSON frames without a string event ({"data":{}}, {"event":5}, [1,2], "text", null) and expects a pusher:error for each, connection working',
    async run(ctx: CaseContext) {
      const { sock, channel } = await victim(ctx);
      for (const bad of ['{"data":{}}', '{"event":5,"data":{}}', '[1,2]', '"text"', 'null']) {
        sock.sendRaw(bad);
        await expectPusherError(sock, bad);
      }
      await stillWorks(ctx, sock, channel, 'after frames without an event');
    },
  },
  {
    requirement: 'pusher/bad-input/3',
    desc: 'Sends an unknown pusher:hp-unknown event and checks the connection stays open and subscribed',
    async run(ctx: CaseContext) {
      const { sock, channel } = await victim(ctx);
      sock.send({ event: 'pusher:hp-unknown', data: { x: 1 } });
      await stillWorks(ctx, sock, channel, 'after an unknown pusher: event');
    },
  },
  {
    requirement: 'pusher/bad-input/4',
    desc: 'Sends pusher:subscribe with data as a string, null, and with channel as a number, an array and an object, and expects a pusher:error for each and no subscription',
    async run(ctx: CaseContext) {
      const { sock, channel } = await victim(ctx);
      const numeric = Math.floor(Math.random() * 1e9) + 1e9;
      for (const data of ['hp-string-data', null, { channel: numeric }, { channel: [uniq()] }, { channel: { name: uniq() } }]) {
        sock.send({ event: PusherEvent.SUBSCRIBE, data });
        await expectPusherError(sock, `pusher:subscribe with data ${JSON.stringify(data)}`);
      }
      const info = await pusherApi(ctx).channel(String(numeric));
      expectThat(
        info.json,
        (j) => (j as { occupied?: unknown } | undefined)?.occupied !== true,
        'the channel not occupied',
        `hub subscribed the connection to channel "${numeric}" from a numeric channel`,
      );
      await stillWorks(ctx, sock, channel, 'after malformed subscribes');
    },
  },
  {
    requirement: 'pusher/bad-input/5',
    desc: 'Sends a 2 MB frame on one connection and expects pusher:error or close 1009 there, while another connection keeps working',
    async run(ctx: CaseContext) {
      const { sock: other, channel } = await victim(ctx);
      const { sock } = await victim(ctx);
      sock.send({ event: 'client-huge', channel: uniq('private-'), data: { pad: 'z'.repeat(2 * 1024 * 1024) } });
      const err = await sock
        .waitFor(isEvent(PusherEvent.ERROR), { desc: 'pusher:error for an oversize frame', timeoutMs: 5000, fresh: true })
        .catch(() => undefined);
      if (!err) {
        const close = sock.closeInfo ?? (await sock.waitForClose(1000, 'close 1009 for an oversize frame'));
        expectThat(close, (c) => c.code === 1009, 'pusher:error, or close 1009', `oversize frame ended the connection with ${close.code}`);
      }
      await stillWorks(ctx, other, channel, 'on another connection after an oversize frame');
    },
  },
  {
    requirement: 'pusher/bad-input/6',
    desc: 'Unsubscribes from a channel the connection never subscribed to and checks it stays open and subscribed',
    async run(ctx: CaseContext) {
      const { sock, channel } = await victim(ctx);
      sock.unsubscribe(uniq());
      await stillWorks(ctx, sock, channel, 'after unsubscribing from a channel it does not hold');
    },
  },
  {
    requirement: 'pusher/bad-input/7',
    desc: 'Sends malformed JSON and a subscribe with a numeric channel, and expects the pusher:error answering each to carry a code in 4300-4399',
    async run(ctx: CaseContext) {
      const { sock } = await victim(ctx);
      sock.sendRaw('{"event":');
      const a = await needs(ctx, 'pusher/bad-input/1', () => expectPusherError(sock, 'malformed JSON'));
      sock.send({ event: PusherEvent.SUBSCRIBE, data: { channel: 42 } });
      const b = await needs(ctx, 'pusher/bad-input/4', () => expectPusherError(sock, 'a numeric channel'));
      const codes = [a.code, b.code];
      const out = codes.find((c) => c !== null && (c < 4300 || c > 4399));
      // A code of another class is the close-code behaviour the root-cause groups collect; no code at all is not.
      if (out !== undefined && out !== null)
        throw new CheckFailure(
          `bad-input pusher:error carries code ${out}, outside 4300-4399`,
          'codes in 4300-4399',
          codes.join(', '),
          undefined,
          { rootCause: closeCodeCause(out) },
        );
      expectEvery(codes, (c) => c !== null, 'is a code in 4300-4399', 'bad-input pusher:error carries no code of the "other errors" range');
    },
  },
  {
    requirement: 'pusher/bad-input/8',
    desc: 'Sends a correctly signed POST events whose body is not JSON and expects 400 and nothing published',
    async run(ctx: CaseContext) {
      const { sock, channel } = await victim(ctx);
      const res = await pusherApi(ctx).signed({ method: 'POST', path: 'events', body: `{"name":"hp-broken","channel":"${channel}",` });
      expectStatus(res, 400, 'non-JSON body');
      await expectNoneBeforeSentinel(ctx, sock, isEvent('hp-broken'), 'an event from a non-JSON request', channel);
    },
  },
];
