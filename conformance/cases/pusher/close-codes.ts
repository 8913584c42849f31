/**
 * pusher/close-codes: provokes closes and errors whose meaning is known (unknown key, bad protocol,
 * silent client, bad input, client-event flood) and checks each code's class matches that meaning.
 */
import { closeClass, type CloseClass } from '../../../spec/protocol/close-codes.ts';
import { frameData, PusherEvent, type Frame } from '../../../spec/protocol/frames.ts';
import { openPusherSocket, pusherErrorCode, pusherUrl } from '../../clients/pusher-socket.ts';
import { openWireSocket } from '../../clients/wire-socket.ts';
import { CheckFailure, type Case, type CaseContext } from '../../types.ts';
import { expectEqual, expectEvery, expectThat } from '../../verify.ts';
import { expectPusherError, expectSubscribeRefused, probeClientEvents, subscribed, uniq } from './helpers.ts';

/** The code a refused connection carried: the close code if it is a Pusher one, else the pusher:error code. */
async function refusedConnectionCode(ctx: CaseContext, url: string, what: string): Promise<number> {
  const sock = await openWireSocket(ctx, { url });
  const close = await sock.waitForClose(5000, `the hub ending the connection ${what}`);
  if (close.code >= 4000 && close.code <= 4999) return close.code;
  const err = sock.frames.find((f) => f.event === PusherEvent.ERROR);
  const code = err ? pusherErrorCode(err) : null;
  if (code === null) throw new CheckFailure(`connection ${what} ended without a Pusher code`, 'a close or pusher:error code in 4000-4999', `close ${close.code} ${close.reason}`);
  return code;
}

/** Code of the close that ends a connection which never answers pings (normally 4201). */
async function silentClientCode(ctx: CaseContext): Promise<number> {
  const sock = await openPusherSocket(ctx, { autoPong: false, answerPings: false });
  const t = ctx.timings;
  const close = await sock.waitForClose(Math.round((sock.activityTimeout || t.activityTimeoutS) * 1500 + t.pongTimeoutMs * 1.5 + 3000), 'close of a client that never answers pings');
  return close.code;
}

function expectClass(code: number, want: CloseClass | CloseClass[], condition: string): void {
  const wanted = Array.isArray(want) ? want : [want];
  expectThat(code, (c) => wanted.includes(closeClass(c)), `a code of class ${wanted.join(' or ')}`, `${condition} used code ${code} (${closeClass(code)})`);
}

/** pusher:error data: a non-empty string message and a numeric or null code. */
function errorDataOk(data: { message?: unknown; code?: unknown } | null): boolean {
  return data !== null && typeof data === 'object' && typeof data.message === 'string' && data.message.length > 0 && (data.code === null || typeof data.code === 'number');
}

const silentWindow = (t: CaseContext['timings']) => Math.round(t.activityTimeoutS * 1500 + t.pongTimeoutMs * 1.5 + 8000);

/** pusher:error frames for malformed JSON, a bad channel name and a forged subscription. */
async function provokeErrors(ctx: CaseContext): Promise<Frame[]> {
  const sock = await openPusherSocket(ctx);
  sock.sendRaw('{"event": "pusher:subscribe", ');
  const frames = [(await expectPusherError(sock, 'malformed JSON')).frame];
  sock.send({ event: PusherEvent.SUBSCRIBE, data: { channel: 'bad channel name!' } });
  frames.push((await expectPusherError(sock, 'a bad channel name')).frame);
  const refusal = await expectSubscribeRefused(sock, uniq('private-'), { auth: `${ctx.target.app.key}:${'0'.repeat(64)}`, why: 'with a forged signature' });
  frames.push(refusal.frame);
  return frames.filter((f) => f.event === PusherEvent.ERROR);
}

