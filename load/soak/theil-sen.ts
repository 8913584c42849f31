/**
 * Theil–Sen line fit with Sen's (1968) distribution-free confidence interval for the slope: the slope is
 * the median of the pairwise slopes; the interval takes the ranks (N ∓ z·σ)/2 of the ordered slopes, σ²
 * the variance of Kendall's S corrected for ties in x and y (Sen 1968, eq. 2.6). Ranks are rounded half
 * to even and indexed as scipy.stats.theilslopes does, so the two agree to the last digit (the tests
 * hold it to scipy's output). Robust: up to ~29 % of the points may be arbitrary outliers.
 */

export interface TheilSenFit {
  /** Median pairwise slope (y units per x unit). */
  slope: number;
  /** median(y) − slope × median(x), as scipy's default. */
  intercept: number;
  /** The confidence interval of the slope (95 % by default). */
  low: number;
  high: number;
  /** Points fitted, and the pairwise slopes they gave. */
  n: number;
  pairs: number;
}

/** Largest number of points fitted exactly; beyond it, evenly spaced points are taken (2000 → ~2 M pairs). */
export const MAX_FIT_POINTS = 2000;

/** z of the two-sided 95 % interval. */
export const Z95 = 1.959963984540054;

/** Fits y = a + b·x; needs two distinct x at least, else undefined. `z` sets the interval (default 95 %). */
export function theilSen(x: readonly number[], y: readonly number[], z = Z95): TheilSenFit | undefined {
  if (x.length !== y.length) throw new RangeError(`x has ${x.length} points, y ${y.length}`);
  const n = x.length;
  let count = 0;
  const slopes = new Float64Array((n * (n - 1)) / 2);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const dx = x[j]! - x[i]!;
      if (dx > 0) slopes[count++] = (y[j]! - y[i]!) / dx;
    }
  }
  if (count === 0) return undefined;
  const sorted = slopes.subarray(0, count).sort();
  const slope = medianSorted(sorted);
  const intercept = median(y) - slope * median(x);
  const sigma = Math.sqrt((n * (n - 1) * (2 * n + 5) - tieTerm(x) - tieTerm(y)) / 18);
  const upperRank = Math.min(roundHalfEven((count + z * sigma) / 2), count - 1);
  const lowerRank = Math.max(roundHalfEven((count - z * sigma) / 2) - 1, 0);
  return { slope, intercept, low: sorted[lowerRank]!, high: sorted[upperRank]!, n, pairs: count };
}

/** `n` evenly spaced indices of `length` (all of them when length ≤ n), first and last included. */
export function evenlySpaced(length: number, n = MAX_FIT_POINTS): number[] {
  if (length <= n) return Array.from({ length }, (_, i) => i);
  return Array.from({ length: n }, (_, i) => Math.round((i * (length - 1)) / (n - 1)));
}

/** Σ t(t−1)(2t+5) over groups of t equal values. */
function tieTerm(v: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const a of v) counts.set(a, (counts.get(a) ?? 0) + 1);
  let sum = 0;
  for (const t of counts.values()) if (t > 1) sum += t * (t - 1) * (2 * t + 5);
  return sum;
}

function medianSorted(s: ArrayLike<number>): number {
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function median(v: readonly number[]): number {
  return medianSorted([...v].sort((a, b) => a - b));
}

/** numpy's round: halves go to the even neighbour. */
export function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
