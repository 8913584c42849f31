import { describe, expect, it } from 'vitest';
import { createHistogram, encodeHistogram, mergeEncoded, percentileCurve, summarize } from '../../../load/measure/histogram.ts';

describe('latency histogram', () => {
  it('reports p50/p90/p99/p99.9/max in ms from µs samples', () => {
    const h = createHistogram();
    for (let i = 1; i <= 1000; i++) h.recordValue(i * 1000);
    const s = summarize(h);
    expect(s.count).toBe(1000);
    expect(s.p50).toBeCloseTo(500, 0);
    expect(s.p99).toBeCloseTo(990, 0);
    expect(s.max).toBeCloseTo(1000, 0);
  });

  it('merges histograms sent between threads as compressed base64', () => {
    const a = createHistogram();
    const b = createHistogram();
    a.recordValue(1000);
    b.recordValue(3000);
    mergeEncoded(a, encodeHistogram(b));
    expect(a.totalCount).toBe(2);
    expect(summarize(a).max).toBeCloseTo(3, 1);
  });

  it('draws a percentile curve that never decreases and ends at the max', () => {
    const h = createHistogram();
    for (let i = 0; i < 10_000; i++) h.recordValue(100 + (i % 97) * 13);
    const curve = percentileCurve(h);
    expect(curve[0]![0]).toBe(0);
    expect(curve.at(-1)).toEqual([100, summarize(h).max]);
    for (let i = 1; i < curve.length; i++) expect(curve[i]![1]).toBeGreaterThanOrEqual(curve[i - 1]![1]);
  });

  it('summarizes an empty histogram as zeros', () => {
    expect(summarize(createHistogram())).toMatchObject({ count: 0, p99: 0 });
  });
});
