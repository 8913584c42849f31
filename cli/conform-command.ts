/**
 * `hubproof conform [--target file.json] [selector…] [--strict] [--seed N] [--num-runs N] [--path P]
 *  [--concurrency N] [--hub-down-wait S] [--max-timer-wait S] [--race-tries N] [--dry-run] [--json file] [--junit file] [--html dir]`
 * Exit 0 when no MUST failed, 1 when one did, 2 when the harness could not run.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { HubproofError } from '../spec/errors.ts';
import { loadTargetFile } from '../spec/target.ts';
import { deviationOptions } from './expect-option.ts';
import { countCases, runConformance, selectCases } from '../conformance/runner.ts';
import { writeConformanceJson } from '../reports/conformance-json.ts';
import { writeJunit } from '../reports/junit.ts';
import { writeConformanceHtml } from '../reports/conformance-html.ts';
import { conformanceMarkdown } from '../reports/markdown.ts';
import { writeText } from './write-text.ts';
import { CHECKS_HUB, clusterOption, withTarget } from './embedded-target.ts';
import { numberOption } from './number-option.ts';

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      target: { type: 'string' },
      expect: { type: 'string' },
      'fail-on-fixed': { type: 'boolean', default: false },
      strict: { type: 'boolean', default: false },
      seed: { type: 'string' },
      'num-runs': { type: 'string' },
      path: { type: 'string' },
      concurrency: { type: 'string' },
      'hub-down-wait': { type: 'string' },
      'max-timer-wait': { type: 'string' },
      'race-tries': { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      json: { type: 'string' },
      junit: { type: 'string' },
      html: { type: 'string' },
      markdown: { type: 'string' },
      cluster: { type: 'string' },
    },
  });
  const seed = numberOption('seed', values.seed, { integer: true, min: -0x80000000 });
  const numRuns = numberOption('num-runs', values['num-runs'], { integer: true, min: 1 });
  const concurrency = numberOption('concurrency', values.concurrency, { integer: true, min: 1 });
  const hubDownWait = numberOption('hub-down-wait', values['hub-down-wait'], { min: 0 });
  const maxTimerWait = numberOption('max-timer-wait', values['max-timer-wait'], { min: 1 });
  const raceTries = numberOption('race-tries', values['race-tries'], { integer: true, min: 1 });
  if (values.path !== undefined && seed === undefined) {
    throw new HubproofError('HUBPROOF_ERR_USAGE', '--path replays a failure only together with the --seed it was found with');
  }
  // Validate the target before anything else so a bad file exits 2 with the zod path.
  const target = values.target ? loadTargetFile(values.target) : undefined;
  const cluster = clusterOption(values.cluster, values.target);
  const expected = deviationOptions(values.expect, values['fail-on-fixed']);
  const selected = selectCases({ selectors: positionals });

  if (values['dry-run']) {
    // One line per result row, as the run will report them: a run proving several requirements lists each.
    for (const c of selected)
      for (const [i, row] of c.reqRows.entries())
        process.stdout.write(`${row.id}\t${row.req.level}\t${i === 0 ? c.case.desc : `(same run as ${c.id})`}\n`);
    process.stdout.write(`${countCases(selected)}\n`);
    return 0;
  }

  const report = await withTarget(target, { ...CHECKS_HUB, cluster }, (hub) =>
    runConformance({
      ...hub,
      targetPath: values.target,
      ...expected,
      selectors: positionals,
      strict: values.strict,
      seed,
      numRuns,
      path: values.path,
      concurrency,
      ...(hubDownWait !== undefined ? { hubDownWaitMs: hubDownWait * 1000 } : {}),
      ...(maxTimerWait !== undefined ? { maxTimerWaitMs: maxTimerWait * 1000 } : {}),
      ...(raceTries !== undefined ? { raceTries } : {}),
    }),
  );
  if (values.json) writeConformanceJson(report, resolve(values.json));
  if (values.junit) writeJunit(report, resolve(values.junit));
  if (values.markdown) writeText(values.markdown, conformanceMarkdown(report));
  if (values.html) process.stderr.write(`HTML report: ${writeConformanceHtml(report, resolve(values.html))}\n`);
  return report.exitCode;
}
