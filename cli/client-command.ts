/**
 * `hubproof client [selector…] [--profile pusher-client|sync-client|presence-client]
 *  [--driver pusher-js|laravel-echo|dashboard|reference-agent|"<command>"] [--client-path DIR] [--client-url URL]
 *  [--strict] [--expect FILE] [--fail-on-fixed] [--concurrency N] [--dry-run] [--json FILE] [--junit FILE] [--html DIR]`
 * Exit 0 when no MUST failed, 1 when one did, 2 when the harness could not run (bad flags, a driver that
 * does not start or does not speak the protocol).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AGENT_CASES, SYNC_API_ADVERTISED } from '../conformance/client/agent-cases/index.ts';
import { assignClientCaseIds, CLIENT_CASES } from '../conformance/client/cases/index.ts';
import { PUSHER_ADVERTISED, runClientConformance, selectClientCases } from '../conformance/client/client-runner.ts';
import { driverSpec, isShipped } from '../conformance/client/driver/driver-spec.ts';
import { writeConformanceHtml } from '../reports/conformance-html.ts';
import { writeConformanceJson } from '../reports/conformance-json.ts';
import { writeJunit } from '../reports/junit.ts';
import { HubproofError } from '../spec/errors.ts';
import { PRESENCE_CLIENT_REQUIREMENTS, PUSHER_CLIENT_REQUIREMENTS, SYNC_CLIENT_REQUIREMENTS } from '../spec/requirements/index.ts';
import { numberOption } from './number-option.ts';
import { REFERENCE_DASHBOARD_DIR } from './reference-dashboard.ts';
import type { RunReport } from '../reports/model/run-report.ts';

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
  if (values.driver === 'dashboard' || values.profile === 'presence-client' || positionals.some((s) => s.startsWith('presence-client')))
    return runDashboard(values, positionals, concurrency);
  if (values['client-url'] !== undefined)
    throw new HubproofError(
      'HUBPROOF_ERR_USAGE',
      '--client-url works with --driver dashboard (the page under test); give --driver dashboard',
    );
  const profile = PROFILES[clientProfile(values.profile, positionals)];
  const driverName = values.driver ?? profile.defaultDriver;
  const driver = driverSpec(driverName, values['client-path']);
  // A shipped driver speaks one of the two driver protocols; a command is taken at its word.
  const agentDriver = driverName === 'reference-agent';
  if (isShipped(driverName) && agentDriver !== (profile === PROFILES['sync-client']))
    throw new HubproofError(
      'HUBPROOF_ERR_USAGE',
      `--driver ${driver.label} does not speak the ${profile === PROFILES['sync-client'] ? 'agent' : 'client'} driver protocol of profile ${profile.requirements[0]!.profile}; see docs/client-driver-protocol.md`,
    );
  const expected = await clientDeviations(values.expect, values['fail-on-fixed'], profileIds(profile));
  const selected = selectClientCases({ selectors: positionals, cases: profile.cases, requirements: profile.requirements });

  if (values['dry-run']) {
    for (const c of selected) process.stdout.write(`${c.id}\t${c.reqRows[0]!.req.level}\t${c.case.desc}\n`);
    process.stdout.write(`${selected.length} case(s)\n`);
    return 0;
  }

  const report = await runClientConformance({
    driver,
    ...expected,
    selectors: positionals,
    strict: values.strict,
    concurrency,
    cases: profile.cases,
    requirements: profile.requirements,
    advertised: profile.advertised,
  });
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
    profile?: string | undefined;
    driver?: string | undefined;
    strict?: boolean;
    expect?: string | undefined;
    'fail-on-fixed'?: boolean;
    'dry-run'?: boolean;
  },
  selectors: string[],
  concurrency: number | undefined,
): Promise<number> {
  if (values.profile !== undefined && values.profile !== 'presence-client')
    throw new HubproofError('HUBPROOF_ERR_USAGE', `--driver dashboard runs profile presence-client, not ${values.profile}`);
  if (values.driver !== undefined && values.driver !== 'dashboard')
    throw new HubproofError(
      'HUBPROOF_ERR_USAGE',
      `profile presence-client is judged on a dashboard page: give --driver dashboard, not ${values.driver}`,
    );
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
  const ids = profileIds({ cases: DASHBOARD_CASES, requirements: PRESENCE_CLIENT_REQUIREMENTS });
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

/** The client profiles `hubproof client` runs: their cases, rules and the driver used without --driver. */
const PROFILES = {
  'pusher-client': {
    cases: CLIENT_CASES,
    requirements: PUSHER_CLIENT_REQUIREMENTS,
    defaultDriver: 'pusher-js',
    advertised: PUSHER_ADVERTISED,
  },
  'sync-client': {
    cases: AGENT_CASES,
    requirements: SYNC_CLIENT_REQUIREMENTS,
    defaultDriver: 'reference-agent',
    advertised: SYNC_API_ADVERTISED,
  },
} as const;
type ClientProfileName = keyof typeof PROFILES;

/** `--profile`, or the profile every selector names (default pusher-client); a mix is a usage error. */
function clientProfile(flag: string | undefined, selectors: readonly string[]): ClientProfileName {
  if (flag !== undefined && !Object.hasOwn(PROFILES, flag))
    throw new HubproofError(
      'HUBPROOF_ERR_USAGE',
      `--profile ${flag} is not a client profile; give pusher-client, sync-client or presence-client (--driver dashboard)`,
    );
  const named = new Set(selectors.map((s) => s.split('/')[0]!).filter((p) => Object.hasOwn(PROFILES, p)));
  if (named.size > 1 || (flag !== undefined && named.size === 1 && !named.has(flag)))
    throw new HubproofError(
      'HUBPROOF_ERR_USAGE',
      `selectors name ${[...new Set([...(flag ? [flag] : []), ...named])].join(' and ')}: run one client profile at a time (each has its own driver)`,
    );
  return (flag ?? [...named][0] ?? 'pusher-client') as ClientProfileName;
}

/** The ids a known-deviations file may list for a profile: its requirements and its case ids. */
function profileIds(profile: { cases: Parameters<typeof assignClientCaseIds>[0]; requirements: ReadonlyArray<{ id: string }> }) {
  return {
    requirements: new Set(profile.requirements.map((r) => r.id)),
    cases: new Set(assignClientCaseIds(profile.cases).flatMap((c) => c.rows.map((r) => r.id))),
  };
}

/** `--expect FILE` for client runs: the ids it may list are the profile's requirements and case ids. */
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