export const closeCodeCases: Case[] = [
  {
    requirement: 'pusher/close-codes/1',
    desc: 'Connects with an unknown key and without a protocol, and checks both codes are in 4000-4099',
    async run(ctx: CaseContext) {
      expectClass(await refusedConnectionCode(ctx, pusherUrl(ctx, { key: uniq('unknown-') }), 'with an unknown key'), 'dont-reconnect', 'unknown app key');
      expectClass(await refusedConnectionCode(ctx, pusherUrl(ctx, { query: { protocol: null } }), 'without protocol'), 'dont-reconnect', 'missing protocol');
    },
  },
  {
    requirement: 'pusher/close-codes/2',
    timerBound: true,
    desc: 'Provokes closes for an unknown key, a missing protocol and a silent client, and checks none uses 4100-4199 (none of them calls for back-off)',
    timeoutMs: silentWindow,
    async run(ctx: CaseContext) {
      const codes = [
        await refusedConnectionCode(ctx, pusherUrl(ctx, { key: uniq('unknown-') }), 'with an unknown key'),
        await refusedConnectionCode(ctx, pusherUrl(ctx, { query: { protocol: null } }), 'without protocol'),
        await silentClientCode(ctx),
      ];
      const backoff = codes.filter((c) => closeClass(c) === 'backoff');
      expectEvery(codes, (c) => closeClass(c) !== 'backoff', 'is outside 4100-4199 (back-off)', `hub used back-off code ${backoff[0]} for a condition that does not call for back-off`);
    },
  },
  {
    requirement: 'pusher/close-codes/3',
    timerBound: true,
    desc: 'Lets a connection go silent and checks the pong-timeout close is in 4200-4299, while the unknown-key close is not',
    timeoutMs: silentWindow,
    async run(ctx: CaseContext) {
      expectClass(await silentClientCode(ctx), 'reconnect-now', 'the pong-timeout close');
      const unknown = await refusedConnectionCode(ctx, pusherUrl(ctx, { key: uniq('unknown-') }), 'with an unknown key');
      expectThat(unknown, (c) => closeClass(c) !== 'reconnect-now', 'a code outside 4200-4299 (reconnect now)', `unknown app key used reconnect-now code ${unknown}`);
    },
  },
  {
    requirement: 'pusher/close-codes/4',
    desc: 'Sends malformed JSON (and floods client events where supported), and checks the codes are in 4300-4399, 4301 for the flood',
    async run(ctx: CaseContext) {
      const sock = await openPusherSocket(ctx);
      sock.sendRaw('not json at all');
      const { code } = await expectPusherError(sock, 'malformed JSON');
      if (code !== null) expectClass(code, 'other', 'the bad-input pusher:error');
      if (!(await probeClientEvents(ctx))) return ctx.note('no client events: flood not tried');
      const channel = uniq('private-');
      const flooder = await subscribed(ctx, channel);
      const limit = ctx.hub?.limits.client_events_per_second ?? 10;
      for (let i = 0; i < limit * 3; i++) flooder.trigger(channel, 'client-flood', { i });
      const errFrame = await flooder
        .waitFor((f) => f.event === PusherEvent.ERROR && pusherErrorCode(f) !== null, { desc: 'pusher:error for the client-event flood', timeoutMs: 3000 })
        .catch(() => undefined);
      const end = errFrame ? pusherErrorCode(errFrame) : flooder.closeInfo?.code ?? 'no error and no close within 3000 ms';
      expectEqual(end, 4301, `client-event flood answered with ${end}`);
    },
  },
  {
    requirement: 'pusher/close-codes/5',
    desc: 'Provokes pusher:error with malformed JSON, a bad channel name and a forged subscription, and checks each has a string message and a numeric or null code',
    async run(ctx: CaseContext) {
      for (const frame of await provokeErrors(ctx)) {
        expectThat(frame.data, () => errorDataOk(frameData(frame)), '{"message":"…","code":4xxx|null}', 'pusher:error lacks a message or a numeric/null code');
      }
    },
  },
  {
    requirement: 'pusher/close-codes/6',
    desc: 'Provokes pusher:error frames and checks their data is a JSON object, not a double-encoded string',
    async run(ctx: CaseContext) {
      for (const frame of await provokeErrors(ctx)) {
        expectThat(frame.data, (d) => typeof d === 'object' && d !== null, 'data as an object {message, code}', 'pusher:error data is sent as a string');
      }
    },
  },
];
