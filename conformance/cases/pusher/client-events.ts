/**
 * pusher/client-events (capability client_events): relay to the others, never to the sender, only on
 * private/presence channels the sender holds, user_id on presence, and the rate limit (4301).
 */
import { frameData, PusherEvent } from '../../../spec/protocol/frames.ts';
import { pusherErrorCode, type PusherSocket } from '../../clients/pusher-socket.ts';
import { sleep } from '../../clients/wait.ts';
import { isEvent } from '../../clients/wire-socket.ts';
import { CheckFailure, type Case, type CaseContext } from '../../types.ts';
import { expectAtMost, expectFields } from '../../verify.ts';
import { expectAlive, expectNoneBeforeSentinel, member, probeClientEvents, requireCapability, subscribed, uniq } from './helpers.ts';
import { clientEventRate } from '../../limits.ts';

const needClientEvents = (ctx: CaseContext) => requireCapability(ctx, 'client_events', () => probeClientEvents(ctx));

/** Two connections subscribed to one private (or presence) channel. */
async function pair(ctx: CaseContext, prefix: 'private-' | 'presence-'): Promise<{ channel: string; a: PusherSocket; b: PusherSocket }> {
  const channel = uniq(prefix);
  const sub = (user: string) => (prefix === 'presence-' ? { sub: { channelData: member(user) } } : {});
  return { channel, a: await subscribed(ctx, channel, sub('u-a')), b: await subscribed(ctx, channel, sub('u-b')) };
}

/** Flood `n` client events from `a`; resolves with the first 4301 code seen (error frame or close) or null. */
async function flood(a: PusherSocket, channel: string, n: number): Promise<number | null> {
  for (let i = 0; i < n; i++) a.trigger(channel, 'client-flood', { i });
  const err = await a
    .waitFor((f) => f.event === PusherEvent.ERROR && pusherErrorCode(f) === 4301, { desc: 'pusher:error 4301', timeoutMs: 3000 })
    .catch(() => undefined);
  if (err) return 4301;
  return a.closeInfo?.code === 4301 ? 4301 : null;
}

