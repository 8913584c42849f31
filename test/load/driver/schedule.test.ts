import { describe, expect, it } from 'vitest';
import { OpenSchedule } from '../../../load/driver/schedule.ts';
import { createHistogram, summarize } from '../../../load/measure/histogram.ts';

describe('OpenSchedule (coordinated omission)', () => {
  it('spaces sends at 1/rate from the start', () => {
    const s = new OpenSchedule(1_000_000, 100, 2_000_000);
    expect(s.due(1_025_000)).toEqual([
      [0, 1_000_000],
      [1, 1_010_000],
      [2, 1_020_000],
    ]);
  });

  it('after a stall issues every overdue send at once, each stamped with its own scheduled time', () => {
    const s = new OpenSchedule(0, 1000, 1_000_000);
    s.due(0);
    // The driver (or a blocked hub connection) stalls for 100 ms.
    const late = s.due(100_000);
    expect(late).toHaveLength(100);
    expect(late[0]).toEqual([1, 1000]);
    expect(late.at(-1)).toEqual([100, 100_000]);
  });

  it('latency from the scheduled time counts the stall for every send that waited behind it', () => {
    // A hub that answers instantly except one 100 ms stall: a closed-loop client would record one slow
    // sample; the open schedule records every send that should have gone out during the stall.
    const s = new OpenSchedule(0, 1000, 1_000_000);
    const h = createHistogram();
    let now = 0;
    for (let step = 0; step < 1000; step++) {
      now = step === 100 ? now + 100_000 : now + 1000;
      for (const [, at] of s.due(now)) h.recordValue(Math.max(1, now - at + 50));
    }
    const summary = summarize(h);
    // ~100 of 1000 sends waited behind the stall, 0…100 ms each: they own the tail, not one sample.
    expect(h.totalCount).toBe(1000);
    expect(summary.p50).toBeLessThan(1);
    expect(summary.p99).toBeGreaterThan(50);
    expect(summary.p99).toBeLessThan(101);
  });

  it('stops at the end of the window', () => {
    const s = new OpenSchedule(0, 10, 1_000_000);
    expect(s.due(5_000_000)).toHaveLength(10);
    expect(s.done).toBe(true);
  });

  it('rejects a non-positive rate', () => {
    expect(() => new OpenSchedule(0, 0, 1)).toThrow(TypeError);
  });
});
