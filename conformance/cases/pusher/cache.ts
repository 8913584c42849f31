/** pusher/cache (capability cache_channels): last event replayed to new subscribers, cache_miss, auth. */
import { PusherEvent } from '../../../spec/protocol/frames.ts';
import { openPusherSocket } from '../../clients/pusher-socket.ts';
import { isEvent } from '../../clients/wire-socket.ts';
import { CheckFailure, type Case, type CaseContext } from '../../types.ts';
import { expectAbsent, expectThat } from '../../verify.ts';
import { expectSubscribeRefused, member, publish, requireCapability, subscribed, uniq, waitForData } from './helpers.ts';

/** A fresh cache- channel answers subscription_succeeded then pusher:cache_miss on a hub with cache channels. */
export async function probeCache(ctx: CaseContext): Promise<boolean> {
  const sock = await openPusherSocket(ctx);
  const channel = uniq('cache-');
  try {
    await sock.subscribe(channel);
    await sock.waitFor(isEvent(PusherEvent.CACHE_MISS, channel), { desc: 'pusher:cache_miss', timeoutMs: 1500 });
    return true;
  } catch (err) {
    if (err instanceof CheckFailure) return false;
    throw err;
  } finally {
    await sock.close();
  }
}

const needCache = (ctx: CaseContext) => requireCapability(ctx, 'cache_channels', () => probeCache(ctx));

export const cacheCases: Case[] = [
  {
    requirement: 'pusher/cache/1',
    desc: 'Publishes two events on a cache channel, then subscribes anew and expects the last one right after subscription_succeeded',
    async run(ctx: CaseContext) {
      await needCache(ctx);
      const channel = uniq('cache-');
      await publish(ctx, channel, 'hp-cached', '{"v":1}');
      await publish(ctx, channel, 'hp-cached', '{"v":2}');
      const sock = await subscribed(ctx, channel);
      const got = await waitForData(sock, channel, 'hp-cached', '{"v":2}');
      const i = sock.frames.indexOf(got);
      const ack = sock.frames.findIndex((f) => f.event === PusherEvent.SUBSCRIPTION_SUCCEEDED && f.channel === channel);
      const order = sock.frames.filter((f) => f.channel === channel).map((f) => f.event);
      expectThat(
        { ack, event: i },
        (x) => x.ack >= 0 && x.event > x.ack,
        'subscription_succeeded, then the cached event',
        `cached event did not follow subscription_succeeded (frames on the channel: ${order.join(', ')})`,
      );
      expectAbsent(
        sock.frames.find((f) => f.channel === channel && f.data === '{"v":1}'),
        'replay of the older event {"v":1}',
        'an older event was replayed too',
      );
    },
  },
  {
    requirement: 'pusher/cache/2',
    desc: 'Subscribes to a cache channel that never had an event and expects pusher:cache_miss',
    async run(ctx: CaseContext) {
      await needCache(ctx);
      const channel = uniq('cache-');
      const sock = await subscribed(ctx, channel);
      await sock.waitFor(isEvent(PusherEvent.CACHE_MISS, channel), { desc: `pusher:cache_miss on ${channel}` });
    },
  },
  {
    requirement: 'pusher/cache/3',
    desc: 'Subscribes to private-cache- and presence-cache- channels without auth (refused) and with auth (accepted)',
    async run(ctx: CaseContext) {
      await needCache(ctx);
      const sock = await openPusherSocket(ctx);
      const [priv, pres] = [uniq('private-cache-'), uniq('presence-cache-')];
      await expectSubscribeRefused(sock, priv, { auth: null, why: 'without auth' });
      await expectSubscribeRefused(sock, pres, { auth: null, channelData: member('u1'), why: 'without auth' });
      await sock.subscribe(priv);
      await sock.subscribe(pres, { channelData: member('u1') });
    },
  },
  {
    requirement: 'pusher/cache/4',
    desc: 'Probes cache channels: a fresh cache- channel answers with pusher:cache_miss',
    async run(ctx: CaseContext) {
      await needCache(ctx);
      if (!(await probeCache(ctx)))
        ctx.fail('target declares cache_channels but a fresh cache- channel sent no cache_miss', {
          expected: 'pusher:cache_miss',
          actual: 'none within 1500 ms',
        });
    },
  },
];
