/**
 * A latency recorder for the subscriber hot path: counts µs values into an array laid out exactly like the
 * driver's HDR histogram (3 significant digits, lowest value 1 µs: 2048 sub-buckets, index computed with one
 * clz32), about ten times cheaper per value than hdr-histogram-js's recordValue. Once a tick the counts go
 * into a real HDR histogram, one recordValueWithCount per non-empty bucket, at the bucket's lowest value:
 * the same bucket the value itself would have landed in, so the histogram is the one direct recording gives.
 */
import type { Histogram } from './histogram.ts';

const SUB_HALF_MAGNITUDE = 10; // 2048 sub-buckets: 3 significant digits
const SUB_HALF = 1 << SUB_HALF_MAGNITUDE;
const MASK = 2 * SUB_HALF - 1;
/** Values below 2^31 µs (35 min) take the fast path; longer ones go straight to the histogram. */
const FAST_LIMIT = 2 ** 31;
const SIZE = ((21 + 1) << SUB_HALF_MAGNITUDE) + SUB_HALF;

export class LatencyCounts {
  private readonly counts = new Float64Array(SIZE);
  private readonly touched: number[] = [];
  private slow: number[] = [];
  private maxUs = 0;
  /** Values recorded since the last drain. */
  count = 0;

  record(us: number): void {
    this.count++;
    if (us > this.maxUs) this.maxUs = us;
    if (us >= FAST_LIMIT) {
      this.slow.push(us);
      return;
    }
    const v = us | 0;
    const bucket = 21 - Math.clz32(v | MASK);
    const i = ((bucket + 1) << SUB_HALF_MAGNITUDE) + ((v >>> bucket) - SUB_HALF);
    if (this.counts[i] === 0) this.touched.push(i);
    this.counts[i]!++;
  }

  /** Adds everything recorded since the last drain to `h` (the highest value exactly, as HDR keeps it) and resets. */
  drainInto(h: Histogram): void {
    if (this.count === 0) return;
    const maxIndex = this.maxUs < FAST_LIMIT ? indexOf(this.maxUs | 0) : -1;
    for (const i of this.touched) {
      let n = this.counts[i]!;
      this.counts[i] = 0;
      if (i === maxIndex) {
        h.recordValue(this.maxUs | 0);
        n--;
      }
      if (n > 0) h.recordValueWithCount(valueOf(i), n);
    }
    for (const us of this.slow) h.recordValue(us);
    this.touched.length = 0;
    this.slow = [];
    this.maxUs = 0;
    this.count = 0;
  }
}

function indexOf(v: number): number {
  const bucket = 21 - Math.clz32(v | MASK);
  return ((bucket + 1) << SUB_HALF_MAGNITUDE) + ((v >>> bucket) - SUB_HALF);
}

/** The lowest value of counts index `i`. */
function valueOf(i: number): number {
  if (i < 2 * SUB_HALF) return i;
  const bucket = (i >> SUB_HALF_MAGNITUDE) - 1;
  return ((i & (SUB_HALF - 1)) + SUB_HALF) * 2 ** bucket;
}
