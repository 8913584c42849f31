/**
 * pusher/cluster, the cluster-wide state: presence read from every node, member events once per user,
 * and a killed node's members removed within the hub's bound (webhooks once per cluster: cluster-webhooks.ts).
 */
import { PusherEvent, type Frame } from '../../../spec/protocol/frames.ts';
import { sleep } from '../../clients/wait.ts';
import { isEvent } from '../../clients/wire-socket.ts';
import { needs } from '../../needs.ts';
import { guardTimerWait } from '../../timer-guard.ts';
import { CheckFailure, type Case, type CaseContext, type EffectiveTimings } from '../../types.ts';
import { expectAtMost, expectEqual } from '../../verify.ts';
import { expectNoneBeforeSentinel, joinPresence, memberUserId, presenceOf, uniq } from './helpers.ts';
import { infoOf, lastNode, nodeName, type Placed } from './cluster-nodes.ts';
import { PING_FLOOR_S } from './server-ping.ts';
import { LEAVE_WINDOW_MS } from './webhooks.ts';

/** Longer than any cluster's propagation bound (50 ms p99): what a join has to reach every node. */
const SETTLE_MS = 300;

/** Joins `userId` to presence `channel` through node `i`. */
async function joinOn(ctx: CaseContext, i: number, channel: string, userId: string): Promise<Placed & { ack: Frame }> {
  const { sock, ack } = await joinPresence(ctx, channel, userId, infoOf(userId), ctx.target.nodes[i]);
  return { sock, ack, node: i };
}

const memberEvent = (event: string, channel: string, userId: string) => (f: Frame) =>
  isEvent(event, channel)(f) && memberUserId(f) === userId;

/** Waits for `event` about `userId` at a watcher, or fails naming the watcher's node and the user's. */
async function expectMemberEvent(
  at: Placed,
  event: string,
  channel: string,
  userId: string,
  from: string,
  timeoutMs = 2000,
): Promise<void> {
  try {
    await at.sock.waitFor(memberEvent(event, channel, userId), { desc: `${event} for ${userId}`, timeoutMs });
  } catch (err) {
    if (!(err instanceof CheckFailure)) throw err;
    throw new CheckFailure(`the subscriber on ${nodeName(at.node)} got no ${event} for ${userId} (${from})`, err.expected, err.actual);
  }
}

/**
 * The dead-node bound and where it comes from: the target's, else the hub's (GET /api/hub), else the
 * stalled-connection bound of what the hub announced — the longest `activity_timeout` its
 * `pusher:connection_established` gave the case's connections, plus the pong timeout (the hub's, the
 * target's, else pusher-js's 30 s). A hub announcing 30 s is held to 60 s, whatever the harness's default.
 */
function deadNodeBound(ctx: CaseContext, announcedS: number): { ms: number; from: string } {
  const declared = ctx.target.timings?.dead_node_removal_ms;
  if (declared !== undefined) return { ms: declared, from: 'the target’s timings.dead_node_removal_ms' };
  const hub = ctx.hub?.cluster?.dead_node_removal_ms;
  if (hub !== undefined) return { ms: hub, from: 'GET /api/hub cluster.dead_node_removal_ms' };
  const pong = ctx.timings.pongTimeoutMs;
  const pongFrom =
    ctx.hub?.timings.pong_timeout_ms !== undefined
      ? 'GET /api/hub'
      : ctx.target.timings?.pong_timeout_ms !== undefined
        ? 'the target’s timings.pong_timeout_ms'
        : 'pusher-js’s, the hub states none';
  if (announcedS > 0)
    return {
      ms: announcedS * 1000 + pong,
      from: `activity_timeout ${announcedS} s announced in pusher:connection_established + pong timeout ${pong} ms (${pongFrom}); the hub states no dead-node bound`,
    };
  return {
    ms: ctx.timings.activityTimeoutS * 1000 + pong,
    from: `activity_timeout ${ctx.timings.activityTimeoutS} s (the hub announced none) + pong timeout ${pong} ms (${pongFrom})`,
  };
}

/** The dead-node case's deadline: any bound up to the ping floor's (120 s) plus the pong timeout, and a minute for the rest. */
const deadNodeCaseMs = (t: EffectiveTimings) => Math.max(t.activityTimeoutS, PING_FLOOR_S) * 1000 + t.pongTimeoutMs + 60_000;

