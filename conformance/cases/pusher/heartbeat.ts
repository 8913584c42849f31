/**
 * pusher/heartbeat: pings both ways, the hub's ping of an idle client, and 4201 for a silent one. The
 * waits derive from the hub's own announced timings (server-ping.ts): fast on the embedded hub, and no
 * longer than the requirement allows on any other. heartbeat/3 watches an idle connection without
 * subscriptions and one holding a subscription, and says which the hub never pings; the cases that need
 * the ping (4, 5) wait for it on connections holding a subscription, and are blocked by heartbeat/3 only
 * when even those are never pinged.
 */
import { PusherEvent } from '../../../spec/protocol/frames.ts';
import { openPusherSocket, pusherErrorCode, type PusherSocket } from '../../clients/pusher-socket.ts';
import { sleep } from '../../clients/wait.ts';
import { isEvent } from '../../clients/wire-socket.ts';
import type { Case, CaseContext } from '../../types.ts';
import { expectAbsent, expectThat } from '../../verify.ts';
import {
  announcedS,
  hubPing,
  type IdleSeen,
  idlePingMiss,
  needPing,
  noPing,
  openSubscribedIdle,
  pingWindowMs,
  pongWindowMs,
  silentCaseTimeout,
  silentClientEnd,
} from './server-ping.ts';

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
    desc: 'Stays silent on two connections, one without subscriptions and one holding a public subscription, and expects the hub to ping each within the later of its announced activity_timeout and 120 s',
    timeoutMs: (t) => pingWindowMs(t.activityTimeoutS) + 5000,
    async run(ctx: CaseContext) {
      // They answer pings but send none of their own: a client ping would reset the hub's idle timer.
      const bare = await openPusherSocket(ctx, { clientPings: false, label: 'idle' });
      const held = await openSubscribedIdle(ctx, { clientPings: false, label: 'idle-subscribed' });
      const watch = async (sock: PusherSocket): Promise<IdleSeen> => {
        const windowMs = pingWindowMs(announcedS(sock, ctx.timings));
        return { sock, seen: await hubPing(ctx, sock, windowMs), windowMs };
      };
      const [a, b] = await Promise.all([watch(bare), watch(held)]);
      const miss = idlePingMiss(a, b);
      if (miss) {
        ctx.fail(miss.message, {
          expected: `pusher:ping or a WebSocket ping within ${Math.max(a.windowMs, b.windowMs)} ms on every idle connection, with or without a subscription (announced activity_timeout ${bare.activityTimeout} s, at least 120 s)`,
          actual: miss.actual,
          rootCause: miss.rootCause,
        });
      }
      ctx.note(`hub pinged ${bare.label} with ${a.seen} and ${held.label} with ${b.seen}`);
    },
  },
  {
    requirement: 'pusher/heartbeat/4',
    timerBound: true,
    desc: 'Holds a public subscription and answers no ping at all (neither pusher:pong nor WebSocket pong), and expects the hub to close with 4201',
    timeoutMs: silentCaseTimeout(),
    async run(ctx: CaseContext) {
      const end = await silentClientEnd(ctx);
      if (end.kind === 'no-ping') noPing(end.sock, end.windowMs);
      if (end.kind === 'open') {
        ctx.fail(`hub pinged but kept open a connection that never answered, ${end.windowMs} ms after the ping`, {
          expected: `close 4201 within the pong timeout (${ctx.timings.pongTimeoutMs} ms) of an unanswered ping`,
          actual: `still open; ${end.sock.recentSummary()}`,
        });
      }
      if (end.kind !== 'closed') return;
      const errorCodes = end.sock.frames.filter((f) => f.event === PusherEvent.ERROR).map(pusherErrorCode);
      expectThat(
        { close: end.close.code, reason: end.close.reason, errorCodes, pinged: end.pinged },
        (x) => x.close === 4201 || x.errorCodes.includes(4201),
        'close code 4201 (pong not received), or pusher:error 4201',
        `hub closed a silent connection with ${end.close.code}, not 4201`,
      );
    },
  },
  {
    requirement: 'pusher/heartbeat/5',
    timerBound: true,
    desc: 'Holds a public subscription on two connections, answers every hub ping with pusher:pong on one and with a WebSocket pong on the other, and expects both to stay open',
    timeoutMs: silentCaseTimeout(8000),
    async run(ctx: CaseContext) {
      const viaFrame = await openSubscribedIdle(ctx, { autoPong: false, answerPings: false, label: 'pusher-pong' });
      const viaControl = await openSubscribedIdle(ctx, { autoPong: false, answerPings: false, label: 'ws-pong' });
      const answer = (sock: PusherSocket, how: 'frame' | 'control') => {
        const reply = () => (how === 'frame' ? sock.send({ event: PusherEvent.PONG, data: {} }) : sock.pong());
        sock.onFrame((f) => f.event === PusherEvent.PING && reply());
        sock.ws.on('ping', reply);
      };
      answer(viaFrame, 'frame');
      answer(viaControl, 'control');
      await Promise.all([needPing(ctx, viaFrame), needPing(ctx, viaControl)]);
      // Past the point where an unanswered ping would have closed them.
      await sleep(ctx, pongWindowMs(ctx.timings));
      for (const sock of [viaFrame, viaControl]) {
        expectAbsent(
          sock.closeInfo,
          'close of a connection that answered every ping',
          `hub closed ${sock.label} although it answered every ping`,
        );
      }
    },
  },
];
