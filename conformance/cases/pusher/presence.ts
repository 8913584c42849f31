/**
 * pusher/presence: the member list is per user, not per connection. Explicit scenarios for each rule;
 * the model-based property over joins and leaves lives in presence-model.ts and proves /4 and /6 at once.
 */
import { frameData, PusherEvent, type Frame } from '../../../spec/protocol/frames.ts';
import { openPusherSocket, type PusherSocket } from '../../clients/pusher-socket.ts';
import { needs } from '../../needs.ts';
import { isEvent } from '../../clients/wire-socket.ts';
import { NO_SERVER_PING } from '../../root-cause.ts';
import { CheckFailure, type Case, type CaseContext } from '../../types.ts';
import { blockedBy, expectAtLeast, expectEqual, expectEvery, expectIncludes, expectSameSet, expectThat } from '../../verify.ts';
import {
  bareMember,
  expectNoneBeforeSentinel,
  joinPresence as join,
  memberUserId as userIdOf,
  presenceOf,
  proxiedNode,
  uniq,
} from './helpers.ts';
import { presenceModelCase } from './presence-model.ts';
import { silentCaseTimeout, silentCloseWindowMs } from './server-ping.ts';

const memberEvent = (event: string, channel: string, userId: string) => (f: Frame) =>
  f.event === event && f.channel === channel && userIdOf(f) === userId;

/** Waits for member_added / member_removed of `userId` on `channel`. */
function waitMember(sock: PusherSocket, kind: 'added' | 'removed', channel: string, userId: string, timeoutMs = 3000): Promise<Frame> {
  const event = kind === 'added' ? PusherEvent.MEMBER_ADDED : PusherEvent.MEMBER_REMOVED;
  return sock.waitFor(memberEvent(event, channel, userId), { desc: `${event} for ${userId} on ${channel}`, timeoutMs });
}

// ---- explicit scenarios -----------------------------------------------------------------------

