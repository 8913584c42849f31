/**
 * `hubproof client [selector…] [--profile pusher-client|sync-client|presence-client]
 *  [--driver pusher-js|laravel-echo|dashboard|reference-agent|"<command>"] [--client-path DIR] [--client-url URL]
 *  [--strict] [--expect FILE] [--fail-on-fixed] [--concurrency N] [--dry-run] [--json FILE] [--junit FILE] [--html DIR]`
 * Exit 0 when no MUST failed, 1 when one did, 2 when the harness could not run (bad flags, a driver that
 * does not start or does not speak the protocol).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeConformanceHtml } from '../reports/conformance-html.ts';
import { writeConformanceJson } from '../reports/conformance-json.ts';
import { writeJunit } from '../reports/junit.ts';
import type { RunReport } from '../reports/model/run-report.ts';
import { planClientRun } from './client-run.ts';
import { numberOption } from './number-option.ts';

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      profile: { type: 'string' },
      driver: { type: 'string' },
      'client-path': { type: 'string' },
      'client-url': { type: 'string' },
      strict: { type: 'boolean', default: false },
      expect: { type: 'string' },
      'fail-on-fixed': { type: 'boolean', default: false },
      concurrency: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      json: { type: 'string' },
      junit: { type: 'string' },
      html: { type: 'string' },
    },
  });
  const concurrency = numberOption('concurrency', values.concurrency, { integer: true, min: 1 });
  const plan = await planClientRun(values, positionals, concurrency);
  if (values['dry-run']) {
    for (const c of plan.cases) process.stdout.write(`${c.id}\t${c.level}\t${c.desc}\n`);
    process.stdout.write(`${plan.cases.length} case(s)\n`);
    return 0;
  }
  return writeReports(await plan.run(), values);
}

type Values = { json?: string | undefined; junit?: string | undefined; html?: string | undefined };

function writeReports(report: RunReport, values: Values): number {
  if (values.json) writeConformanceJson(report, resolve(values.json));
  if (values.junit) writeJunit(report, resolve(values.junit));
  if (values.html) process.stderr.write(`HTML report: ${writeConformanceHtml(report, resolve(values.html))}\n`);
  return report.exitCode;
}
