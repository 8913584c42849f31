/**
 * pusher/heartbeat: pings both ways, the hub's ping of an idle client, and 4201 for a silent one.
 * The waits scale with the hub's own activity_timeout and pong timeout (fast on the embedded hub).
 */
import { PusherEvent } from '../../../spec/protocol/frames.ts';
import { openPusherSocket, pusherErrorCode, type PusherSocket } from '../../clients/pusher-socket.ts';
import { sleep, waitUntil } from '../../clients/wait.ts';
import { isEvent } from '../../clients/wire-socket.ts';
import { CheckFailure, type Case, type CaseContext, type EffectiveTimings } from '../../types.ts';
import { expectAbsent, expectThat } from '../../verify.ts';

/** How long an idle client may wait for the hub's ping: the announced timeout, plus slack for load. */
const pingWindowMs = (activityTimeoutS: number) => Math.round(activityTimeoutS * 1000 * 1.5 + 2000);
/** …and for the 4201 close after it. */
const closeWindowMs = (activityTimeoutS: number, t: EffectiveTimings) => pingWindowMs(activityTimeoutS) + Math.round(t.pongTimeoutMs * 1.5) + 1000;

/** The activity_timeout this connection was told, falling back to the advertised one. */
const announced = (sock: PusherSocket, ctx: CaseContext) => sock.activityTimeout || ctx.timings.activityTimeoutS;

/** Resolves once the hub pings (pusher:ping frame or WebSocket ping), failing after `ms`. */
function hubPing(ctx: CaseContext, sock: PusherSocket, ms: number): Promise<'pusher:ping' | 'ws ping'> {
  const pingsBefore = sock.wsPingsReceived;
  return waitUntil(
    ctx,
    (resolve, reject) => {
      if (sock.frames.some((f) => f.event === PusherEvent.PING)) resolve('pusher:ping');
      const offFrame = sock.onFrame((f) => f.event === PusherEvent.PING && resolve('pusher:ping'));
      const onPing = () => sock.wsPingsReceived > pingsBefore && resolve('ws ping');
      sock.ws.on('ping', onPing);
      void sock.closed.then((c) => reject(new CheckFailure(`connection closed (${c.code}) before the hub pinged`, 'a ping from the hub', `close ${c.code} ${c.reason}`)));
      return () => (offFrame(), sock.ws.off('ping', onPing));
    },
    { timeoutMs: ms, desc: 'ping from the hub (pusher:ping or WebSocket ping) to an idle connection', actual: () => `no ping; ${sock.recentSummary()}` },
  );
}

export const heartbeatCases: Case[] = [
  {
    requirement: 'pusher/heartbeat/1',
    desc: 'Sends pusher:ping and expects pusher:pong on the same connection',
    async run(ctx: CaseContext) {
      const sock = await openPusherSocket(ctx);
      sock.send({ event: PusherEvent.PING, data: {} });
      await sock.waitFor(isEvent(PusherEvent.PONG), { desc: 'pusher:pong', fresh: true });
    },
  },
  {
    requirement: 'pusher/heartbeat/2',
    desc: 'Sends a WebSocket ping control frame and expects a pong control frame',
    async run(ctx: CaseContext) {
      const sock = await openPusherSocket(ctx);
      await sock.pingAndWaitForPong();
    },
  },
  {
    requirement: 'pusher/heartbeat/3',
    timerBound: true,
    desc: 'Stays silent after connecting and expects the hub to ping within its announced activity_timeout',
    timeoutMs: (t) => pingWindowMs(t.activityTimeoutS) + 5000,
    async run(ctx: CaseContext) {
      const sock = await openPusherSocket(ctx);
      const kind = await hubPing(ctx, sock, pingWindowMs(announced(sock, ctx)));
      ctx.note(`hub pinged with ${kind}`);
    },
  },
  {
    requirement: 'pusher/heartbeat/4',
    timerBound: true,
    desc: 'Answers no ping at all (neither pusher:pong nor WebSocket pong) and expects the hub to close with 4201',
    timeoutMs: (t) => closeWindowMs(t.activityTimeoutS, t) + 5000,
    async run(ctx: CaseContext) {
      const sock = await openPusherSocket(ctx, { autoPong: false, answerPings: false });
      const close = await sock.waitForClose(closeWindowMs(announced(sock, ctx), ctx.timings), 'close with 4201 of a connection that never answers pings');
      const errorCodes = sock.frames.filter((f) => f.event === PusherEvent.ERROR).map(pusherErrorCode);
      expectThat({ close: close.code, reason: close.reason, errorCodes }, (x) => x.close === 4201 || x.errorCodes.includes(4201), 'close code 4201 (pong not received), or pusher:error 4201', `hub closed a silent connection with ${close.code}, not 4201`);
    },
  },
  {
    requirement: 'pusher/heartbeat/5',
    timerBound: true,
    desc: 'Answers every hub ping with pusher:pong on one connection and with a WebSocket pong on another, and expects both to stay open',
    timeoutMs: (t) => closeWindowMs(t.activityTimeoutS, t) + 8000,
    async run(ctx: CaseContext) {
      const viaFrame = await openPusherSocket(ctx, { autoPong: false, answerPings: false, label: 'pusher-pong' });
      const viaControl = await openPusherSocket(ctx, { autoPong: false, answerPings: false, label: 'ws-pong' });
      const answer = (sock: PusherSocket, how: 'frame' | 'control') => {
        const reply = () => (how === 'frame' ? sock.send({ event: PusherEvent.PONG, data: {} }) : sock.pong());
        sock.onFrame((f) => f.event === PusherEvent.PING && reply());
        sock.ws.on('ping', reply);
      };
      answer(viaFrame, 'frame');
      answer(viaControl, 'control');
      const window = closeWindowMs(announced(viaFrame, ctx), ctx.timings);
      await Promise.all([hubPing(ctx, viaFrame, pingWindowMs(announced(viaFrame, ctx))), hubPing(ctx, viaControl, pingWindowMs(announced(viaControl, ctx)))]);
      // Past the point where an unanswered ping would have closed them.
      await sleep(ctx, Math.round(ctx.timings.pongTimeoutMs * 1.5) + 1000);
      for (const sock of [viaFrame, viaControl]) {
        expectAbsent(sock.closeInfo, `close within ${window} ms of connecting`, `hub closed ${sock.label} although it answered every ping`);
      }
    },
  },
];
