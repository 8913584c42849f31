/**
 * The hub's pings, as the heartbeat, close-code and presence cases need them: how long an idle connection
 * waits for the first one (pusher/heartbeat/3: the later of the announced activity_timeout and the
 * protocol's recommended 120 s), whether a ping came, and how a connection that never answers ends.
 * The connections that wait for a ping hold a subscription: some hubs ping only those (Laravel Reverb
 * never pings a connection without one, laravel/reverb#375), and what the ping leads to (4201, a pong
 * accepted) is judged where it comes; heartbeat/3 judges connections without subscriptions on its own.
 * A case that needs a ping the hub never sends is blocked by pusher/heartbeat/3, with the root cause
 * "no server ping" recorded here, where it is seen.
 */
import { PusherEvent } from '../../../spec/protocol/frames.ts';
import { openPusherSocket, type OpenPusherSocketOptions, type PusherSocket } from '../../clients/pusher-socket.ts';
import { waitUntil } from '../../clients/wait.ts';
import type { CloseInfo } from '../../clients/wire-socket.ts';
import { NO_SERVER_PING, pingsOnlyCause } from '../../root-cause.ts';
import { CheckFailure, type CaseContext, type EffectiveTimings, type RootCause } from '../../types.ts';
import { blockedBy } from '../../verify.ts';
import { subscribeAsSetup, uniq } from './helpers.ts';

/**
 * The protocol recommends 120 s as the client's activity timeout; a hub is not expected to ping sooner
 * than that, nor sooner than it announced (pusher/heartbeat/3). The one constant every ping wait derives from.
 */
export const PING_FLOOR_S = 120;

/** Slack on the hub's own timers for a loaded machine: 10 % plus 2 s. */
const slack = (ms: number) => Math.round(ms * 1.1 + 2000);

/** The activity_timeout this connection was told, falling back to the advertised one. */
export const announcedS = (sock: PusherSocket | undefined, t: EffectiveTimings): number => sock?.activityTimeout || t.activityTimeoutS;

/** How long an idle connection waits for the hub's first ping. */
export const pingWindowMs = (activityTimeoutS: number): number => slack(Math.max(activityTimeoutS, PING_FLOOR_S) * 1000);

/** How long after that ping an unanswered connection waits for its close. */
export const pongWindowMs = (t: EffectiveTimings): number => slack(t.pongTimeoutMs);

/** The whole wait for a silent connection to be closed: ping window plus pong window. */
export const silentCloseWindowMs = (t: EffectiveTimings, activityTimeoutS = t.activityTimeoutS): number =>
  pingWindowMs(activityTimeoutS) + pongWindowMs(t);

/** A case deadline that covers a silent-close wait and `extraMs` of its own work. */
export const silentCaseTimeout =
  (extraMs = 5000) =>
  (t: EffectiveTimings): number =>
    silentCloseWindowMs(t) + extraMs;

/**
 * Opens a connection that then stays idle holding one public subscription (the setup blocks the case by
 * pusher/subscribe/1 when the hub refuses it).
 */
export async function openSubscribedIdle(ctx: CaseContext, opts: OpenPusherSocketOptions): Promise<PusherSocket> {
  const sock = await openPusherSocket(ctx, opts);
  await subscribeAsSetup(ctx, sock, uniq('idle-'));
  return sock;
}

/** How the hub treated an idle connection: pinged it one way or the other, closed it without a ping, or neither. */
export type PingSeen = 'pusher:ping' | 'ws ping' | 'closed' | 'none';

/** Resolves with how the hub pinged, `closed` when it ended the connection first, or `none` after `ms`. */
export function hubPing(ctx: CaseContext, sock: PusherSocket, ms: number): Promise<PingSeen> {
  const pingsBefore = sock.wsPingsReceived;
  return waitUntil<PingSeen>(
    ctx,
    (resolve) => {
      if (sock.frames.some((f) => f.event === PusherEvent.PING)) resolve('pusher:ping');
      if (sock.wsPingsReceived > 0) resolve('ws ping');
      const offFrame = sock.onFrame((f) => f.event === PusherEvent.PING && resolve('pusher:ping'));
      const onPing = () => sock.wsPingsReceived > pingsBefore && resolve('ws ping');
      sock.ws.on('ping', onPing);
      const timer = setTimeout(() => resolve('none'), ms);
      void sock.closed.then(() => resolve('closed'));
      return () => (offFrame(), sock.ws.off('ping', onPing), clearTimeout(timer));
    },
    { timeoutMs: ms + 1000, desc: 'ping from the hub (pusher:ping or WebSocket ping) to an idle connection' },
  );
}

/** What the hub did instead of pinging, for a message. */
export function instead(sock: PusherSocket, seen: 'closed' | 'none', windowMs: number): string {
  const c = sock.closeInfo;
  return seen === 'closed' && c
    ? `the hub closed ${sock.label} (${c.code}${c.reason ? ` ${c.reason}` : ''}) without pinging it first`
    : `the hub sent ${sock.label} no ping within ${windowMs} ms of idleness`;
}

