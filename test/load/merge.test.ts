/**
 * hubproof merge on reports built from known samples: counts add, merged percentiles are those of all the
 * samples together (not an average of percentiles), thresholds are judged on the merged figures, Node and
 * k6 reports of one test merge, and reports of different tests are refused with the reason.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildK6Report, type SummaryData } from '../../load/k6/lib/report.ts';
import { planSubscribers } from '../../load/k6/lib/sizing.ts';
import { createHistogram } from '../../load/measure/histogram.ts';
import { bucketOf } from '../../load/measure/log-linear.ts';
import { latencyFigures } from '../../load/measure/mergeable.ts';
import { mergeReports, type MergeInput } from '../../load/merge/merge-reports.ts';
import { readLoadReport } from '../../load/merge/read-report.ts';
import type { LoadReport, ScenarioResult } from '../../load/report-types.ts';
import { judgeReport, scenarioStatus } from '../../load/report-verdict.ts';
import { findScenario } from '../../load/scenarios/index.ts';
import { evaluateThresholds } from '../../load/thresholds.ts';
import { expectPublishedReport } from '../helpers/published-schema.ts';

const TARGET = { name: 'hub', http: 'http://127.0.0.1:1', ws: 'ws://127.0.0.1:1', hub: 'external' as const };

/** A Node report of the fanout scenario whose deliveries had these latencies (ms) and `lost` more expected. */
function nodeReport(
  latenciesMs: number[],
  o: { lost?: number; shard?: { index: number; count: number }; set?: Partial<ReturnType<typeof findScenario>> } = {},
): LoadReport {
  const scenario = { ...findScenario('fanout'), ...o.set };
  const h = createHistogram();
  for (const ms of latenciesMs) h.recordValue(Math.round(ms * 1000));
  const received = latenciesMs.length;
  const expected = received + (o.lost ?? 0);
  const base = {
    name: 'fanout',
    kind: 'fanout' as const,
    description: scenario.description,
    scenario,
    startedAt: new Date().toISOString(),
    windowS: scenario.durationS,
    subscribers: 10,
    latency: latencyFigures(h),
    delivery: {
      expected,
      received,
      lost: expected - received,
      duplicated: 0,
      outOfOrder: 0,
      reach: received / expected,
      publishErrors: 0,
      publishErrorSamples: [],
      connectFailures: 0,
      connectErrorSamples: [],
      unexpected: 0,
      disconnects: 0,
      closeReasons: [],
    },
    throughput: {
      targetRate: scenario.rate,
      sent: Math.ceil(expected / 10),
      sentPerS: expected / 10 / scenario.durationS,
      deliveredPerS: received / scenario.durationS,
      maxInFlight: 1,
    },
    timeline: [],
    driver: {
      cores: 2,
      cpuPct: 10,
      cpuShare: 0.05,
      mainLoopLagP99Ms: 1,
      workerLoopLagP99Ms: 1,
      sendLagP99Ms: 1,
      saturated: false,
      reasons: [],
      hubInProcess: false,
      machineShare: 0.3,
    },
  };
  const thresholds = evaluateThresholds(scenario.thresholds, base);
  const s: ScenarioResult = { ...base, status: scenarioStatus(false, thresholds), thresholds, notes: [] };
  return judgeReport({
    tool: 'hubproof',
    kind: 'load',
    schemaVersion: '2.0',
    reportVersion: 2,
    generator: 'node',
    generatedAt: '',
    target: TARGET,
    driver: { node: 'v20', cores: 2, platform: 'linux' },
    ...(o.shard ? { shard: o.shard } : {}),
    scenarios: [s],
    verdict: 'pass',
    breaches: [],
    invalid: [],
    skipped: [],
    errors: [],
  });
}

