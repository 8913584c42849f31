/**
 * Theil–Sen with Sen's interval, held to scipy.stats.theilslopes (scipy 1.17.1, alpha 0.95) on the same
 * data: a noisy line, the same line with four gross outliers, integer steps with ties at uneven x (the
 * shape of descriptor counts), and a constant. Expected values were printed by scipy.
 */
import { describe, expect, it } from 'vitest';
import { evenlySpaced, roundHalfEven, theilSen } from '../../../load/soak/theil-sen.ts';

const x = Array.from({ length: 20 }, (_, i) => i);
const noise = [0.3, -0.2, 0.1, -0.4, 0.25, 0, -0.15, 0.35, -0.3, 0.05, 0.2, -0.25, 0.1, -0.05, 0.4, -0.35, 0.15, -0.1, 0.3, -0.2];
const line = x.map((i) => 3 + 0.5 * i + noise[i]!);

describe('theilSen', () => {
  it('matches scipy on a noisy line', () => {
    const f = theilSen(x, line)!;
    expect(f.slope).toBeCloseTo(0.5, 12);
    expect(f.intercept).toBeCloseTo(3.125, 12);
    expect(f.low).toBeCloseTo(0.4750000000000001, 12);
    expect(f.high).toBeCloseTo(0.5222222222222223, 12);
    expect(f.pairs).toBe(190);
  });

  it('matches scipy with four gross outliers, and stays near the true slope', () => {
    const y = [...line];
    y[3] = 40;
    y[9] = -30;
    y[14] = 55;
    y[17] = 80;
    const f = theilSen(x, y)!;
    expect(f.slope).toBeCloseTo(0.4980769230769231, 12);
    expect(f.intercept).toBeCloseTo(3.49326923076923, 12);
    expect(f.low).toBeCloseTo(0.46111111111111114, 12);
    expect(f.high).toBeCloseTo(0.5499999999999998, 12);
    expect(f.low).toBeLessThan(0.5);
    expect(f.high).toBeGreaterThan(0.5);
  });

  it('matches scipy on integer steps with ties at uneven times (the tie correction moves the interval)', () => {
    const xc = [1.05, 2.21, 3.32, 4.21, 5.13, 6.28, 7.08, 8.21, 9.33, 10.32, 11.24, 12.15, 13.05, 14.03, 15.03, 16.05];
    const yc = [98, 100, 98, 99, 99, 102, 100, 103, 103, 103, 100, 103, 104, 104, 102, 104];
    const f = theilSen(xc, yc)!;
    expect(f.slope).toBeCloseTo(0.3450102208720025, 12);
    expect(f.intercept).toBeCloseTo(98.97426036295253, 12);
    // Without the correction for ties in y the interval would be 0.19627…–0.53937….
    expect(f.low).toBeCloseTo(0.2047082906857728, 12);
    expect(f.high).toBeCloseTo(0.5319148936170216, 12);
  });

  it('gives a zero slope with a zero-width interval for a constant', () => {
    const f = theilSen(x.slice(0, 10), new Array(10).fill(7))!;
    expect([f.slope, f.low, f.high, f.intercept]).toEqual([0, 0, 0, 7]);
  });

  it('needs two distinct x', () => {
    expect(theilSen([1], [2])).toBeUndefined();
    expect(theilSen([1, 1], [2, 3])).toBeUndefined();
    expect(() => theilSen([1, 2], [1])).toThrow(RangeError);
  });

  it('rounds halves to even, as numpy', () => {
    expect([0.5, 1.5, 2.5, -2.5, -3.5, 2.4].map(roundHalfEven)).toEqual([0, 2, 2, -2, -4, 2]);
  });

  it('thins to evenly spaced points, first and last kept', () => {
    expect(evenlySpaced(5, 10)).toEqual([0, 1, 2, 3, 4]);
    const idx = evenlySpaced(10_001, 2000);
    expect(idx).toHaveLength(2000);
    expect([idx[0], idx.at(-1)]).toEqual([0, 10_000]);
    expect(new Set(idx).size).toBe(2000);
  });
});
