import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHistogram, encodeHistogram, summarize } from '../../../load/measure/histogram.ts';
import { LatencyCounts } from '../../../load/measure/latency-counts.ts';

describe('hot-path latency counts', () => {
  it('drain into the very histogram that recording each value gives', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 2 ** 31 + 5_000_000 })), {
          minLength: 1,
          maxLength: 300,
        }),
        (values) => {
          const direct = createHistogram();
          const counts = new LatencyCounts();
          for (const v of values) {
            direct.recordValue(v);
            counts.record(v);
          }
          const drained = createHistogram();
          counts.drainInto(drained);
          expect(drained.totalCount).toBe(direct.totalCount);
          expect(summarize(drained)).toEqual(summarize(direct));
          expect(encodeHistogram(drained)).toBe(encodeHistogram(direct));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('starts afresh after a drain', () => {
    const c = new LatencyCounts();
    c.record(10);
    const a = createHistogram();
    c.drainInto(a);
    c.record(20);
    const b = createHistogram();
    c.drainInto(b);
    expect(summarize(b)).toMatchObject({ count: 1, max: 0.02 });
    expect(c.count).toBe(0);
  });
});
