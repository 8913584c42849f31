/** What is owed across the restart (docs/storm.md#lost), from hand-made records: timestamps in ms. */
import { describe, expect, it } from 'vitest';
import { accountStorm } from '../../../load/storm/storm-accounting.ts';
import type { ClientRecord } from '../../../load/storm/storm-fleet.ts';
import type { PublishRecord } from '../../../load/storm/storm-publisher.ts';

const CH = ['storm-x-0', 'private-storm-x-0', 'presence-storm-x-0'];
// Subscribed at 100, lost the connection at 3000 (the stop), back at 5000, re-subscribed at 9000.
const TIMES = { t0: 0, downAt: 3000, backAt: 5000, endAt: 12_000 };

function client(arrivals: Record<number, number[]> = {}, resubscribed: number | null = 9000): ClientRecord {
  const subscribed = new Map(CH.map((c) => [c, resubscribed === null ? [100] : [100, resubscribed]]));
  const arr = new Map(CH.map((c) => [c, new Map<number, number[]>()]));
  for (const [n, times] of Object.entries(arrivals)) arr.get(CH[0]!)!.set(Number(n), times);
  return { id: 0, group: 0, user: 'u0', channels: CH, connected: [50, 8990], left: [3005], subscribed, arrivals: arr };
}

const pub = (n: number, sentAt: number, status = 200): PublishRecord => ({ n, channel: CH[0]!, sentAt, answeredAt: sentAt + 5, status });
const view = { client: 0, channel: CH[2]!, count: 1, me: 'u0', ids: ['u0'] };

describe('storm accounting', () => {
  it('owes an accepted event published after the subscription was restored, and counts it lost when it never came', () => {
    const a = accountStorm([client({ 1: [1010] })], [pub(1, 1000), pub(2, 10_000)], TIMES, [view]);
    expect(a.events).toMatchObject({ expected: 2, received: 1, lost: 1 });
    expect(a.events.lostSamples[0]).toMatch(/^client 0 storm-x-0: event 2 \(sent at 10 s, 1 s after the subscription was confirmed\)$/);
  });

  it('owes nothing for publishes refused while the hub was down, and counts them apart from publish errors', () => {
    const a = accountStorm([client()], [pub(1, 3500, 0), pub(2, 4000, 503), pub(3, 11_000, 500)], TIMES, [view]);
    expect(a.events).toMatchObject({ expected: 0, lost: 0, refusedDuringOutage: 2, refusedOutside: 1 });
  });

  it('owes nothing published after the hub came back but before this client re-subscribed, nor while the hub was going down', () => {
    const a = accountStorm([client()], [pub(1, 6000), pub(2, 2999)], TIMES, [view]);
    expect(a.events.expected).toBe(0);
  });

  it('counts a second arrival of an event as a duplicate', () => {
    const a = accountStorm([client({ 1: [1010, 9100] })], [pub(1, 1000)], TIMES, [view]);
    expect(a.events).toMatchObject({ expected: 1, received: 1, duplicated: 1 });
  });

  it('times the restore from the hub answering again, and counts a subscription never confirmed again as unrestored', () => {
    const a = accountStorm([client()], [], TIMES, [view]);
    expect(a.restore).toMatchObject({ count: 1, maxS: 4, unrestoredSubscriptions: 0 });
    expect(a.noticed).toMatchObject({ count: 1, maxS: 0.005 });
    expect(a.reconnect).toMatchObject({ count: 1, maxS: 3.99 });
    const b = accountStorm([client({}, null)], [], TIMES, [view]);
    expect(b.restore).toMatchObject({ count: 0, maxS: null, unrestoredSubscriptions: 3 });
  });

  it('finds a restored presence view that misses a restored member of its group', () => {
    const other: ClientRecord = { ...client(), id: 1, user: 'u1' };
    const a = accountStorm([client(), other], [], TIMES, [view, { ...view, client: 1, me: 'u1', ids: ['u0', 'u1'], count: 2 }]);
    expect(a.presence).toMatchObject({ checked: 2, wrong: 1 });
    expect(a.presence.samples[0]).toBe('client 0 presence-storm-x-0: 1 members (want 2, missing u1), me u0');
  });
});
