/**
 * Latency histograms as reports carry them (EncodedHistogram) and back: the Node driver writes its HDR
 * histogram; `hubproof merge` decodes HDR and k6 log-linear buckets alike into one HDR histogram, whose
 * percentiles are then exact to the coarser of the two precisions.
 */
import type { EncodedHistogram, LatencyFigures } from '../report-types.ts';
import { createHistogram, decodeHistogram, encodeHistogram, percentileCurve, summarize, type Histogram } from './histogram.ts';
import { bucketBounds } from './log-linear.ts';

export function encodeLatency(h: Histogram): EncodedHistogram {
  return { encoding: 'hdr', unit: 'us', data: encodeHistogram(h) };
}

/** Summary, curve and the encoded histogram: what a report says about one latency distribution. */
export function latencyFigures(h: Histogram): LatencyFigures {
  return { ...summarize(h), curve: percentileCurve(h), histogram: encodeLatency(h) };
}

/** Adds an encoded histogram into `into` (µs); log-linear buckets count at their highest value. */
export function addEncoded(into: Histogram, e: EncodedHistogram): void {
  if (e.encoding === 'hdr') {
    const h = decodeHistogram(e.data);
    into.add(h);
    h.destroy();
    return;
  }
  for (const [k, n] of Object.entries(e.counts)) if (n > 0) into.recordValueWithCount(Math.max(1, bucketBounds(Number(k))[1] * 1000), n);
}

export function histogramFrom(encoded: EncodedHistogram[]): Histogram {
  const h = createHistogram();
  for (const e of encoded) addEncoded(h, e);
  return h;
}