export const clientEventCases: Case[] = [
  {
    requirement: 'pusher/client-events/1',
    desc: 'Sends a client- event on a private and on a presence channel and expects the other subscriber to receive it with the same data',
    async run(ctx: CaseContext) {
      await needClientEvents(ctx);
      for (const prefix of ['private-', 'presence-'] as const) {
        const { channel, a, b } = await pair(ctx, prefix);
        a.trigger(channel, 'client-hello', { hello: 'wörld', n: 1 });
        const got = await b.waitFor(isEvent('client-hello', channel), { desc: `client-hello on ${channel}` });
        expectFields(frameData(got), { hello: 'wörld' }, 'client event data changed in relay');
      }
    },
  },
  {
    requirement: 'pusher/client-events/2',
    desc: 'Sends a client event and checks the sender never receives its own event',
    async run(ctx: CaseContext) {
      await needClientEvents(ctx);
      const { channel, a, b } = await pair(ctx, 'private-');
      a.trigger(channel, 'client-echo', { echo: true });
      await b.waitFor(isEvent('client-echo', channel), { desc: 'client-echo at the other subscriber' });
      await expectNoneBeforeSentinel(ctx, a, isEvent('client-echo', channel), 'its own client event back (echo)', channel);
    },
  },
  {
    requirement: 'pusher/client-events/3',
    desc: 'Sends a client event on a public channel and checks the other subscriber never receives it (how the hub refuses is up to it)',
    async run(ctx: CaseContext) {
      await needClientEvents(ctx);
      const channel = uniq();
      const [a, b] = [await subscribed(ctx, channel), await subscribed(ctx, channel)];
      a.trigger(channel, 'client-public', { x: 1 });
      await expectNoneBeforeSentinel(ctx, b, isEvent('client-public', channel), 'a client event relayed on a public channel', channel);
    },
  },
  {
    requirement: 'pusher/client-events/4',
    desc: 'Sends a client event on a private channel the sender is not subscribed to and checks nothing is relayed',
    async run(ctx: CaseContext) {
      await needClientEvents(ctx);
      const channel = uniq('private-');
      const b = await subscribed(ctx, channel);
      const outsider = await subscribed(ctx, uniq('private-'));
      outsider.trigger(channel, 'client-outsider', { x: 1 });
      await expectNoneBeforeSentinel(
        ctx,
        b,
        isEvent('client-outsider', channel),
        'a client event from a connection not subscribed to the channel',
        channel,
      );
    },
  },
  {
    requirement: 'pusher/client-events/5',
    desc: 'Sends an event named without client- (and one named pusher_internal:member_added) on a private channel and checks neither is relayed',
    async run(ctx: CaseContext) {
      await needClientEvents(ctx);
      const { channel, a, b } = await pair(ctx, 'private-');
      a.trigger(channel, 'hp-not-client', { x: 1 });
      a.trigger(channel, PusherEvent.MEMBER_ADDED, JSON.stringify({ user_id: 'spoofed' }));
      await expectNoneBeforeSentinel(
        ctx,
        b,
        (f) => f.channel === channel && (f.event === 'hp-not-client' || f.event === PusherEvent.MEMBER_ADDED),
        'a relayed non-client event',
        channel,
      );
    },
  },
  {
    requirement: 'pusher/client-events/6',
    desc: 'Sends a client event on a presence channel as user u-a and expects the relayed frame to carry user_id "u-a"',
    async run(ctx: CaseContext) {
      await needClientEvents(ctx);
      const { channel, a, b } = await pair(ctx, 'presence-');
      a.trigger(channel, 'client-who', { who: '?' });
      const got = await b.waitFor(isEvent('client-who', channel), { desc: 'client-who at the other member' });
      expectFields(got, { user_id: 'u-a' }, 'relayed presence client event lacks the sender user_id');
    },
  },
  {
    requirement: 'pusher/client-events/7',
    desc: 'Sends three times the advertised client-event rate in one burst and expects 4301 and at most the limit (per window) relayed',
    async run(ctx: CaseContext) {
      await needClientEvents(ctx);
      const limit = clientEventRate(ctx);
      const { channel, a, b } = await pair(ctx, 'private-');
      const relayed = b.collect(isEvent('client-flood', channel));
      const sent = limit * 3;
      const code = await flood(a, channel, sent);
      if (code !== 4301)
        ctx.fail('client-event flood did not get 4301', {
          expected: `pusher:error or close 4301 after more than ${limit} events/s`,
          actual: `no 4301; ${a.recentSummary()}`,
        });
      await sleep(ctx, 300);
      // A burst may straddle two rate windows; more than two windows' worth is certainly excess.
      expectAtMost(relayed.length, Math.min(limit * 2, sent - 1), `hub relayed ${relayed.length} of ${sent} flooded events`);
    },
  },
  {
    requirement: 'pusher/client-events/8',
    desc: 'Exceeds the client-event rate limit, waits a second, and expects the connection still open and answering pings',
    async run(ctx: CaseContext) {
      await needClientEvents(ctx);
      const limit = clientEventRate(ctx);
      const { channel, a } = await pair(ctx, 'private-');
      const code = await flood(a, channel, limit * 3);
      if (code === null) throw new CheckFailure('client-event flood got no 4301', '4301, then an open connection', a.recentSummary());
      await sleep(ctx, 1000);
      await expectAlive(a, 'after rate-limiting client events', ctx);
    },
  },
  {
    requirement: 'pusher/client-events/9',
    desc: 'Probes client events between two connections on a private channel',
    async run(ctx: CaseContext) {
      await needClientEvents(ctx);
      if (!(await probeClientEvents(ctx)))
        ctx.fail('target declares client_events but the probe saw no relay', {
          expected: 'client-probe relayed',
          actual: 'not relayed within 1500 ms',
        });
    },
  },
];
