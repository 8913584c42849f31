/**
 * handleSummary's report: the Node driver's LoadReport shape (load/report-types.ts), rebuilt from k6's
 * summed Counters and per-VU Trends, judged by the same thresholds and verdict rules as the Node driver
 * (load/thresholds.ts, load/report-verdict.ts). Latency comes from the log-linear bucket counters, so the
 * report carries its histogram and `hubproof merge` can combine any number of k6 instances exactly.
 * No per-second timeline: k6 hands handleSummary only end-of-test aggregates.
 */
import { percentileCurvePoints } from '../../measure/curve.ts';
import { bucketBounds, SUB_BUCKETS, totalCount, valueAtPercentile, type BucketCounts } from '../../measure/log-linear.ts';
import type { ConflictFigures, DriverHealth, LatencyFigures, LoadReport, ScenarioResult } from '../../report-types.ts';
import { emptyReport, judgeReport, scenarioStatus } from '../../report-verdict.ts';
import type { Scenario } from '../../scenarios/types.ts';
import { shardNote, shardThresholds, type Shard } from '../../shard-meeting.ts';
import { evaluateThresholds } from '../../thresholds.ts';
import type { SubscriberPlan } from './sizing.ts';

export interface SummaryData {
  metrics: Record<string, { values: Record<string, number | undefined> } | undefined>;
  state?: { testRunDurationMs?: number };
}

export interface K6Run {
  scenario: Scenario;
  subscribers: number;
  vuPlan: SubscriberPlan;
  /** Receive-loop lag p99 above which a VU fell behind, ms. */
  maxLagMs: number;
  /** agents: conflict resolution figures. */
  conflicts?: boolean;
  notes?: string[];
  /** `-e SHARD=I/N`: this instance is one shard of the test. */
  shard?: Shard;
}

const value = (d: SummaryData, metric: string, stat: string): number => d.metrics[metric]?.values[stat] ?? 0;
const round = (x: number, places = 3): number => Math.round(x * 10 ** places) / 10 ** places;

export function latencyFrom(d: SummaryData, prefix: string): LatencyFigures {
  const counts: BucketCounts = {};
  const re = new RegExp(`^${prefix}_b(\\d+)$`);
  for (const name of Object.keys(d.metrics)) {
    const m = re.exec(name);
    const n = value(d, name, 'count');
    if (m && n > 0) counts[String(Number(m[1]))] = n;
  }
  const n = totalCount(counts);
  const at = (p: number): number => valueAtPercentile(counts, p);
  const top = Object.keys(counts)
    .map(Number)
    .sort((a, b) => b - a)[0];
  const max = d.metrics[`${prefix}_max`] ? value(d, `${prefix}_max`, 'max') : top === undefined ? 0 : bucketBounds(top)[1];
  return {
    unit: 'ms',
    count: n,
    p50: at(50),
    p90: at(90),
    p99: at(99),
    p999: at(99.9),
    max,
    mean: n ? round(value(d, `${prefix}_sum`, 'count') / n) : 0,
    curve: percentileCurvePoints(n, at, max),
    histogram: { encoding: 'log-linear', unit: 'ms', subBuckets: SUB_BUCKETS, counts },
  };
}

/**
 * k6's health as the generator of this run. `receiveReasons` are the subscriber VUs' own lateness: a late
 * receive loop can only lengthen the latencies it measures and lose frames, never hide a hub's failure, so
 * they make figures invalid only when a threshold was breached. The other reasons (a plan past the VU
 * ceiling, dropped publisher iterations) mean the load asked for was not offered: invalid whatever held.
 */
function k6Health(d: SummaryData, r: K6Run): { health: DriverHealth; receiveReasons: string[] } {
  const dropped = value(d, 'dropped_iterations', 'count');
  const behindVus = value(d, 'hp_behind', 'count');
  const maxLag = round(value(d, 'hp_vu_lag_p99', 'max'), 1);
  const maxRate = Math.round(value(d, 'hp_vu_rate', 'max'));
  const p = r.vuPlan;
  const reasons: string[] = [];
  if (p.overCeiling)
    reasons.push(
      `one socket receives ${p.perSocketRate} frames/s, more than one k6 VU can take (VU_CEILING ${p.ceiling}/s): k6 cannot generate this test`,
    );
  const receiveReasons =
    behindVus > 0
      ? [
          `${behindVus} of ${p.vus} subscriber VUs fell behind: receive-loop lag p99 up to ${maxLag} ms (limit ${r.maxLagMs} ms), up to ${maxRate} frames/s per VU (VU_CEILING ${p.ceiling}/s)`,
        ]
      : [];
  reasons.push(...receiveReasons);
  if (dropped > 0) reasons.push(`k6 dropped ${dropped} iterations: not enough VUs to keep the send schedule`);
  const health: DriverHealth = {
    cores: 0,
    cpuPct: 0,
    cpuShare: 0,
    mainLoopLagP99Ms: maxLag,
    workerLoopLagP99Ms: maxLag,
    sendLagP99Ms: 0,
    saturated: reasons.length > 0,
    reasons,
    hubInProcess: false,
    machineShare: null,
    k6: {
      subscriberVus: p.vus,
      socketsPerVu: p.socketsPerVu,
      plannedVuRate: p.perVuRate,
      vuCeiling: p.ceiling,
      maxVuRate: maxRate,
      maxVuLagP99Ms: maxLag,
      behindVus,
      droppedIterations: dropped,
      vusMax: value(d, 'vus_max', 'max'),
      httpP99Ms: round(value(d, 'http_req_duration', 'p(99)'), 1),
    },
  };
  return { health, receiveReasons };
}

