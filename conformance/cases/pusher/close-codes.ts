/**
 * pusher/close-codes: provokes closes and errors whose meaning is known (unknown key, bad protocol,
 * silent client, bad input, client-event flood) and checks each code's class matches that meaning. Each
 * case judges the codes the hub did send: a provocation the hub does not answer belongs to another
 * requirement (connection/8, heartbeat/4, bad-input/1…), and when none was answered the case is blocked
 * by the first of those, never failed.
 */
import { closeClass, type CloseClass } from '../../../spec/protocol/close-codes.ts';
import { frameData, PusherEvent, type Frame } from '../../../spec/protocol/frames.ts';
import { openPusherSocket, pusherErrorCode, pusherUrl, SubscriptionRejected } from '../../clients/pusher-socket.ts';
import { openWireSocket } from '../../clients/wire-socket.ts';
import { closeCodeCause } from '../../root-cause.ts';
import { CheckFailure, type Case, type CaseContext } from '../../types.ts';
import { blockedBy, expectThat } from '../../verify.ts';
import { probeClientEvents, subscribed, uniq } from './helpers.ts';
import { silentCaseTimeout, silentClientEnd } from './server-ping.ts';
import { clientEventRate } from '../../limits.ts';

/** A code the hub sent for a provocation, or the requirement that would have made it send one. */
type Observed = { what: string; code: number } | { what: string; unmet: string; why: string };

const seen = (o: Observed): o is { what: string; code: number } => 'code' in o;

/** The code a refused connection carried (close code if a Pusher one, else the pusher:error code), or why there is none. */
async function refusedConnection(ctx: CaseContext, url: string, what: string, unmet: string): Promise<Observed> {
  const sock = await openWireSocket(ctx, { url });
  const close = await sock.waitForClose(5000, `the hub ending the connection ${what}`).catch((err: unknown) => {
    if (err instanceof CheckFailure && !sock.closeInfo) return undefined;
    throw err;
  });
  const err = sock.frames.find((f) => f.event === PusherEvent.ERROR);
  const code = close && close.code >= 4000 && close.code <= 4999 ? close.code : err ? pusherErrorCode(err) : null;
  if (code !== null) return { what, code };
  return {
    what,
    unmet,
    why: close
      ? `the hub ended the connection ${what} with ${close.code}, no Pusher code`
      : `the hub did not end the connection ${what} within 5000 ms`,
  };
}

/** The code that ended a connection which never answers pings (4201 on a correct hub). */
async function silentClient(ctx: CaseContext): Promise<Observed> {
  const what = 'of a client that never answers pings';
  const end = await silentClientEnd(ctx);
  if (end.kind === 'closed') return { what, code: end.close.code };
  return {
    what,
    unmet: 'pusher/heartbeat/4',
    why: end.kind === 'no-ping' ? `the hub never pinged (no ping within ${end.windowMs} ms)` : `the hub never closed it after its ping`,
  };
}

const unknownKey = (ctx: CaseContext) =>
  refusedConnection(ctx, pusherUrl(ctx, { key: uniq('unknown-') }), 'with an unknown key', 'pusher/connection/6');
const noProtocol = (ctx: CaseContext) =>
  refusedConnection(ctx, pusherUrl(ctx, { query: { protocol: null } }), 'without protocol', 'pusher/connection/8');

/**
 * Judges every code the hub sent with `ok`; notes what went unanswered; blocked by the first unmet
 * requirement when nothing was answered at all.
 */
function judge(ctx: CaseContext, observed: readonly Observed[], ok: (o: { what: string; code: number }) => boolean, rule: string): void {
  for (const o of observed) if (!seen(o)) ctx.note(`not judged: ${o.why} (${o.unmet})`);
  const codes = observed.filter(seen);
  if (codes.length === 0) {
    const first = observed.find((o) => !seen(o)) as { unmet: string; why: string };
    blockedBy(
      first.unmet,
      observed
        .map((o) => (seen(o) ? '' : o.why))
        .filter(Boolean)
        .join('; '),
    );
  }
  const bad = codes.find((o) => !ok(o));
  if (bad) {
    throw new CheckFailure(
      `the close ${bad.what} used code ${bad.code} (${closeClass(bad.code)})`,
      rule,
      codes.map((o) => `${o.what}: ${o.code} (${closeClass(o.code)})`).join('; '),
      undefined,
      {
        rootCause: closeCodeCause(bad.code),
      },
    );
  }
}

