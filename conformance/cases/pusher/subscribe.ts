/** pusher/subscribe: subscription kinds, fan-out to exactly the subscribers, unsubscribe, order. */
import fc from 'fast-check';
import { PusherEvent, type Frame } from '../../../spec/protocol/frames.ts';
import { pusherApi } from '../../clients/http.ts';
import { openPusherSocket } from '../../clients/pusher-socket.ts';
import { isEvent } from '../../clients/wire-socket.ts';
import { checkProperty } from '../../property.ts';
import type { Case, CaseContext } from '../../types.ts';
import { expectEqual, expectSameSet, expectStatus } from '../../verify.ts';
import { expectDelivers, expectNoneBeforeSentinel, member, publish, subscribed, uniq, waitForData } from './helpers.ts';

/** Waits until the hub has processed everything sent so far on this connection (frames are handled in order). */
async function sync(sock: Awaited<ReturnType<typeof openPusherSocket>>): Promise<void> {
  sock.send({ event: PusherEvent.PING, data: {} });
  await sock.waitFor(isEvent(PusherEvent.PONG), { desc: 'pusher:pong (sync point)', fresh: true });
}

/**
 * An event's data as the failure shows it: the publish number n of `{"n":n}` exactly as published, else
 * the data string itself. One-to-one, so comparing these compares the data strings.
 */
function publishNumber(data: string): number | string {
  try {
    const n: unknown = JSON.parse(data)?.n;
    return typeof n === 'number' && JSON.stringify({ n }) === data ? n : data;
  } catch {
    return data;
  }
}

/** One publish step: a single event, or a batch of events in one request. */
type Step = { kind: 'event'; ch: number } | { kind: 'batch'; chs: number[] };
const CHANNELS = 3;
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('event' as const), ch: fc.nat({ max: CHANNELS - 1 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('batch' as const),
      chs: fc.array(fc.nat({ max: CHANNELS - 1 }), { minLength: 1, maxLength: 4 }),
    }),
  },
);

/**
 * Publishes the steps in order (each request awaited) and checks what two subscribers of all channels
 * received per channel: exactly the published sequence (`order`) or the same multiset (`!order`).
 */
async function publishAndCompare(ctx: CaseContext, steps: Step[], order: boolean): Promise<void> {
  const channels = Array.from({ length: CHANNELS }, () => uniq());
  const subs = [await subscribed(ctx, channels), await subscribed(ctx, channels)];
  const expected: string[][] = channels.map(() => []);
  const api = pusherApi(ctx);
  let n = 0;
  for (const step of steps) {
    const chs = step.kind === 'event' ? [step.ch] : step.chs;
    const items = chs.map((ch) => ({ name: 'hp-seq', channel: channels[ch]!, data: JSON.stringify({ n: n++ }) }));
    const res = step.kind === 'event' ? await api.trigger(items[0]!) : await api.batch(items);
    expectStatus(res, 200, 'publishing');
    chs.forEach((ch, i) => expected[ch]!.push(items[i]!.data));
  }
  // A sentinel per channel, published last, marks the end of each channel's stream.
  for (const ch of channels) await publish(ctx, ch, 'hp-end', '"end"');
  for (const sock of subs)
    for (const ch of channels)
      await sock.waitFor((f) => f.event === 'hp-end' && f.channel === ch, { desc: `hp-end on ${ch}`, timeoutMs: 5000 });
  for (const sock of subs) {
    channels.forEach((ch, i) => {
      const got = sock.frames.filter((f: Frame) => f.event === 'hp-seq' && f.channel === ch).map((f) => publishNumber(String(f.data)));
      const want = expected[i]!.map(publishNumber);
      if (order) expectEqual(got, want, `${sock.label} saw channel ${i}'s events out of publish order`);
      else expectSameSet(got, want, `${sock.label} saw channel ${i}'s events with losses or duplicates`);
    });
  }
}

