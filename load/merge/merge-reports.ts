/**
 * `hubproof merge`: one load report from the reports of one test run by several generators (Node shards,
 * k6 instances, or both). Counts add; latency percentiles come from the merged histograms, exact to bucket
 * precision (k6-operator cannot merge its instances' percentiles); thresholds and the verdict are evaluated
 * on the merged figures, as `hubproof load` evaluates its own. Reports of different tests are refused.
 */
import { HubproofError } from '../../spec/errors.ts';
import type { LoadReport, ScenarioResult } from '../report-types.ts';
import { emptyReport, judgeReport, scenarioStatus } from '../report-verdict.ts';
import type { Scenario } from '../scenarios/types.ts';
import { evaluateThresholds } from '../thresholds.ts';
import { mergeConflicts, mergeDelivery, mergeDriver, mergeLatency, mergeMemory, mergeTimeline } from './combine.ts';

export interface MergeInput {
  file: string;
  report: LoadReport;
}

const refuse = (why: string): never => {
  throw new HubproofError('HUBPROOF_ERR_MERGE', why);
};

const label = (i: MergeInput): string =>
  `${i.file} (${i.report.generator}${i.report.shard ? ` shard ${i.report.shard.index}/${i.report.shard.count}` : ''})`;

/** Scenario fields that make a test: everything but how many worker threads one machine used. */
function differingField(a: Scenario, b: Scenario): string | undefined {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  keys.delete('workers');
  keys.delete('thresholds');
  for (const k of [...keys].sort()) {
    const x = (a as unknown as Record<string, unknown>)[k];
    const y = (b as unknown as Record<string, unknown>)[k];
    if (JSON.stringify(x) !== JSON.stringify(y)) return `${k} ${JSON.stringify(x)} vs ${JSON.stringify(y)}`;
  }
  if (JSON.stringify(sorted(a.thresholds)) !== JSON.stringify(sorted(b.thresholds)))
    return `thresholds ${JSON.stringify(sorted(a.thresholds))} vs ${JSON.stringify(sorted(b.thresholds))}`;
  return undefined;
}

const sorted = (o: object): Array<[string, unknown]> => Object.entries(o).sort(([x], [y]) => x.localeCompare(y));

function checkSameTest(inputs: MergeInput[]): void {
  if (inputs.length === 0) refuse('give at least one report to merge');
  const [first, ...rest] = inputs as [MergeInput, ...MergeInput[]];
  for (const i of inputs) {
    if ((i.report.reportVersion ?? 1) < 2)
      refuse(
        `${i.file} has report version ${i.report.reportVersion}: it was written before reports carried a mergeable histogram; rerun it with this hubproof`,
      );
    for (const s of i.report.scenarios) {
      if (s.kind === 'capacity')
        refuse(`${i.file}: the capacity scenario searches rate by rate on one generator; its reports cannot be merged`);
      if (!s.latency.histogram) refuse(`${i.file}: scenario ${s.name} carries no latency histogram, so its percentiles cannot be merged`);
    }
  }
  const names = (r: LoadReport): string => r.scenarios.map((s) => s.name).join(',');
  for (const i of rest) {
    if (i.report.target.name !== first.report.target.name)
      refuse(`different tests: ${first.file} ran against "${first.report.target.name}", ${i.file} against "${i.report.target.name}"`);
    if (names(i.report) !== names(first.report))
      refuse(`different tests: ${first.file} has scenarios [${names(first.report)}], ${i.file} has [${names(i.report)}]`);
    for (const s of i.report.scenarios) {
      const diff = differingField(first.report.scenarios.find((x) => x.name === s.name)!.scenario, s.scenario);
      if (diff) refuse(`different tests: scenario ${s.name} differs between ${first.file} and ${i.file}: ${diff}`);
    }
  }
  // Node shards and k6 instances run with -e SHARD=I/N carry their shard; k6-operator instances (execution
  // segments alone) carry none and merge only with each other.
  const sharded = inputs.filter((i) => i.report.shard);
  if (sharded.length === 0) return;
  const whole = inputs.find((i) => !i.report.shard);
  if (whole)
    refuse(
      `${sharded[0]!.file} is shard ${sharded[0]!.report.shard!.index}/${sharded[0]!.report.shard!.count} but ${whole.file} is a whole run of the test${whole.report.generator === 'k6' ? ' (a k6 instance run without -e SHARD=I/N)' : ''}: merge the shards of one run`,
    );
  const count = sharded[0]!.report.shard!.count;
  const seen = new Map<number, string>();
  for (const i of sharded) {
    const { index, count: n } = i.report.shard!;
    if (n !== count) refuse(`${sharded[0]!.file} is one of ${count} shards, ${i.file} one of ${n}: different runs`);
    if (seen.has(index)) refuse(`shard ${index}/${count} given twice: ${seen.get(index)} and ${i.file}`);
    seen.set(index, i.file);
  }
  const missing = Array.from({ length: count }, (_, k) => k).filter((k) => !seen.has(k));
  if (missing.length)
    refuse(
      `shard${missing.length > 1 ? 's' : ''} ${missing.map((k) => `${k}/${count}`).join(', ')} missing: the merged counts would not be the whole test`,
    );
}

