/**
 * HDR latency histograms at microsecond resolution (3 significant digits), and the summaries every report
 * prints: p50, p90, p99, p99.9, max. Histograms cross thread boundaries as compressed base64.
 */
import * as hdr from 'hdr-histogram-js';
import { percentileCurvePoints } from './curve.ts';
import type { LatencySummary } from '../report-types.ts';
export type { LatencySummary };

export type Histogram = hdr.Histogram;

/** 1 µs … 1 hour, auto-resizing beyond; 32-bit buckets hold 4 billion samples per value. */
export function createHistogram(): Histogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
    bitBucketSize: 32,
  });
}

export function encodeHistogram(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

export function decodeHistogram(s: string): Histogram {
  return hdr.decodeFromCompressedBase64(s, 32, false);
}

/** Adds an encoded histogram into `into`. */
export function mergeEncoded(into: Histogram, encoded: string): void {
  const h = decodeHistogram(encoded);
  into.add(h);
  h.destroy();
}

const ms = (us: number): number => Math.round(us) / 1000;

export function summarize(h: Histogram): LatencySummary {
  if (h.totalCount === 0) return { unit: 'ms', count: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0 };
  return {
    unit: 'ms',
    count: h.totalCount,
    p50: ms(h.getValueAtPercentile(50)),
    p90: ms(h.getValueAtPercentile(90)),
    p99: ms(h.getValueAtPercentile(99)),
    p999: ms(h.getValueAtPercentile(99.9)),
    max: ms(h.maxValue),
    mean: ms(h.mean),
  };
}

/** Percentile → ms at "nines" spacing (0, 50, 75, 87.5 … 99.9…), the points of an HDR percentile curve. */
export function percentileCurve(h: Histogram, maxNines = 5): Array<[number, number]> {
  return percentileCurvePoints(h.totalCount, (p) => ms(h.getValueAtPercentile(p)), ms(h.maxValue), maxNines);
}