/** A k6 report of the fanout scenario from the Counters k6 would have summed. */
function k6Report(latenciesMs: number[], shard?: { index: number; count: number }): LoadReport {
  const metrics: SummaryData['metrics'] = {};
  const count = (name: string, n: number): void => {
    metrics[name] = { values: { count: (metrics[name]?.values.count ?? 0) + n } };
  };
  for (const ms of latenciesMs) count(`hp_lat_b${String(bucketOf(ms)).padStart(3, '0')}`, 1);
  count(
    'hp_lat_sum',
    latenciesMs.reduce((a, b) => a + b, 0),
  );
  metrics.hp_lat_max = { values: { max: Math.max(...latenciesMs) } };
  count('hp_expected', latenciesMs.length);
  count('hp_received', latenciesMs.length);
  count('hp_sent', Math.ceil(latenciesMs.length / 10));
  const report = buildK6Report(
    { metrics },
    { name: 'hub', nodes: [{ ws: TARGET.ws, http: TARGET.http }] },
    { scenario: findScenario('fanout'), subscribers: 10, vuPlan: planSubscribers(200, 50), maxLagMs: 20, shard },
  );
  return report;
}

const inputs = (...reports: LoadReport[]): MergeInput[] => reports.map((report, i) => ({ file: `r${i}.json`, report }));
const range = (from: number, n: number, step = 1): number[] => Array.from({ length: n }, (_, i) => from + i * step);

describe('hubproof merge', () => {
  it("takes percentiles of all samples together, not an average of the parts' percentiles", () => {
    // A fast generator (1…20 ms) and a slow one (100…119 ms): 99 % of all samples are below ~119 ms.
    const fast = range(1, 990, 0.02);
    const slow = range(100, 10, 2);
    const merged = mergeReports(
      inputs(nodeReport(fast, { shard: { index: 0, count: 2 } }), nodeReport(slow, { shard: { index: 1, count: 2 } })),
    );
    const all = nodeReport([...fast, ...slow]).scenarios[0]!.latency;
    const s = merged.scenarios[0]!;
    expect(s.latency.count).toBe(1000);
    // Equal to the HDR histogram's precision (3 significant digits).
    for (const p of ['p50', 'p90', 'p99', 'p999', 'max'] as const)
      expect(Math.abs(s.latency[p] - all[p]), p).toBeLessThanOrEqual(all[p] / 1000 + 0.001);
    expect(s.latency.p99).toBeLessThan(25);
  });

  it('adds the counts and judges the thresholds on the merged figures', () => {
    const merged = mergeReports(
      inputs(
        nodeReport(range(1, 100, 0.3), { shard: { index: 0, count: 2 } }),
        nodeReport(range(1, 100, 0.3), { lost: 5, shard: { index: 1, count: 2 } }),
      ),
    );
    const s = merged.scenarios[0]!;
    expect(s.delivery).toMatchObject({ expected: 205, received: 200, lost: 5 });
    expect(s.delivery.reach).toBeCloseTo(200 / 205, 6);
    expect(s.thresholds.find((t) => t.name === 'minReach')).toMatchObject({ ok: false, actual: 200 / 205 });
    expect(merged.verdict).toBe('fail');
    expect(merged.breaches).toEqual([expect.stringMatching(/^fanout: minReach breached/)]);
  });

  it("merges a Node report and a k6 report of the same test, to the k6 buckets' precision", () => {
    const node = range(1, 500, 0.05);
    const k6 = range(1, 500, 0.1).map(Math.round);
    const merged = mergeReports(inputs(nodeReport(node), k6Report(k6)));
    expect(merged.generator).toBe('mixed');
    const s = merged.scenarios[0]!;
    expect(s.latency.count).toBe(1000);
    expect(s.delivery.received).toBe(1000);
    expect(s.driver.k6).toBeDefined();
    const exact = [...node, ...k6].sort((a, b) => a - b)[989]!;
    expect(Math.abs(s.latency.p99 - exact)).toBeLessThanOrEqual(exact / 16 + 1);
  });

  it.each([
    [
      'a different scenario field',
      () => nodeReport([1], { set: { rate: 1000 } }),
      /scenario fanout differs between r0\.json and r1\.json: rate 500 vs 1000/,
    ],
    ['a different threshold', () => nodeReport([1], { set: { thresholds: { p99Ms: 20 } } }), /thresholds/],
    ['another hub', () => ({ ...nodeReport([1]), target: { ...TARGET, name: 'other' } }), /ran against "hub", r1\.json against "other"/],
    ['other scenarios', () => ({ ...nodeReport([1]), scenarios: [] }), /has scenarios \[fanout\], r1\.json has \[\]/],
  ])('refuses reports of different tests: %s', (_what, other, reason) => {
    expect(() => mergeReports(inputs(nodeReport([1]), other()))).toThrow(reason);
  });

  it('refuses missing and repeated shards, and a whole run mixed with shards', () => {
    const s0 = nodeReport([1], { shard: { index: 0, count: 3 } });
    const s1 = nodeReport([1], { shard: { index: 1, count: 3 } });
    expect(() => mergeReports(inputs(s0, s1))).toThrow(/shard 2\/3 missing/);
    expect(() => mergeReports(inputs(s0, s0))).toThrow(/shard 0\/3 given twice/);
    expect(() => mergeReports(inputs(s0, nodeReport([1])))).toThrow(/is a whole run of the test/);
  });

  it('counts a k6 instance run with -e SHARD=I/N as that shard, and refuses one run without it beside shards', () => {
    const s0 = nodeReport([1, 2], { shard: { index: 0, count: 2 } });
    const merged = mergeReports(inputs(s0, k6Report([3, 4], { index: 1, count: 2 })));
    expect(merged.generator).toBe('mixed');
    expect(merged.scenarios[0]!.latency.count).toBe(4);
    expect(() => mergeReports(inputs(s0, k6Report([3, 4], { index: 0, count: 2 })))).toThrow(/shard 0\/2 given twice/);
    expect(() => mergeReports(inputs(s0, k6Report([3, 4])))).toThrow(/a k6 instance run without -e SHARD=I\/N/);
    // k6-operator instances (execution segments alone) merge with each other as before.
    expect(mergeReports(inputs(k6Report([1]), k6Report([2]))).scenarios[0]!.latency.count).toBe(2);
  });

  it('refuses reports without a mergeable histogram', () => {
    const old = nodeReport([1]);
    delete old.scenarios[0]!.latency.histogram;
    expect(() => mergeReports(inputs(old, nodeReport([1])))).toThrow(/carries no latency histogram/);
    expect(() => mergeReports(inputs({ ...nodeReport([1]), reportVersion: 1 }))).toThrow(/report version 1/);
  });
});