export const subscribeCases: Case[] = [
  {
    requirement: 'pusher/subscribe/1',
    desc: 'Subscribes to a public channel without auth',
    async run(ctx: CaseContext) {
      const sock = await openPusherSocket(ctx);
      await sock.subscribe(uniq(), { auth: null });
    },
  },
  {
    requirement: 'pusher/subscribe/2',
    desc: 'Subscribes to public, private and presence channels (and cache/encrypted ones when declared) and checks each subscription_succeeded names its channel',
    async run(ctx: CaseContext) {
      const sock = await openPusherSocket(ctx);
      const caps = { ...(ctx.hub?.capabilities ?? {}), ...(ctx.target.capabilities ?? {}) };
      const names = [uniq(), uniq('private-'), uniq('presence-')];
      if (caps.cache_channels) names.push(uniq('cache-'), uniq('private-cache-'));
      if (caps.encrypted_channels) names.push(uniq('private-encrypted-'));
      for (const name of names) {
        const ack = await sock.subscribe(name, name.startsWith('presence-') ? { channelData: member('u-sub2') } : {});
        expectEqual(ack.channel, name, 'subscription_succeeded names another channel');
      }
    },
  },
  {
    requirement: 'pusher/subscribe/3',
    desc: 'Publishes on a channel with three subscribers, one connection on another channel and one unsubscribed, and checks exactly the three receive it',
    async run(ctx: CaseContext) {
      const [a, b] = [uniq(), uniq()];
      const subs = [await subscribed(ctx, a), await subscribed(ctx, a), await subscribed(ctx, a)];
      const other = await subscribed(ctx, b);
      const none = await openPusherSocket(ctx);
      const data = JSON.stringify({ fanout: uniq() });
      await publish(ctx, a, 'hp-fanout', data);
      for (const s of subs) await waitForData(s, a, 'hp-fanout', data);
      await expectNoneBeforeSentinel(ctx, other, (f) => f.event === 'hp-fanout', 'an event of a channel it is not subscribed to', b);
      await none.expectNone((f) => f.event === 'hp-fanout', { withinMs: 300, desc: 'an event while subscribed to nothing' });
    },
  },
  {
    requirement: 'pusher/subscribe/3',
    desc: 'Publishes random sequences of events and batches across three channels to two subscribers and checks none is lost or duplicated',
    property: true,
    timeoutMs: 60_000,
    run: (ctx) =>
      checkProperty(ctx, fc.array(stepArb, { minLength: 1, maxLength: 12 }), (steps, run) => publishAndCompare(run, steps, false), {
        timeBudgetMs: 40_000,
      }),
  },
  {
    requirement: 'pusher/subscribe/4',
    desc: 'Receives an event, unsubscribes, and checks no later event of that channel arrives',
    async run(ctx: CaseContext) {
      const [gone, kept] = [uniq(), uniq()];
      const sock = await subscribed(ctx, [gone, kept]);
      const first = JSON.stringify({ before: true });
      await publish(ctx, gone, 'hp-before', first);
      await waitForData(sock, gone, 'hp-before', first);
      sock.unsubscribe(gone);
      await sync(sock);
      await publish(ctx, gone, 'hp-after', '{"after":true}');
      await expectNoneBeforeSentinel(ctx, sock, (f) => f.event === 'hp-after', 'an event of a channel it unsubscribed from', kept);
    },
  },
  {
    requirement: 'pusher/subscribe/5',
    desc: 'Subscribes to two channels, unsubscribes from one, and checks the other still delivers',
    async run(ctx: CaseContext) {
      const [gone, kept] = [uniq(), uniq()];
      const sock = await subscribed(ctx, [gone, kept]);
      sock.unsubscribe(gone);
      await sync(sock);
      await expectDelivers(ctx, sock, kept, 'after unsubscribing from another channel');
    },
  },
  {
    requirement: 'pusher/subscribe/6',
    desc: 'Subscribes to the same channel twice, publishes one event, and checks it arrives once',
    async run(ctx: CaseContext) {
      const channel = uniq();
      const sock = await subscribed(ctx, channel);
      sock.send({ event: PusherEvent.SUBSCRIBE, data: { channel } });
      await sync(sock);
      const data = JSON.stringify({ once: uniq() });
      await publish(ctx, channel, 'hp-once', data);
      await waitForData(sock, channel, 'hp-once', data);
      await expectNoneBeforeSentinel(ctx, sock, (f) => f.event === 'hp-once', 'the event a second time', channel);
    },
  },
  {
    requirement: 'pusher/subscribe/7',
    desc: 'Publishes random sequences of events and batches across three channels to two subscribers and checks each channel arrives in publish order',
    property: true,
    timeoutMs: 60_000,
    run: (ctx) =>
      checkProperty(ctx, fc.array(stepArb, { minLength: 2, maxLength: 12 }), (steps, run) => publishAndCompare(run, steps, true), {
        timeBudgetMs: 40_000,
      }),
  },
];