export const clusterPresenceCases: Case[] = [
  {
    requirement: 'pusher/cluster/2',
    desc: 'Joins u1 on the first node, u2 and u1 again on the last, then a reader u3 on every node, and expects every reader’s subscription_succeeded to list u1, u2 and u3 once each with the same hash and count',
    cluster: true,
    async run(ctx) {
      const channel = uniq('presence-');
      const last = lastNode(ctx);
      await joinOn(ctx, 0, channel, 'u1');
      await joinOn(ctx, last, channel, 'u2');
      await joinOn(ctx, last, channel, 'u1');
      await sleep(ctx, SETTLE_MS);
      const expected = { ids: ['u1', 'u2', 'u3'], hash: { u1: infoOf('u1'), u2: infoOf('u2'), u3: infoOf('u3') }, count: 3 };
      for (let i = 0; i < ctx.target.nodes.length; i++) {
        const reader = await joinOn(ctx, i, channel, 'u3');
        const p = presenceOf(reader.ack);
        expectEqual(
          { ...p, ids: [...p.ids].sort() },
          expected,
          `subscription_succeeded through ${nodeName(i)} does not list the cluster’s members once each`,
        );
      }
    },
  },
  {
    requirement: 'pusher/cluster/3',
    desc: 'Watches a presence channel from every node, joins u1 on the first node then on the last, leaves on the first then on the last, and expects one member_added and one member_removed for u1 at every watcher',
    cluster: true,
    timeoutMs: LEAVE_WINDOW_MS + 15_000,
    async run(ctx) {
      const channel = uniq('presence-');
      const last = lastNode(ctx);
      const watchers: Placed[] = [];
      for (let i = 0; i < ctx.target.nodes.length; i++) watchers.push(await joinOn(ctx, i, channel, `w${i + 1}`));
      await sleep(ctx, SETTLE_MS);
      const added = memberEvent(PusherEvent.MEMBER_ADDED, channel, 'u1');
      const removed = memberEvent(PusherEvent.MEMBER_REMOVED, channel, 'u1');

      const first = await joinOn(ctx, 0, channel, 'u1');
      for (const w of watchers)
        await expectMemberEvent(w, PusherEvent.MEMBER_ADDED, channel, 'u1', `its first connection, on ${nodeName(0)}`);
      const second = await joinOn(ctx, last, channel, 'u1');
      for (const w of watchers) {
        await expectNoneBeforeSentinel(
          ctx,
          w.sock,
          added,
          `a second member_added for u1 (its second connection, on ${nodeName(last)}; watcher on ${nodeName(w.node)})`,
          channel,
        );
      }
      await first.sock.close();
      await sleep(ctx, SETTLE_MS);
      for (const w of watchers) {
        await expectNoneBeforeSentinel(
          ctx,
          w.sock,
          removed,
          `member_removed for u1 while its connection on ${nodeName(last)} is open (watcher on ${nodeName(w.node)})`,
          channel,
        );
      }
      await second.sock.close();
      for (const w of watchers)
        await expectMemberEvent(
          w,
          PusherEvent.MEMBER_REMOVED,
          channel,
          'u1',
          `its last connection, on ${nodeName(last)}, closed`,
          LEAVE_WINDOW_MS,
        );
      for (const w of watchers)
        await expectNoneBeforeSentinel(ctx, w.sock, removed, `a second member_removed for u1 (watcher on ${nodeName(w.node)})`, channel);
    },
  },
  {
    requirement: 'pusher/cluster/9',
    desc: 'Joins a watcher on the first node, user "gone" on the last and user "both" on both, kills the last node, and expects member_removed for "gone" (not "both") within the hub’s dead-node bound and the first node still delivering',
    cluster: true,
    exclusive: 'kills a node of the cluster and waits out its dead-node removal',
    timeoutMs: deadNodeCaseMs,
    async run(ctx) {
      const control = ctx.nodeControl;
      if (!control)
        return ctx.skip(
          'no way to kill one node: give the target’s nodes kill and restart commands (nodes[i].kill, nodes[i].restart), or run the embedded cluster (--cluster N)',
        );
      const channel = uniq('presence-');
      const last = lastNode(ctx);
      const watcher = await joinOn(ctx, 0, channel, 'watcher');
      await joinOn(ctx, 0, channel, 'both');
      await joinOn(ctx, last, channel, 'both');
      const gone = await joinOn(ctx, last, channel, 'gone');
      // Seeing a member of another node join is cluster/3's rule: a hub that breaks it cannot show this one.
      await needs(ctx, 'pusher/cluster/3', () =>
        expectMemberEvent(watcher, PusherEvent.MEMBER_ADDED, channel, 'gone', `joined on ${nodeName(last)}`),
      );
      const bound = deadNodeBound(ctx, Math.max(watcher.sock.activityTimeout, gone.sock.activityTimeout));
      ctx.note(`dead-node bound ${bound.ms} ms from ${bound.from}`);
      guardTimerWait(ctx, `the dead-node bound (${bound.from})`, bound.ms);
      const room = deadNodeCaseMs(ctx.timings) - 30_000;
      if (bound.ms + 5_000 > room)
        return ctx.skip(
          `the dead-node bound ${bound.ms} ms (${bound.from}) is longer than this case waits (${room} ms); give the target timings.dead_node_removal_ms and timings.activity_timeout_s ≥ ${Math.ceil(bound.ms / 1000)} so its deadline covers it`,
        );
      // Brought back before the case ends (a cold start takes seconds, longer than cleanup waits); the
      // cleanup only covers a case that failed before that.
      let back = false;
      ctx.defer(() => (back ? undefined : control.restart(last)));
      const killed = performance.now();
      await control.kill(last);
      try {
        await watcher.sock.waitFor(memberEvent(PusherEvent.MEMBER_REMOVED, channel, 'gone'), {
          desc: 'member_removed for gone',
          timeoutMs: bound.ms + 5_000,
        });
      } catch (err) {
        if (!(err instanceof CheckFailure)) throw err;
        throw new CheckFailure(
          `no member_removed for the killed ${nodeName(last)}’s user within ${bound.ms + 5_000} ms (bound ${bound.ms} ms from ${bound.from})`,
          err.expected,
          err.actual,
        );
      }
      const took = performance.now() - killed;
      ctx.note(`member_removed for the killed node’s user ${Math.round(took)} ms after the kill; bound ${bound.ms} ms (${bound.from})`);
      expectAtMost(Math.round(took), bound.ms, `the killed ${nodeName(last)}’s member was removed later than the bound (${bound.from})`, {
        unit: 'ms',
      });
      await expectNoneBeforeSentinel(
        ctx,
        watcher.sock,
        memberEvent(PusherEvent.MEMBER_REMOVED, channel, 'both'),
        'member_removed for "both", still connected to the first node',
        channel,
      );
      await control.restart(last);
      back = true;
    },
  },
];