export const presenceCases: Case[] = [
  {
    requirement: 'pusher/presence/1',
    desc: 'Joins a presence channel and checks subscription_succeeded data is a JSON string {presence:{ids, hash, count}} that includes the subscriber',
    async run(ctx: CaseContext) {
      const { ack } = await join(ctx, uniq('presence-'), 'u-self');
      expectThat(ack.data, (d) => typeof d === 'string', 'a JSON string', 'presence subscription_succeeded data is not a string');
      const p = presenceOf(ack);
      expectIncludes(p.ids, ['u-self'], 'presence data does not include the subscriber');
      expectIncludes(Object.keys(p.hash), ['u-self'], 'presence data does not include the subscriber');
      expectAtLeast(p.count, 1, 'presence data does not include the subscriber');
    },
  },
  {
    requirement: 'pusher/presence/2',
    desc: 'Joins user u1 on two connections and u2 on one, then joins u3 and checks ids, hash and count list each user once',
    async run(ctx: CaseContext) {
      const channel = uniq('presence-');
      await join(ctx, channel, 'u1');
      await join(ctx, channel, 'u1');
      await join(ctx, channel, 'u2');
      const p = presenceOf((await join(ctx, channel, 'u3')).ack);
      const want = ['u1', 'u2', 'u3'];
      expectSameSet(p.ids, want, 'presence ids do not list each user once');
      expectSameSet(Object.keys(p.hash), want, 'presence hash does not list each user once');
      expectEqual(p.count, 3, 'presence count counts connections, not users');
    },
  },
  {
    requirement: 'pusher/presence/3',
    desc: 'Joins with a nested, non-ASCII user_info and checks member_added and a later subscriber’s hash carry it unchanged',
    async run(ctx: CaseContext) {
      const channel = uniq('presence-');
      const info = { name: 'Zoë ✓', tags: ['a', 1, 1.5, null, true], nested: { deep: { list: [] as unknown[] } }, big: 9007199254740991 };
      const { sock: observer } = await join(ctx, channel, 'u-observer');
      await join(ctx, channel, 'u-info', info);
      const added = frameData<{ user_info?: unknown }>(await waitMember(observer, 'added', channel, 'u-info'));
      expectEqual(added?.user_info, info, 'member_added changed user_info');
      const p = presenceOf((await join(ctx, channel, 'u-late')).ack);
      expectEqual(p.hash['u-info'], info, 'presence hash changed user_info');
    },
  },
  {
    requirement: 'pusher/presence/4',
    desc: 'Joins user u1 twice while an observer watches, and checks member_added for u1 arrives once',
    async run(ctx: CaseContext) {
      const channel = uniq('presence-');
      const { sock: observer } = await join(ctx, channel, 'observer');
      await join(ctx, channel, 'u1');
      await waitMember(observer, 'added', channel, 'u1');
      await join(ctx, channel, 'u1');
      await expectNoneBeforeSentinel(
        ctx,
        observer,
        memberEvent(PusherEvent.MEMBER_ADDED, channel, 'u1'),
        'a second member_added for u1 (second connection of the same user)',
        channel,
      );
    },
  },
  {
    requirement: 'pusher/presence/5',
    desc: 'Joins a presence channel and checks the joining connection gets no member_added for its own subscription',
    async run(ctx: CaseContext) {
      const channel = uniq('presence-');
      const { sock } = await join(ctx, channel, 'u-me');
      await expectNoneBeforeSentinel(
        ctx,
        sock,
        memberEvent(PusherEvent.MEMBER_ADDED, channel, 'u-me'),
        'member_added for its own subscription',
        channel,
      );
    },
  },
  {
    requirement: 'pusher/presence/6',
    desc: 'Joins u1 on two connections, unsubscribes one (no member_removed), then closes the other and expects member_removed',
    async run(ctx: CaseContext) {
      const channel = uniq('presence-');
      const { sock: observer } = await join(ctx, channel, 'observer');
      const a = await join(ctx, channel, 'u1');
      const b = await join(ctx, channel, 'u1');
      await waitMember(observer, 'added', channel, 'u1');
      a.sock.unsubscribe(channel);
      a.sock.send({ event: PusherEvent.PING, data: {} });
      await a.sock.waitFor(isEvent(PusherEvent.PONG), { desc: 'pusher:pong after unsubscribe', fresh: true });
      await expectNoneBeforeSentinel(
        ctx,
        observer,
        memberEvent(PusherEvent.MEMBER_REMOVED, channel, 'u1'),
        'member_removed for u1 while u1 still has a connection',
        channel,
      );
      await b.sock.close();
      await waitMember(observer, 'removed', channel, 'u1');
    },
  },
  presenceModelCase,
  {
    requirement: 'pusher/presence/7',
    timerBound: true,
    desc: 'Drops a member’s connection without a close frame (TCP close), and another through a stalled proxy (no FIN at all), and expects member_removed for both',
    timeoutMs: silentCaseTimeout(15_000),
    async run(ctx: CaseContext) {
      const channel = uniq('presence-');
      const { sock: observer } = await join(ctx, channel, 'observer');
      const dropped = await join(ctx, channel, 'u-dropped');
      await waitMember(observer, 'added', channel, 'u-dropped');
      dropped.sock.terminate();
      // The TCP-close half is judged on its own: the hub sees the close at once.
      await waitMember(observer, 'removed', channel, 'u-dropped', 5000);
      const via = await proxiedNode(ctx);
      if (!via) return ctx.note('wss target: stalled-proxy drop not tried');
      const stalled = await join(ctx, channel, 'u-stalled', undefined, via.node);
      await waitMember(observer, 'added', channel, 'u-stalled');
      const pipe = via.proxy.connectionFor(stalled.sock.localPort ?? -1);
      const bytesBefore = pipe?.bytesDown ?? 0;
      via.proxy.stall();
      ctx.log('fault', 'proxy', 'stalled every proxied connection (TCP stays up, nothing moves)');
      const window = silentCloseWindowMs(ctx.timings, stalled.sock.activityTimeout || ctx.timings.activityTimeoutS);
      try {
        await waitMember(observer, 'removed', channel, 'u-stalled', window);
      } catch (err) {
        // The stalled half needs the hub to notice a dead connection by its unanswered ping (heartbeat/4).
        const hubEnded = stalled.sock.closeInfo !== undefined || (pipe !== undefined && !via.proxy.connections().includes(pipe));
        if (!(err instanceof CheckFailure) || hubEnded) throw err;
        const sentAnything = (pipe?.bytesDown ?? 0) > bytesBefore;
        blockedBy(
          'pusher/heartbeat/4',
          `TCP-close half passed; the hub never closed the stalled connection within ${window} ms (${sentAnything ? 'it sent frames into the stall but never timed it out' : 'it sent nothing into the stall: no ping'}), so it never learned the member left`,
          sentAnything ? {} : { rootCause: NO_SERVER_PING },
        );
      }
      ctx.note(`stalled connection ${stalled.sock.label} was reported removed`);
    },
  },
  {
    requirement: 'pusher/presence/8',
    desc: 'Joins with a numeric user_id 42 and checks ids, hash keys, member_added and member_removed all carry the string "42"',
    async run(ctx: CaseContext) {
      const channel = uniq('presence-');
      const { sock: observer } = await join(ctx, channel, 'observer');
      const numeric = await join(ctx, channel, 42);
      const added = await observer.waitFor((f) => f.event === PusherEvent.MEMBER_ADDED && f.channel === channel, {
        desc: 'member_added for user 42',
      });
      expectEqual(userIdOf(added), '42', 'member_added user_id is not the string "42"');
      const p = presenceOf(numeric.ack);
      expectIncludes(p.ids, ['42'], 'presence ids are not strings');
      expectEvery(p.ids, (id) => typeof id === 'string', 'is a string', 'presence ids are not strings');
      expectIncludes(Object.keys(p.hash), ['42'], 'presence hash keys do not include "42"');
      await numeric.sock.close();
      const removed = await observer.waitFor((f) => f.event === PusherEvent.MEMBER_REMOVED && f.channel === channel, {
        desc: 'member_removed for user 42',
      });
      expectEqual(userIdOf(removed), '42', 'member_removed user_id is not the string "42"');
    },
  },
  {
    requirement: 'pusher/presence/9',
    desc: 'Joins a fresh presence channel with channel_data {"user_id":"u-bare"} (no user_info) and expects subscription_succeeded',
    async run(ctx: CaseContext) {
      const sock = await openPusherSocket(ctx, { label: 'ws:u-bare' });
      await sock.subscribe(uniq('presence-'), { channelData: bareMember('u-bare') });
    },
  },
  {
    requirement: 'pusher/presence/9',
    desc: 'Joins a presence channel whose members carry user_info as a member without user_info, and expects it confirmed and announced to the others with member_added',
    async run(ctx: CaseContext) {
      const channel = uniq('presence-');
      const { sock: observer } = await join(ctx, channel, 'observer');
      const sock = await openPusherSocket(ctx, { label: 'ws:u-bare' });
      await sock.subscribe(channel, { channelData: bareMember('u-bare') });
      await waitMember(observer, 'added', channel, 'u-bare');
    },
  },
  {
    requirement: 'pusher/presence/10',
    desc: 'Joins u-bare without user_info beside a member with it, then joins a third member and checks ids, hash and count list u-bare',
    async run(ctx: CaseContext) {
      const channel = uniq('presence-');
      await join(ctx, channel, 'u-info');
      const bare = await openPusherSocket(ctx, { label: 'ws:u-bare' });
      await needs(ctx, 'pusher/presence/9', () => bare.subscribe(channel, { channelData: bareMember('u-bare') }));
      const p = presenceOf((await join(ctx, channel, 'u-late')).ack);
      const want = ['u-info', 'u-bare', 'u-late'];
      expectSameSet(p.ids, want, 'presence ids leave out the member without user_info');
      expectSameSet(Object.keys(p.hash), want, 'presence hash leaves out the member without user_info');
      expectEqual(p.count, 3, 'presence count leaves out the member without user_info');
    },
  },
];