const inClass = (want: CloseClass) => (o: { code: number }) => closeClass(o.code) === want;

/** pusher:error data: a non-empty string message, and a code that is an integer when present. */
function errorDataOk(data: { message?: unknown; code?: unknown } | null): boolean {
  return (
    data !== null &&
    typeof data === 'object' &&
    typeof data.message === 'string' &&
    data.message.length > 0 &&
    (data.code === undefined || data.code === null || Number.isInteger(data.code))
  );
}

/** Waits for a pusher:error answering what was just sent; undefined after `timeoutMs`. */
async function errorFrame(sock: Awaited<ReturnType<typeof openPusherSocket>>, desc: string, timeoutMs = 3000): Promise<Frame | undefined> {
  return sock
    .waitFor((f) => f.event === PusherEvent.ERROR, { desc: `pusher:error answering ${desc}`, timeoutMs, fresh: true })
    .catch((err: unknown) => {
      if (err instanceof CheckFailure) return undefined;
      throw err;
    });
}

/**
 * pusher:error frames for malformed JSON, a bad channel name and a forged subscription, each with the
 * requirement that makes the hub send it, for the ones it did not answer.
 */
async function provokeErrors(ctx: CaseContext): Promise<{ frames: Frame[]; missing: Array<{ unmet: string; why: string }> }> {
  const sock = await openPusherSocket(ctx);
  const frames: Frame[] = [];
  const missing: Array<{ unmet: string; why: string }> = [];
  sock.sendRaw('{"event": "pusher:subscribe", ');
  const malformed = await errorFrame(sock, 'malformed JSON');
  if (malformed) frames.push(malformed);
  else missing.push({ unmet: 'pusher/bad-input/1', why: 'no pusher:error for malformed JSON' });
  sock.send({ event: PusherEvent.SUBSCRIBE, data: { channel: 'bad channel name!' } });
  const badName = await errorFrame(sock, 'a bad channel name');
  if (badName) frames.push(badName);
  else missing.push({ unmet: 'pusher/channel-names/2', why: 'no pusher:error for an invalid channel name' });
  const channel = uniq('private-');
  try {
    await sock.subscribe(channel, { auth: `${ctx.target.app.key}:${'0'.repeat(64)}` });
    missing.push({ unmet: 'pusher/auth/4', why: 'the hub accepted a forged subscription' });
  } catch (err) {
    if (err instanceof SubscriptionRejected && err.frame.event === PusherEvent.ERROR) frames.push(err.frame);
    else if (err instanceof CheckFailure)
      missing.push({ unmet: 'pusher/auth/4', why: `no pusher:error refusing a forged subscription (${err.message})` });
    else throw err;
  }
  return { frames, missing };
}

/** Judges the provoked pusher:error frames with `ok`; blocked by the first unanswered provocation when none came. */
async function judgeErrors(ctx: CaseContext, ok: (f: Frame) => boolean, rule: string, message: string): Promise<void> {
  const { frames, missing } = await provokeErrors(ctx);
  for (const m of missing) ctx.note(`not judged: ${m.why} (${m.unmet})`);
  if (frames.length === 0) blockedBy(missing[0]!.unmet, missing.map((m) => m.why).join('; '));
  for (const frame of frames) expectThat(frame.data, () => ok(frame), rule, message);
}

