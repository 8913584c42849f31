/**
 * The k6 metrics every hubproof script records. Everything that must merge across k6 instances is a
 * Counter (k6 sums Counters; it cannot merge Trend percentiles): deliveries, losses, and latency as counts
 * per fixed log-linear bucket (load/measure/log-linear.ts). VUs count locally and add to these once a
 * second, so the per-frame cost is a few array writes, not a k6 metric sample. The few Trends get one
 * sample per VU (its max latency, receive-loop lag and frame rate).
 */
import { Counter, Trend } from 'k6/metrics';
import { BUCKET_COUNT } from '../../measure/log-linear.ts';

const buckets = (prefix: string): Counter[] =>
  Array.from({ length: BUCKET_COUNT }, (_, i) => new Counter(`${prefix}_b${String(i).padStart(3, '0')}`));

/** One latency distribution: counts per bucket, sum (for the exact mean), per-VU max, and arrivals at or over the p99 limit. */
export interface LatencyMetrics {
  prefix: string;
  buckets: Counter[];
  sum: Counter;
  max: Trend;
  over: Counter;
}

const latency = (prefix: string): LatencyMetrics => ({
  prefix,
  buckets: buckets(prefix),
  sum: new Counter(`${prefix}_sum`),
  max: new Trend(`${prefix}_max`, true),
  over: new Counter(`${prefix}_over_limit`),
});

export const propagation = latency('hp_lat');
export const conflictResolution = latency('hp_conflict');
/** Sends scheduled in the measured window, and those the hub refused or never answered. */
export const sent = new Counter('hp_sent');
export const publishErrors = new Counter('hp_publish_errors');
/** Deliveries the sockets expected in the window (added when a socket is planned), received, and lost (at close). */
export const expected = new Counter('hp_expected');
export const received = new Counter('hp_received');
export const lost = new Counter('hp_lost');
export const duplicated = new Counter('hp_duplicated');
export const outOfOrder = new Counter('hp_out_of_order');
export const unexpected = new Counter('hp_unexpected');
export const connectFailures = new Counter('hp_connect_failures');
export const disconnects = new Counter('hp_disconnects');
/** agents: bursts sent in the window, AgentConflictResolved expected and received. */
export const bursts = new Counter('hp_bursts');
export const resolvedExpected = new Counter('hp_resolved_expected');
export const resolvedReceived = new Counter('hp_resolved_received');
/** Subscriber VUs that fell behind (receive-loop lag or frame rate past its limit), one sample per VU. */
export const behind = new Counter('hp_behind');
export const vuLag = new Trend('hp_vu_lag_p99', true);
export const vuRate = new Trend('hp_vu_rate');

/** Summary statistics k6 keeps for Trends; the report reads `max`. */
export const TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(99)', 'count'];
