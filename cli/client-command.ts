/**
 * `hubproof client [selector…] [--driver pusher-js|laravel-echo|"<command>"] [--client-path DIR] [--strict]
 *  [--expect FILE] [--fail-on-fixed] [--concurrency N] [--dry-run] [--json FILE] [--junit FILE] [--html DIR]`
 * Exit 0 when no MUST failed, 1 when one did, 2 when the harness could not run (bad flags, a driver that
 * does not start or does not speak the protocol).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { assignClientCaseIds, CLIENT_CASES } from '../conformance/client/cases/index.ts';
import { runClientConformance, selectClientCases } from '../conformance/client/client-runner.ts';
import { driverSpec } from '../conformance/client/driver/driver-spec.ts';
import { writeConformanceHtml } from '../reports/conformance-html.ts';
import { writeConformanceJson } from '../reports/conformance-json.ts';
import { writeJunit } from '../reports/junit.ts';
import { HubproofError } from '../spec/errors.ts';
import { REQUIREMENTS } from '../spec/requirements/index.ts';
import { numberOption } from './number-option.ts';

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      driver: { type: 'string' },
      'client-path': { type: 'string' },
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
  const driver = driverSpec(values.driver, values['client-path']);
  const expected = await clientDeviations(values.expect, values['fail-on-fixed']);
  const selected = selectClientCases({ selectors: positionals });

  if (values['dry-run']) {
    for (const c of selected) process.stdout.write(`${c.id}\t${c.reqRows[0]!.req.level}\t${c.case.desc}\n`);
    process.stdout.write(`${selected.length} case(s)\n`);
    return 0;
  }

  const report = await runClientConformance({ driver, ...expected, selectors: positionals, strict: values.strict, concurrency });
  if (values.json) writeConformanceJson(report, resolve(values.json));
  if (values.junit) writeJunit(report, resolve(values.junit));
  if (values.html) process.stderr.write(`HTML report: ${writeConformanceHtml(report, resolve(values.html))}\n`);
  return report.exitCode;
}

/** `--expect FILE` for client runs: the ids it may list are client requirements and client case ids. */
async function clientDeviations(path: string | undefined, failOnFixed: boolean) {
  if (path === undefined) {
    if (failOnFixed)
      throw new HubproofError('HUBPROOF_ERR_USAGE', '--fail-on-fixed needs --expect FILE (the known deviations it keeps honest)');
    return {};
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new HubproofError(
      'HUBPROOF_ERR_EXPECT_INVALID',
      `known-deviations file ${path}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
  const ids = {
    requirements: new Set(REQUIREMENTS.filter((r) => r.profile === 'pusher-client').map((r) => r.id)),
    cases: new Set(assignClientCaseIds(CLIENT_CASES).flatMap((c) => c.rows.map((r) => r.id))),
  };
  // Loaded only with --expect: conformance/deviations.ts pulls in the hub case catalogue.
  const { parseDeviations } = await import('../conformance/deviations.ts');
  return { deviations: parseDeviations(text, path, ids), failOnFixed };
}