describe('reading reports to merge', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hubproof-merge-'));
  const file = (name: string, text: string): string => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  it('reads a JSON report, or the report line of a k6 log (OUT=-, kubectl logs)', () => {
    const report = k6Report([1, 2, 3]);
    // What the k6 scripts' handleSummary writes (no zod in k6) holds to the published schema too.
    expectPublishedReport('load', report);
    expect(readLoadReport(file('r.json', JSON.stringify(report, null, 2))).generator).toBe('k6');
    const log = `time="…" level=info msg="starting"\nscenario  status …\nVerdict: PASS\n${JSON.stringify(report)}\n`;
    expect(readLoadReport(file('pod.log', log)).scenarios[0]!.latency.count).toBe(3);
    const node = nodeReport([1, 2]);
    const nodeLog = `scenario  status …\nVerdict: PASS (hub, hub external)\n${JSON.stringify(node, null, 2)}\nJSON report: /dev/stdout\n`;
    expect(readLoadReport(file('shard.log', nodeLog)).scenarios[0]!.latency.count).toBe(2);
  });

  it('refuses what is not a load report, naming the file', () => {
    expect(() => readLoadReport(file('x.txt', 'no report here'))).toThrow(/x\.txt holds no hubproof report/);
    expect(() => readLoadReport(file('c.json', JSON.stringify({ tool: 'hubproof', kind: 'certify' })))).toThrow(
      /c\.json is a hubproof certify report, not a load report/,
    );
  });
});
