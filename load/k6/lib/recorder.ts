/**
 * Per-VU counting: latencies into log-linear buckets and the delivery counts, kept in plain arrays and
 * added to the k6 Counters once a second and at the end, so a frame costs array writes rather than k6
 * metric samples (two samples per frame were what capped the first scripts near 10,000 frames/s per VU).
 */
import type { Counter } from 'k6/metrics';
import { BUCKET_COUNT, bucketOf } from '../../measure/log-linear.ts';
import type { LatencyMetrics } from './metrics.ts';

export class LatencyRecorder {
  private readonly counts = new Float64Array(BUCKET_COUNT);
  private pending = 0;
  private sum = 0;
  private over = 0;
  private max = -1;

  constructor(
    private readonly m: LatencyMetrics,
    /** Arrivals at or over this (ms) count toward the k6 exit threshold for p99. */
    private readonly limitMs = Infinity,
  ) {}

  add(ms: number): void {
    const v = ms > 0 ? ms : 0;
    const b = bucketOf(v);
    this.counts[b] = this.counts[b]! + 1;
    this.pending++;
    this.sum += v;
    if (v >= this.limitMs) this.over++;
    if (v > this.max) this.max = v;
  }

  flush(): void {
    if (this.pending === 0) return;
    for (let i = 0; i < BUCKET_COUNT; i++) {
      const n = this.counts[i]!;
      if (n > 0) {
        this.m.buckets[i]!.add(n);
        this.counts[i] = 0;
      }
    }
    this.m.sum.add(this.sum);
    if (this.over > 0) this.m.over.add(this.over);
    this.pending = 0;
    this.sum = 0;
    this.over = 0;
  }

  /** Flushes and records this VU's max, once. */
  finish(): void {
    this.flush();
    this.m.over.add(0);
    if (this.max >= 0) this.m.max.add(this.max);
  }
}

/** A count added to its Counter at flush. */
export class Tally {
  n = 0;
  constructor(private readonly counter: Counter) {}
  flush(): void {
    if (this.n !== 0) this.counter.add(this.n);
    this.n = 0;
  }
}
