/**
 * Latency (HDR or log-linear histogram) and delivery accounting of a load report as zod: the figures every
 * scenario, node and browser page reports. Re-exported by load-report.ts, whose published schema holds them.
 */
import { z } from 'zod';

const obj = z.strictObject;
const count = () => z.number().int().nonnegative();
const num = () => z.number();

const latencySummary = {
  unit: z.literal('ms').describe('Every figure below is in ms'),
  count: count().describe('Samples'),
  p50: num().describe('ms'),
  p90: num().describe('ms'),
  p99: num().describe('ms'),
  p999: num().describe('p99.9, ms'),
  max: num().describe('ms'),
  mean: num().describe('ms'),
};

export const EncodedHistogram = z
  .discriminatedUnion('encoding', [
    obj({
      encoding: z.literal('hdr').describe("The Node driver's HDR histogram"),
      unit: z.literal('us').describe('Recorded values in µs'),
      data: z.string().describe('Compressed HDR histogram (3 significant digits), base64'),
    }),
    obj({
      encoding: z.literal('log-linear').describe("The k6 scripts' fixed log-linear buckets (load/measure/log-linear.ts)"),
      unit: z.literal('ms').describe('Bucket bounds in ms'),
      subBuckets: count().describe('Linear sub-buckets per power of two'),
      counts: z.record(z.string(), num()).describe('Bucket index → count (load/measure/log-linear.ts)'),
    }),
  ])
  .meta({ id: 'LoadHistogram', description: 'The whole latency distribution, in a form `hubproof merge` combines exactly' });

export const LatencyFigures = obj({
  ...latencySummary,
  curve: z.array(z.tuple([num(), num()])).describe('[percentile, ms] points of the distribution'),
  histogram: EncodedHistogram.optional(),
}).meta({ id: 'LoadLatency', description: 'Latency in ms from an HDR (or log-linear) histogram' });

export const deliveryAccounting = {
  expected: count().describe('Deliveries expected: events published in the window × subscribers that should get them'),
  received: count().describe('Distinct expected deliveries that arrived'),
  lost: count().describe('expected − received'),
  duplicated: count().describe('Arrivals of an event a subscriber already had'),
  outOfOrder: count().describe('First arrivals after an event of the same stream sent only once this one was acknowledged'),
  reach: num().describe('received ÷ expected (1 when nothing was expected)'),
};
export const DeliveryAccounting = obj(deliveryAccounting).meta({ id: 'LoadDeliveryAccounting', description: 'Reach, loss and order' });