export const closeCodeCases: Case[] = [
  {
    requirement: 'pusher/close-codes/1',
    desc: 'Connects with an unknown key and without a protocol, and checks the codes the hub ends them with are in 4000-4099',
    async run(ctx: CaseContext) {
      judge(
        ctx,
        [await unknownKey(ctx), await noProtocol(ctx)],
        inClass('dont-reconnect'),
        'a code in 4000-4099 (do not reconnect unchanged)',
      );
    },
  },
  {
    requirement: 'pusher/close-codes/2',
    timerBound: true,
    desc: 'Provokes closes for an unknown key, a missing protocol and a silent client, and checks none uses 4100-4199 (none of them calls for back-off)',
    timeoutMs: silentCaseTimeout(15_000),
    async run(ctx: CaseContext) {
      const observed = [await unknownKey(ctx), await noProtocol(ctx), await silentClient(ctx)];
      judge(ctx, observed, (o) => closeClass(o.code) !== 'backoff', 'codes outside 4100-4199 (back-off)');
    },
  },
  {
    requirement: 'pusher/close-codes/3',
    timerBound: true,
    desc: 'Lets a connection go silent and checks the pong-timeout close is in 4200-4299, while the unknown-key close is not',
    timeoutMs: silentCaseTimeout(10_000),
    async run(ctx: CaseContext) {
      const [silent, unknown] = [await silentClient(ctx), await unknownKey(ctx)];
      const ok = (o: { what: string; code: number }) =>
        o.what === silent.what ? closeClass(o.code) === 'reconnect-now' : closeClass(o.code) !== 'reconnect-now';
      judge(ctx, [silent, unknown], ok, 'the pong-timeout close in 4200-4299; the unknown-key close outside it');
    },
  },
  {
    requirement: 'pusher/close-codes/4',
    desc: 'Sends malformed JSON (and floods client events where supported), and checks the codes the hub answers with are in 4300-4399, 4301 for the flood',
    async run(ctx: CaseContext) {
      const observed: Observed[] = [];
      const sock = await openPusherSocket(ctx);
      sock.sendRaw('not json at all');
      const err = await errorFrame(sock, 'malformed JSON');
      const code = err ? pusherErrorCode(err) : null;
      observed.push(
        code !== null
          ? { what: 'answering malformed JSON', code }
          : {
              what: 'answering malformed JSON',
              unmet: 'pusher/bad-input/1',
              why: err ? 'the pusher:error for malformed JSON carries no code' : 'no pusher:error for malformed JSON',
            },
      );
      if (await probeClientEvents(ctx)) {
        const channel = uniq('private-');
        const flooder = await subscribed(ctx, channel);
        const limit = clientEventRate(ctx);
        for (let i = 0; i < limit * 3; i++) flooder.trigger(channel, 'client-flood', { i });
        const errFrame = await flooder
          .waitFor((f) => f.event === PusherEvent.ERROR && pusherErrorCode(f) !== null, {
            desc: 'pusher:error for the client-event flood',
            timeoutMs: 3000,
          })
          .catch(() => undefined);
        const end = errFrame ? pusherErrorCode(errFrame)! : (flooder.closeInfo?.code ?? null);
        observed.push(
          end !== null
            ? { what: 'refusing a client-event flood', code: end }
            : {
                what: 'refusing a client-event flood',
                unmet: 'pusher/client-events/7',
                why: 'no pusher:error and no close for a client-event flood',
              },
        );
      } else ctx.note('no client events: flood not tried');
      const flood = (o: { what: string }) => o.what.includes('flood');
      judge(
        ctx,
        observed,
        (o) => (flood(o) ? o.code === 4301 : closeClass(o.code) === 'other'),
        'bad input answered in 4300-4399, the client-event flood with 4301',
      );
    },
  },
  {
    requirement: 'pusher/close-codes/5',
    desc: 'Provokes pusher:error with malformed JSON, a bad channel name and a forged subscription, and checks each has a string message and, when it has a code, an integer one',
    run: (ctx) =>
      judgeErrors(
        ctx,
        (f) => errorDataOk(frameData(f)),
        '{"message":"…"} with, if present, an integer "code"',
        'pusher:error lacks a message, or its code is not an integer',
      ),
  },
  {
    requirement: 'pusher/close-codes/6',
    desc: 'Provokes pusher:error frames and checks their data is a JSON object, not a double-encoded string',
    run: (ctx) =>
      judgeErrors(
        ctx,
        (f) => typeof f.data === 'object' && f.data !== null,
        'data as an object {message, code}',
        'pusher:error data is sent as a string',
      ),
  },
];
