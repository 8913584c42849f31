/** `hubproof load`: parse flags, run `runLoad` (or k6 with --engine k6), print the figures table, write JSON/HTML, exit 0/1/2. */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { HubproofError } from '../spec/errors.ts';
import { parseShard } from '../load/driver/shard.ts';
import { checkK6, runK6Engine } from '../load/k6-engine.ts';
import { createProgress, silentProgress } from '../load/progress.ts';
import { exitCodeFor, runLoad } from '../load/run-load.ts';
import { applyOverrides, selectScenarios, type ScenarioOverrides } from '../load/scenarios/index.ts';
import { loadTargetFile } from '../spec/target.ts';
import { formatSummary } from '../load/summary-table.ts';
import { writeLoadJson } from '../reports/load-json.ts';
import { writeLoadHtml } from '../reports/load-html.ts';
import { loadMarkdown } from '../reports/markdown.ts';
import { writeText } from './write-text.ts';
import { clusterOption, withTarget } from './embedded-target.ts';
import { durationOption } from './duration-option.ts';
import { numberOption as num } from './number-option.ts';
import { runSideBySide } from '../load/capacity/side-by-side.ts';
import { formatComparison } from '../load/capacity/comparison-lines.ts';
import { writeComparisonHtml } from '../reports/capacity-comparison-html.ts';

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      target: { type: 'string', multiple: true },
      repeat: { type: 'string' },
      scenario: { type: 'string' },
      duration: { type: 'string' },
      rate: { type: 'string' },
      subscribers: { type: 'string' },
      set: { type: 'string', multiple: true },
      hub: { type: 'string' },
      json: { type: 'string' },
      html: { type: 'string' },
      markdown: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      'max-driver-lag': { type: 'string' },
      'max-driver-cpu': { type: 'string' },
      'max-machine-cpu': { type: 'string' },
      cluster: { type: 'string' },
      shard: { type: 'string' },
      'shard-wait': { type: 'string' },
      'run-id': { type: 'string' },
      engine: { type: 'string' },
    },
    allowPositionals: false,
  });
  const hub = values.hub;
  const targets = values.target ?? [];
  if (hub !== undefined && hub !== 'auto' && hub !== 'child' && hub !== 'in-process') {
    throw new HubproofError('HUBPROOF_ERR_USAGE', `--hub must be auto, child or in-process, got "${hub}"`);
  }
  if (hub !== undefined && targets.length)
    throw new HubproofError('HUBPROOF_ERR_USAGE', '--hub applies to the embedded reference hub; drop it when you pass --target');
  const engine = values.engine ?? 'node';
  if (engine !== 'node' && engine !== 'k6') throw new HubproofError('HUBPROOF_ERR_USAGE', `--engine must be node or k6, got "${engine}"`);
  if (engine === 'k6' && values.shard)
    throw new HubproofError(
      'HUBPROOF_ERR_USAGE',
      '--shard splits the Node driver; k6 splits a test with k6-operator parallelism (docs/load-sharding.md)',
    );
  const shard = values.shard
    ? { shard: parseShard(values.shard), shardWaitS: num('shard-wait', values['shard-wait']), runId: values['run-id'] }
    : {};
  const repeat = repeatOption(values.repeat, values.scenario);
  if (targets.length > 1) sideBySideUsage(values);
  const overrides: ScenarioOverrides = {
    durationS: durationOption('duration', values.duration),
    rate: num('rate', values.rate),
    subscribers: num('subscribers', values.subscribers),
    // --repeat repeats the capacity search (side by side: rounds of the hubs' searches).
    set: [...(values.set ?? []), ...(repeat > 1 && targets.length < 2 ? [`capacity:repeat=${repeat}`] : [])],
  };
  const driverLimits = {
    ...(values['max-driver-lag']
      ? { maxLoopLagMs: num('max-driver-lag', values['max-driver-lag']), maxSendLagMs: num('max-driver-lag', values['max-driver-lag']) }
      : {}),
    ...(values['max-driver-cpu'] ? { maxCpuShare: num('max-driver-cpu', values['max-driver-cpu']) } : {}),
    ...(values['max-machine-cpu'] ? { maxMachineShare: num('max-machine-cpu', values['max-machine-cpu']) } : {}),
  };
  // Bad scenario names, overrides and target files, and a missing or old k6, exit 2 before a hub is started.
  for (const s of selectScenarios(values.scenario)) applyOverrides(s, overrides);
  if (targets.length > 1) {
    const comparison = await runSideBySide({
      targets: targets.map((t) => loadTargetFile(t)),
      rounds: repeat,
      overrides,
      driverLimits,
      progress: values.quiet ? silentProgress : createProgress(),
    });
    process.stdout.write(formatComparison(comparison));
    if (values.json) {
      writeFileSync(values.json, `${JSON.stringify(comparison, null, 2)}\n`);
      process.stdout.write(`JSON report: ${values.json}\n`);
    }
    if (values.html) process.stdout.write(`HTML report: ${writeComparisonHtml(values.html, comparison)}\n`);
    return exitCodeFor(comparison);
  }
  const target = targets[0] ? loadTargetFile(targets[0]) : undefined;
  const cluster = clusterOption(values.cluster, targets[0]);
  if (engine === 'k6') checkK6();
  // Load figures are about the hub's defaults; a child process keeps its CPU and RSS apart from the driver's.
  const embedded = { timers: 'default', mode: hub === 'in-process' ? 'in-process' : 'child', cluster } as const;
  const report = await withTarget(target, embedded, (h) =>
    engine === 'k6'
      ? runK6Engine({
          target: h.target,
          scenarios: values.scenario,
          overrides,
          progress: values.quiet ? silentProgress : createProgress(),
          echo: !values.quiet,
        })
      : runLoad({
          target: h.target,
          embedded: h.embedded,
          ...(h.outage ? { outage: h.outage } : {}),
          ...(h.restart ? { restart: h.restart } : {}),
          scenarios: values.scenario,
          overrides,
          progress: values.quiet ? false : undefined,
          driverLimits,
          ...shard,
        }),
  );
  process.stdout.write(formatSummary(report));
  if (values.json) {
    writeLoadJson(values.json, report);
    process.stdout.write(`JSON report: ${values.json}\n`);
  }
  if (values.markdown) {
    writeText(values.markdown, loadMarkdown(report));
    process.stdout.write(`Markdown summary: ${values.markdown}\n`);
  }
  if (values.html) {
    const file = writeLoadHtml(values.html, report);
    process.stdout.write(`HTML report: ${file}\n`);
  }
  return exitCodeFor(report);
}

/** --repeat N: whole capacity searches (side by side: rounds); only with the capacity scenario. */
function repeatOption(raw: string | undefined, scenario: string | undefined): number {
  const n = num('repeat', raw, { integer: true, min: 1 });
  if (n === undefined) return 1;
  const names = scenario === 'all' ? ['capacity'] : (scenario ?? '').split(',').map((x) => x.trim());
  if (!names.includes('capacity'))
    throw new HubproofError('HUBPROOF_ERR_USAGE', '--repeat repeats the capacity search: add --scenario capacity');
  return n;
}

/** Several --target compare the hubs' capacity, and nothing else. */
function sideBySideUsage(v: { scenario?: string; engine?: string; shard?: string; cluster?: string }): void {
  if (v.scenario !== 'capacity')
    throw new HubproofError('HUBPROOF_ERR_USAGE', "several --target compare the hubs' capacity side by side: use --scenario capacity");
  if ((v.engine ?? 'node') !== 'node' || v.shard || v.cluster)
    throw new HubproofError(
      'HUBPROOF_ERR_USAGE',
      'several --target run the Node driver on one machine: drop --engine, --shard and --cluster',
    );
}
