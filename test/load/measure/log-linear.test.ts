import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addCounts,
  bucketBounds,
  bucketOf,
  BUCKET_COUNT,
  totalCount,
  valueAtPercentile,
  type BucketCounts,
} from '../../../load/measure/log-linear.ts';
import { createHistogram, summarize } from '../../../load/measure/histogram.ts';
import { addEncoded } from '../../../load/measure/mergeable.ts';

const count = (values: number[]): BucketCounts => {
  const c: BucketCounts = {};
  for (const v of values) c[bucketOf(v)] = (c[bucketOf(v)] ?? 0) + 1;
  return c;
};

describe('log-linear latency buckets', () => {
  it('puts every whole ms in the one bucket whose bounds hold it, exact below 32 ms and ≤ 6.25 % wide above', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 20 - 1 }), (v) => {
        const [lo, hi] = bucketBounds(bucketOf(v));
        expect(lo).toBeLessThanOrEqual(v);
        expect(hi).toBeGreaterThanOrEqual(v);
        if (v < 32) expect(hi).toBe(lo);
        else expect(hi - lo + 1).toBeLessThanOrEqual(lo / 16);
      }),
    );
  });

  it('numbers its buckets contiguously: each starts one ms after the previous ends', () => {
    for (let i = 1; i < BUCKET_COUNT; i++) expect(bucketBounds(i)[0]).toBe(bucketBounds(i - 1)[1] + 1);
    expect(bucketOf(10 ** 9)).toBe(BUCKET_COUNT - 1);
    expect(bucketOf(-3)).toBe(0);
  });

  it('gives the same percentiles whether the samples were counted by one generator or summed over several', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 200 }), { minLength: 1, maxLength: 5 }),
        (parts) => {
          const whole = count(parts.flat());
          const merged = parts.map(count).reduce((a, b) => addCounts(a, b), {});
          expect(merged).toEqual(whole);
          for (const p of [50, 90, 99, 99.9, 100]) expect(valueAtPercentile(merged, p)).toBe(valueAtPercentile(whole, p));
        },
      ),
    );
  });

  it('reports the percentile as the top of the bucket holding that rank', () => {
    const c = count([1, 2, 3, 4, 5, 6, 7, 8, 9, 100]);
    expect(totalCount(c)).toBe(10);
    expect(valueAtPercentile(c, 50)).toBe(5);
    expect(valueAtPercentile(c, 90)).toBe(9);
    expect(valueAtPercentile(c, 99)).toBe(bucketBounds(bucketOf(100))[1]);
    expect(valueAtPercentile({}, 99)).toBe(0);
  });

  it('decodes into an HDR histogram whose percentiles agree with the buckets', () => {
    const values = Array.from({ length: 1000 }, (_, i) => (i * 37) % 400);
    const c = count(values);
    const h = createHistogram();
    addEncoded(h, { encoding: 'log-linear', unit: 'ms', subBuckets: 16, counts: c });
    const s = summarize(h);
    expect(s.count).toBe(1000);
    expect(s.p99).toBeCloseTo(valueAtPercentile(c, 99), 0);
    expect(s.p50).toBeCloseTo(valueAtPercentile(c, 50), 0);
  });
});