function mergeScenario(name: string, inputs: MergeInput[]): ScenarioResult {
  const parts = inputs.map((i) => i.report.scenarios.find((s) => s.name === name)!);
  const s = parts[0]!.scenario;
  const delivery = mergeDelivery(parts.map((p) => p.delivery));
  const sent = parts.reduce((a, p) => a + p.throughput.sent, 0);
  const windowS = Math.max(...parts.map((p) => p.windowS));
  const memory = mergeMemory(parts.map((p) => p.memory));
  const conflicts = mergeConflicts(parts.map((p) => p.conflicts));
  const base = {
    name,
    kind: parts[0]!.kind,
    description: parts[0]!.description,
    scenario: s,
    startedAt: parts.map((p) => p.startedAt).sort()[0]!,
    windowS,
    subscribers: parts.reduce((a, p) => a + p.subscribers, 0),
    latency: mergeLatency(parts.map((p) => p.latency)),
    delivery,
    throughput: {
      targetRate: s.rate,
      sent,
      sentPerS: Math.round((sent / windowS) * 10) / 10,
      deliveredPerS: Math.round((delivery.received / windowS) * 10) / 10,
      maxInFlight: Math.max(...parts.map((p) => p.throughput.maxInFlight)),
    },
    timeline: mergeTimeline(parts.map((p) => p.timeline)),
    driver: mergeDriver(
      parts.map((p) => p.driver),
      inputs.map(label),
    ),
    ...(memory ? { memory } : {}),
    ...(conflicts ? { conflicts } : {}),
  };
  const thresholds = evaluateThresholds(s.thresholds, base);
  const notes = [`merged from ${inputs.length} report${inputs.length > 1 ? 's' : ''}: ${inputs.map(label).join(', ')}`];
  if (memory) notes.push('hub memory: lowest baseline and highest final RSS the generators sampled, over all their connections');
  for (const n of new Set(parts.flatMap((p) => p.notes)))
    if (!n.startsWith('figures invalid') && !/^shard \d+\/\d+: /.test(n)) notes.push(n);
  if (base.driver.saturated) notes.push(`figures invalid, a load generator saturated: ${base.driver.reasons.join('; ')}`);
  return { ...base, status: scenarioStatus(base.driver.saturated, thresholds), thresholds, notes };
}

export function mergeReports(inputs: MergeInput[]): LoadReport {
  checkSameTest(inputs);
  const first = inputs[0]!.report;
  const generators = new Set(inputs.map((i) => i.report.generator));
  const unique = (xs: string[]): string => [...new Set(xs)].join(', ');
  const report = emptyReport(
    generators.size === 1 ? first.generator : 'mixed',
    {
      name: first.target.name,
      http: first.target.http,
      ws: first.target.ws,
      hub: inputs.every((i) => i.report.target.hub === first.target.hub) ? first.target.hub : 'external',
    },
    {
      node: unique(inputs.map((i) => i.report.driver.node)),
      cores: inputs.reduce((a, i) => a + i.report.driver.cores, 0),
      platform: unique(inputs.map((i) => i.report.driver.platform)),
    },
  );
  report.mergedFrom = inputs.map((i) => ({
    file: i.file,
    generator: i.report.generator,
    ...(i.report.shard ? { shard: i.report.shard } : {}),
  }));
  report.scenarios = first.scenarios.map((s) => mergeScenario(s.name, inputs));
  report.skipped = first.skipped;
  report.errors = inputs.flatMap((i) => i.report.errors.map((e) => ({ name: e.name, message: `${i.file}: ${e.message}` })));
  return judgeReport(report);
}
