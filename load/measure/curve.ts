/**
 * The points of an HDR percentile curve at "nines" spacing (0, 50, 75, 87.5 … 99.9…), from any histogram
 * that can answer "value at percentile". Pure: the k6 report builds the same curve from its buckets.
 */
export function percentileCurvePoints(count: number, valueAt: (p: number) => number, max: number, maxNines = 5): Array<[number, number]> {
  if (count === 0) return [];
  const points: Array<[number, number]> = [];
  for (let half = 0; half <= maxNines * 2 * 3.33; half++) {
    const p = 100 * (1 - Math.pow(2, -half / 2));
    if (p > 100 - Math.pow(10, -maxNines + 2)) break;
    points.push([round6(p), valueAt(p)]);
    // Past the highest observed rank the curve is flat; stop so small samples do not plot fake precision.
    if ((100 - p) / 100 < 1 / count) break;
  }
  points.push([100, max]);
  return points;
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;