/** What the report needs of the target (a K6Target is one). */
export interface ReportTarget {
  name: string;
  nodes: Array<{ ws: string; http: string }>;
}

export function buildK6Report(d: SummaryData, t: ReportTarget, r: K6Run): LoadReport {
  const s = r.scenario;
  const expected = value(d, 'hp_expected', 'count');
  const received = value(d, 'hp_received', 'count');
  const sent = value(d, 'hp_sent', 'count');
  const delivery: ScenarioResult['delivery'] = {
    expected,
    received,
    lost: Math.max(0, expected - received),
    duplicated: value(d, 'hp_duplicated', 'count'),
    outOfOrder: value(d, 'hp_out_of_order', 'count'),
    reach: expected === 0 ? 1 : received / expected,
    publishErrors: value(d, 'hp_publish_errors', 'count'),
    publishErrorSamples: [],
    connectFailures: value(d, 'hp_connect_failures', 'count'),
    connectErrorSamples: [],
    unexpected: value(d, 'hp_unexpected', 'count'),
    disconnects: value(d, 'hp_disconnects', 'count'),
    closeReasons: [],
  };
  let conflicts: ConflictFigures | undefined;
  if (r.conflicts) {
    const ce = value(d, 'hp_resolved_expected', 'count');
    const cr = value(d, 'hp_resolved_received', 'count');
    conflicts = {
      bursts: value(d, 'hp_bursts', 'count'),
      expected: ce,
      received: cr,
      reach: ce === 0 ? 1 : cr / ce,
      latency: latencyFrom(d, 'hp_conflict'),
      requestErrors: delivery.publishErrors,
      requestErrorSamples: [],
    };
  }
  const health = k6Health(d, r);
  const base = {
    name: s.name,
    kind: s.kind,
    description: s.description,
    scenario: s,
    startedAt: new Date(Date.now() - (d.state?.testRunDurationMs ?? 0)).toISOString(),
    windowS: s.durationS,
    subscribers: r.subscribers,
    latency: latencyFrom(d, 'hp_lat'),
    delivery,
    throughput: {
      targetRate: s.rate,
      sent,
      sentPerS: round(sent / s.durationS, 1),
      deliveredPerS: round(received / s.durationS, 1),
      maxInFlight: 0,
    },
    timeline: [],
    driver: health.health,
    ...(conflicts ? { conflicts } : {}),
  };
  const thresholds = evaluateThresholds(shardThresholds(s.thresholds, r.shard), base);
  const notes = [
    "k6 run: latency from the publisher's Date.now() to the subscriber's (ms resolution), percentiles to log-linear bucket precision (exact below 32 ms, within 6.25 % above); no per-second timeline",
    ...(r.notes ?? []),
    ...(r.shard ? [shardNote(r.shard)] : []),
  ];
  const lateReceiversOnly = health.receiveReasons.length > 0 && health.health.reasons.length === health.receiveReasons.length;
  if (lateReceiversOnly && thresholds.every((t) => t.ok)) {
    base.driver = { ...base.driver, saturated: false, reasons: [] };
    notes.push(
      `${health.receiveReasons.join('; ')}: a late receive loop only lengthens the latencies it measures and loses frames, and every threshold held, so the figures stand (latencies are upper bounds)`,
    );
  }
  if (base.driver.saturated) notes.push(`figures invalid, the load generator fell behind: ${base.driver.reasons.join('; ')}`);
  const result: ScenarioResult = { ...base, status: scenarioStatus(base.driver.saturated, thresholds), thresholds, notes };
  const report = emptyReport(
    'k6',
    { name: t.name, http: t.nodes[0]!.http, ws: t.nodes[0]!.ws, hub: 'external' },
    { node: 'k6', cores: 0, platform: 'k6' },
  );
  if (r.shard) report.shard = r.shard;
  report.scenarios.push(result);
  return judgeReport(report);
}
