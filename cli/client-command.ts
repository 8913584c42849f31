/**
 * `hubproof client [selector…] [--driver pusher-js|laravel-echo|dashboard|"<command>"] [--client-path DIR]
 *  [--client-url URL] [--strict] [--expect FILE] [--fail-on-fixed] [--concurrency N] [--dry-run] [--json FILE]
 *  [--junit FILE] [--html DIR]`
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
import { REFERENCE_DASHBOARD_DIR } from './reference-dashboard.ts';
import type { RunReport } from '../reports/model/run-report.ts';

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
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
  if (values.driver === 'dashboard') return runDashboard(values, positionals, concurrency);
  if (values['client-url'] !== undefined)
    throw new HubproofError(
      'HUBPROOF_ERR_USAGE',
      '--client-url works with --driver dashboard (the page under test); give --driver dashboard',
    );
  const driver = driverSpec(values.driver, values['client-path']);
  const expected = await clientDeviations(values.expect, values['fail-on-fixed'], CLIENT_IDS);
  const selected = selectClientCases({ selectors: positionals });

  if (values['dry-run']) {
    for (const c of selected) process.stdout.write(`${c.id}\t${c.reqRows[0]!.req.level}\t${c.case.desc}\n`);
    process.stdout.write(`${selected.length} case(s)\n`);
    return 0;
  }

  const report = await runClientConformance({ driver, ...expected, selectors: positionals, strict: values.strict, concurrency });
  return writeReports(report, values);
}

type Values = { json?: string | undefined; junit?: string | undefined; html?: string | undefined };

function writeReports(report: RunReport, values: Values): number {
  if (values.json) writeConformanceJson(report, resolve(values.json));
  if (values.junit) writeJunit(report, resolve(values.junit));
  if (values.html) process.stderr.write(`HTML report: ${writeConformanceHtml(report, resolve(values.html))}\n`);
  return report.exitCode;
}

/** `--driver dashboard`: the reference hub's /dashboard page (or `--client-url`'s) in Chromium against the scripted stream. */
async function runDashboard(
  values: Values & {
    'client-path'?: string | undefined;
    'client-url'?: string | undefined;
    strict?: boolean;
    expect?: string | undefined;
    'fail-on-fixed'?: boolean;
    'dry-run'?: boolean;
  },
  selectors: string[],
  concurrency: number | undefined,
): Promise<number> {
  if (values['client-path'] !== undefined)
    throw new HubproofError(
      'HUBPROOF_ERR_USAGE',
      "--client-path is for pusher-js and laravel-echo; give a hub's page with --client-url URL",
    );
  const { runDashboardConformance, selectDashboardCases } = await import('../conformance/client/dashboard/dashboard-runner.ts');
  const { pageFromFolder, pageFromUrl } = await import('../conformance/client/dashboard/page-source.ts');
  const { DASHBOARD_CASES } = await import('../conformance/client/dashboard/cases/index.ts');
  const url = values['client-url'];
  const page = url !== undefined ? pageFromUrl(url) : pageFromFolder(REFERENCE_DASHBOARD_DIR);
  const selected = selectDashboardCases(selectors);
  if (values['dry-run']) {
    for (const c of selected) process.stdout.write(`${c.id}\t${c.reqRows[0]!.req.level}\t${c.case.desc}\n`);
    process.stdout.write(`${selected.length} case(s)\n`);
    return 0;
  }
  const ids = {
    requirements: new Set(REQUIREMENTS.filter((r) => r.profile === 'presence-client').map((r) => r.id)),
    cases: new Set(assignClientCaseIds(DASHBOARD_CASES).flatMap((c) => c.rows.map((r) => r.id))),
  };
  const expected = await clientDeviations(values.expect, values['fail-on-fixed'] ?? false, ids);
  const report = await runDashboardConformance({
    page,
    ...(url !== undefined ? { replayFlags: ['--client-url', url] } : {}),
    ...expected,
    selectors,
    strict: values.strict ?? false,
    ...(concurrency !== undefined ? { concurrency } : {}),
  });
  return writeReports(report, values);
}

const CLIENT_IDS = {
  get requirements() {
    return new Set(REQUIREMENTS.filter((r) => r.profile === 'pusher-client').map((r) => r.id));
  },
  get cases() {
    return new Set(assignClientCaseIds(CLIENT_CASES).flatMap((c) => c.rows.map((r) => r.id)));
  },
};

/** `--expect FILE` for client runs: the ids it may list are client requirements and client case ids. */
async function clientDeviations(path: string | undefined, failOnFixed: boolean, known: { requirements: Set<string>; cases: Set<string> }) {
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
  const ids = { requirements: known.requirements, cases: known.cases };
  // Loaded only with --expect: conformance/deviations.ts pulls in the hub case catalogue.
  const { parseDeviations } = await import('../conformance/deviations.ts');
  return { deviations: parseDeviations(text, path, ids), failOnFixed };
}