/** What the hub did with one idle connection while heartbeat/3 waited, and how long it waited. */
export interface IdleSeen {
  sock: PusherSocket;
  seen: PingSeen;
  windowMs: number;
}

const pinged = (x: IdleSeen) => x.seen === 'pusher:ping' || x.seen === 'ws ping';

/**
 * heartbeat/3's verdict on an idle connection without subscriptions (`bare`) and one holding a
 * subscription (`held`): undefined when the hub pinged both; else what it missed, worded for exactly the
 * connections it missed (a hub that pings only subscribers is told so, not "never pings").
 */
export function idlePingMiss(bare: IdleSeen, held: IdleSeen): { message: string; actual: string; rootCause: RootCause } | undefined {
  if (pinged(bare) && pinged(held)) return undefined;
  const missed = [bare, held].filter((x) => !pinged(x));
  const actual = missed.map((x) => `no ping on ${x.sock.label}; ${x.sock.recentSummary()}`).join(' | ');
  if (missed.length === 2) {
    const message =
      bare.seen === 'none' && held.seen === 'none'
        ? `hub never pinged an idle connection within ${Math.max(bare.windowMs, held.windowMs)} ms, with or without a subscription`
        : `hub never pinged an idle connection, with or without a subscription: ${instead(bare.sock, bare.seen as 'none' | 'closed', bare.windowMs)}; ${instead(held.sock, held.seen as 'none' | 'closed', held.windowMs)}`;
    return { message, actual, rootCause: NO_SERVER_PING };
  }
  const [miss, got] = pinged(held) ? [bare, held] : [held, bare];
  const [missKind, gotKind] =
    miss === bare ? ['without subscriptions', 'holding a subscription'] : ['holding a subscription', 'without subscriptions'];
  return {
    message: `hub never pinged an idle connection ${missKind} (${instead(miss.sock, miss.seen as 'none' | 'closed', miss.windowMs)}), though it pinged one ${gotKind} (${got.sock.label}: ${got.seen})`,
    actual,
    rootCause: pingsOnlyCause(miss === bare ? 'subscribed' : 'unsubscribed'),
  };
}

/** The case needed a ping the hub never sent: blocked by pusher/heartbeat/3. */
export function noPing(
  sock: PusherSocket,
  windowMs: number,
  scope: { requirement?: string } = {},
  seen: 'closed' | 'none' = 'none',
): never {
  blockedBy('pusher/heartbeat/3', instead(sock, seen, windowMs), {
    ...scope,
    rootCause: NO_SERVER_PING,
  });
}

/** Waits for the hub's first ping on an idle connection; a hub that sends none blocks the case by pusher/heartbeat/3. */
export async function needPing(
  ctx: CaseContext,
  sock: PusherSocket,
  scope: { requirement?: string } = {},
): Promise<'pusher:ping' | 'ws ping'> {
  const window = pingWindowMs(announcedS(sock, ctx.timings));
  const kind = await hubPing(ctx, sock, window);
  if (kind === 'none' || kind === 'closed') noPing(sock, window, scope, kind);
  return kind;
}

/** How a connection that answers nothing ended. */
export type SilentEnd =
  /** The hub closed it (`pinged`: after a ping it sent). */
  | { kind: 'closed'; close: CloseInfo; pinged: boolean; sock: PusherSocket }
  /** No ping within the ping window: nothing to judge about pong timeouts. */
  | { kind: 'no-ping'; windowMs: number; sock: PusherSocket }
  /** Pinged, then left open past the pong window. */
  | { kind: 'open'; windowMs: number; sock: PusherSocket };

/**
 * Opens a connection that holds a subscription and answers no ping at all (neither pusher:pong nor a
 * WebSocket pong), and waits for the hub to end it.
 */
export async function silentClientEnd(ctx: CaseContext): Promise<SilentEnd> {
  const sock = await openSubscribedIdle(ctx, { autoPong: false, answerPings: false, label: 'silent' });
  const pingMs = pingWindowMs(announcedS(sock, ctx.timings));
  const ping = await hubPing(ctx, sock, pingMs);
  if (ping === 'closed') return { kind: 'closed', close: sock.closeInfo!, pinged: false, sock };
  if (ping === 'none') return { kind: 'no-ping', windowMs: pingMs, sock };
  const pongMs = pongWindowMs(ctx.timings);
  try {
    return {
      kind: 'closed',
      close: await sock.waitForClose(pongMs, 'close of a connection that never answered a ping'),
      pinged: true,
      sock,
    };
  } catch (err) {
    if (err instanceof CheckFailure && !sock.closeInfo) return { kind: 'open', windowMs: pongMs, sock };
    throw err;
  }
}
