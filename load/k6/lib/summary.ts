/**
 * handleSummary for every hubproof k6 script: rebuilds the Node driver's LoadReport shape (load/report-types.ts)
 * from k6's aggregated metrics, as far as k6 allows: no percentile curve and no per-second timeline (k6 keeps
 * only summary statistics), driver health from k6's own dropped_iterations instead of CPU and loop lag.
 */
import type { K6Target } from './target.ts';

interface MetricValues {
  [stat: string]: number | undefined;
}
interface SummaryData {
  metrics: Record<string, { values: MetricValues; thresholds?: Record<string, { ok: boolean }> } | undefined>;
  state?: { testRunDurationMs?: number };
}

export interface ScenarioShape {
  name: string;
  kind: 'fanout' | 'presence' | 'agents';
  description: string;
  /** Deliveries expected per sent event (subscribers per channel, or all dashboards). */
  fanout: number;
  targetRate: number;
  windowS: number;
  subscribers: number;
}

const v = (d: SummaryData, metric: string, stat: string): number => d.metrics[metric]?.values[stat] ?? 0;
const r3 = (x: number): number => Math.round(x * 1000) / 1000;

export function buildReport(d: SummaryData, t: K6Target, s: ScenarioShape): Record<string, unknown> {
  const sentCount = v(d, 'hp_sent', 'count');
  const received = v(d, 'hp_delivered', 'count');
  const expected = sentCount * s.fanout;
  const reach = expected === 0 ? 1 : received / expected;
  const lat = (m: string) => ({
    unit: 'ms',
    count: v(d, m, 'count'),
    p50: r3(v(d, m, 'med')),
    p90: r3(v(d, m, 'p(90)')),
    p99: r3(v(d, m, 'p(99)')),
    p999: r3(v(d, m, 'p(99.9)')),
    max: r3(v(d, m, 'max')),
    mean: r3(v(d, m, 'avg')),
    curve: [],
  });
  const thresholds = Object.entries(d.metrics).flatMap(([name, m]) =>
    Object.entries(m?.thresholds ?? {}).map(([expr, res]) => ({ name: `${name}: ${expr}`, label: expr, ok: res.ok })),
  );
  const dropped = v(d, 'dropped_iterations', 'count');
  const breaches = thresholds.filter((x) => !x.ok).map((x) => `${s.name}: ${x.name} breached`);
  const invalid = dropped > 0 ? [`${s.name}: k6 dropped ${dropped} iterations (not enough VUs to keep the schedule)`] : [];
  const status = invalid.length ? 'invalid' : breaches.length ? 'fail' : 'pass';
  const scenario: Record<string, unknown> = {
    name: s.name,
    kind: s.kind,
    description: s.description,
    status,
    windowS: s.windowS,
    subscribers: s.subscribers,
    latency: lat('hp_propagation'),
    delivery: {
      expected,
      received,
      lost: Math.max(0, expected - received),
      duplicated: v(d, 'hp_duplicated', 'count'),
      outOfOrder: v(d, 'hp_out_of_order', 'count'),
      reach: r3(reach),
      publishErrors: v(d, 'hp_publish_errors', 'count'),
      connectFailures: v(d, 'hp_connect_failures', 'count'),
      gaps: v(d, 'hp_gaps', 'count'),
    },
    throughput: { targetRate: s.targetRate, sent: sentCount, sentPerS: r3(sentCount / s.windowS), deliveredPerS: r3(received / s.windowS) },
    timeline: [],
    driver: { generator: 'k6', droppedIterations: dropped, saturated: dropped > 0, reasons: invalid },
    thresholds,
    notes: ['k6 run: latency from each iteration start (Date.now, ms resolution); dropped_iterations marks a schedule k6 could not keep'],
  };
  if (s.kind === 'agents') scenario.conflicts = { latency: lat('hp_conflict_resolution') };
  return {
    tool: 'hubproof',
    kind: 'load',
    reportVersion: 1,
    generator: 'k6',
    generatedAt: new Date().toISOString(),
    target: { name: t.name, http: t.nodes[0]!.http, ws: t.nodes[0]!.ws, hub: 'external' },
    driver: { node: 'k6', cores: 0, platform: 'k6' },
    scenarios: [scenario],
    verdict: status,
    breaches,
    invalid,
    skipped: [],
    errors: [],
  };
}

export function summaryOutputs(d: SummaryData, t: K6Target, s: ScenarioShape): Record<string, string> {
  const report = buildReport(d, t, s);
  const sc = (report.scenarios as Array<Record<string, any>>)[0]!;
  const text = [
    `hubproof k6 ${s.name} → ${t.name}: ${String(report.verdict).toUpperCase()}`,
    `  p50 ${sc.latency.p50} ms  p99 ${sc.latency.p99} ms  max ${sc.latency.max} ms  reach ${sc.delivery.reach}  lost ${sc.delivery.lost}  dup ${sc.delivery.duplicated}  ooo ${sc.delivery.outOfOrder}`,
    ...(report.breaches as string[]).map((b) => `  ✗ ${b}`),
    ...(report.invalid as string[]).map((b) => `  ! ${b}`),
    '',
  ].join('\n');
  return { stdout: text, [__ENV.SUMMARY_OUT || `reports/out/k6-${s.name}.json`]: JSON.stringify(report, null, 2) };
}
