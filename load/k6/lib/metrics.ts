/**
 * The k6 metrics every hubproof script records. Latency lives in Trend metrics (k6 aggregates them; no
 * arrays of samples in the script), counts in Counters, so handleSummary can rebuild the Node report.
 */
import { Counter, Rate, Trend } from 'k6/metrics';

export const propagation = new Trend('hp_propagation', true);
export const conflictResolution = new Trend('hp_conflict_resolution', true);
export const sent = new Counter('hp_sent');
export const publishErrors = new Counter('hp_publish_errors');
export const delivered = new Counter('hp_delivered');
export const duplicated = new Counter('hp_duplicated');
export const outOfOrder = new Counter('hp_out_of_order');
/** Gaps below the highest seq a socket saw: events proven lost. */
export const gaps = new Counter('hp_gaps');
export const connectFailures = new Counter('hp_connect_failures');
/** One sample per expected-and-checked sequence number at socket close: true = arrived. */
export const delivery = new Rate('hp_delivery');

/** Summary statistics k6 keeps for Trends; handleSummary reads these keys. */
export const TREND_STATS = ['avg', 'min', 'med', 'p(90)', 'p(99)', 'p(99.9)', 'max', 'count'];
