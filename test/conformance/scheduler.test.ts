/**
 * The scheduler on its own, with cases that only sleep and a probe that always finds the hub up: how many
 * run at once, exclusive cases alone, timer-bound cases beside the busy ones, rows in registry order.
 */
import { describe, expect, it } from 'vitest';
import type { HubProbe } from '../../conformance/liveness.ts';
import { OrderedProgress } from '../../conformance/ordered-progress.ts';
import { Scheduler, startOrder, type Slot } from '../../conformance/scheduler.ts';
import type { CaseResult } from '../../conformance/types.ts';

const up = (): HubProbe => ({ up: true, at: performance.now(), doneAt: performance.now(), summary: 'up' });

function row(id: string): CaseResult {
  return { id, requirement: id.split('#')[0]!, level: 'MUST', desc: id, outcome: 'pass', durationMs: 0, wire: [] };
}

async function schedule(slots: Slot[], concurrency: number, ms: (s: Slot) => number) {
  let running = 0;
  let most = 0;
  const overlaps: string[] = [];
  const live = new Set<Slot>();
  const written: string[] = [];
  const started: string[] = [];
  const progress = new OrderedProgress(slots.length, { write: () => undefined, plain: true, onResult: (r) => written.push(r.id) });
  const scheduler = new Scheduler({
    slots,
    concurrency,
    runOne: async (index) => {
      const slot = slots[index]!;
      started.push(slot.id);
      for (const other of live) if (other.exclusive || slot.exclusive) overlaps.push(`${slot.id} with ${other.id}`);
      live.add(slot);
      if (!slot.timerBound) most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, ms(slot)));
      if (!slot.timerBound) running--;
      live.delete(slot);
      return [row(slot.id)];
    },
    charged: () => [],
    blocked: () => [],
    probe: async () => up(),
    firstProbe: up(),
    hubDownWaitMs: 100,
    progress,
    warn: () => undefined,
  });
  const out = await scheduler.run();
  progress.finish();
  return { out, most, overlaps, written, started };
}

const slots: Slot[] = [
  { index: 0, id: 'a#1', expectedMs: 10_000 },
  { index: 1, id: 'b#1', expectedMs: 10_000, timerBound: true },
  { index: 2, id: 'c#1', expectedMs: 10_000, exclusive: 'restarts the hub' },
  { index: 3, id: 'd#1', expectedMs: 20_000 },
  { index: 4, id: 'e#1', expectedMs: 10_000 },
  { index: 5, id: 'f#1', expectedMs: 10_000 },
  { index: 6, id: 'g#1', expectedMs: 10_000, timerBound: true },
];

describe('the scheduler', () => {
  it('starts exclusive cases first, then the rest longest deadline first', () => {
    expect(startOrder(slots).map((s) => s.id)).toEqual(['c#1', 'd#1', 'a#1', 'b#1', 'e#1', 'f#1', 'g#1']);
  });

  it('runs at most N busy cases at once, timer-bound ones beside them, exclusive ones alone; writes rows in registry order', async () => {
    const { out, most, overlaps, written } = await schedule(slots, 2, (s) => (s.timerBound ? 120 : 40));
    expect(most).toBe(2);
    expect(overlaps).toEqual([]);
    expect(written).toEqual(slots.map((s) => s.id));
    expect([...out.rows.keys()].sort()).toEqual(slots.map((s) => s.index));
    expect(out.findings).toEqual([]);
  });

  it('with concurrency 1 runs every case alone, in registry order', async () => {
    const { most, started, written } = await schedule(slots, 1, () => 5);
    expect(most).toBe(1);
    expect(started).toEqual(slots.map((s) => s.id));
    expect(written).toEqual(slots.map((s) => s.id));
  });
});
