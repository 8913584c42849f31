/**
 * What `hubproof client` and `hubproof certify --client` share: from the flags and selectors, the client
 * profile, the driver (or the dashboard page) and the known deviations, checked before anything starts,
 * and the run itself. Bad flags throw HubproofError (exit 2) before a driver or a browser starts.
 */
import { AGENT_CASES, SYNC_API_ADVERTISED } from '../conformance/client/agent-cases/index.ts';
import { assignClientCaseIds, CLIENT_CASES } from '../conformance/client/cases/index.ts';
import { PUSHER_ADVERTISED, runClientConformance, selectClientCases } from '../conformance/client/client-runner.ts';
import { driverSpec, isShipped } from '../conformance/client/driver/driver-spec.ts';
import type { RunReport } from '../reports/model/run-report.ts';
import { HubproofError } from '../spec/errors.ts';
import { PRESENCE_CLIENT_REQUIREMENTS, PUSHER_CLIENT_REQUIREMENTS, SYNC_CLIENT_REQUIREMENTS } from '../spec/requirements/index.ts';
import { REFERENCE_DASHBOARD_DIR } from './reference-dashboard.ts';

import pkg from '../package.json' with { type: 'json' };

/** What a run of the reference hub's own /dashboard page calls it (a page at --client-url is named by its URL). */
export const REFERENCE_DASHBOARD_NAME = 'hubproof reference dashboard';

export interface ClientFlags {
  profile?: string | undefined;
  driver?: string | undefined;
  'client-path'?: string | undefined;
  'client-url'?: string | undefined;
  strict?: boolean | undefined;
  expect?: string | undefined;
  'fail-on-fixed'?: boolean | undefined;
}

export type ClientProfileName = 'pusher-client' | 'sync-client' | 'presence-client';

/** A client run, checked and ready: what it will run (for --dry-run) and the run itself. */
export interface ClientRunPlan {
  profile: ClientProfileName;
  /** `pusher-js`, `laravel-echo`, `dashboard`, `reference-agent` or the driver command. */
  driver: string;
  cases: Array<{ id: string; level: string; desc: string }>;
  run(): Promise<RunReport>;
}

/** The client profiles run through a driver program: their cases, rules and the driver used without --driver. */
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
type DriverProfileName = keyof typeof PROFILES;

export async function planClientRun(values: ClientFlags, selectors: string[], concurrency: number | undefined): Promise<ClientRunPlan> {
  if (values.driver === 'dashboard' || values.profile === 'presence-client' || selectors.some((s) => s.startsWith('presence-client')))
    return planDashboard(values, selectors, concurrency);
  if (values['client-url'] !== undefined)
    throw new HubproofError(
      'HUBPROOF_ERR_USAGE',
      '--client-url works with --driver dashboard (the page under test); give --driver dashboard',
    );
  const name = clientProfile(values.profile, selectors, values.driver);
  const profile = PROFILES[name];
  const driverName = values.driver ?? profile.defaultDriver;
  const driver = driverSpec(driverName, values['client-path']);
  // A shipped driver speaks one of the two driver protocols; a command is taken at its word.
  const agentDriver = driverName === 'reference-agent';
  if (isShipped(driverName) && agentDriver !== (name === 'sync-client'))
    throw new HubproofError(
      'HUBPROOF_ERR_USAGE',
      `driver ${driver.label} does not speak the ${name === 'sync-client' ? 'agent' : 'client'} driver protocol of profile ${name}; see docs/client-driver-protocol.md`,
    );
  const expected = await clientDeviations(values.expect, values['fail-on-fixed'] ?? false, profileIds(profile));
  const selected = selectClientCases({ selectors, cases: profile.cases, requirements: profile.requirements });
  return {
    profile: name,
    driver: driver.label,
    cases: selected.map((c) => ({ id: c.id, level: c.reqRows[0]!.req.level, desc: c.case.desc })),
    run: () =>
      runClientConformance({
        driver,
        ...expected,
        selectors,
        strict: values.strict ?? false,
        concurrency,
        cases: profile.cases,
        requirements: profile.requirements,
        advertised: profile.advertised,
      }),
  };
}

/** `--driver dashboard`: the reference hub's /dashboard page (or `--client-url`'s) in Chromium against the scripted stream. */
async function planDashboard(values: ClientFlags, selectors: string[], concurrency: number | undefined): Promise<ClientRunPlan> {
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
  const ids = profileIds({ cases: DASHBOARD_CASES, requirements: PRESENCE_CLIENT_REQUIREMENTS });
  const expected = await clientDeviations(values.expect, values['fail-on-fixed'] ?? false, ids);
  return {
    profile: 'presence-client',
    driver: 'dashboard',
    cases: selected.map((c) => ({ id: c.id, level: c.reqRows[0]!.req.level, desc: c.case.desc })),
    run: () =>
      runDashboardConformance({
        page,
        ...(url !== undefined
          ? { replayFlags: ['--client-url', url] }
          : { library: { name: REFERENCE_DASHBOARD_NAME, version: pkg.version } }),
        ...expected,
        selectors,
        strict: values.strict ?? false,
        ...(concurrency !== undefined ? { concurrency } : {}),
      }),
  };
}

/** `--profile`, or the profile every selector names, or the reference agent's (default pusher-client); a mix is a usage error. */
function clientProfile(flag: string | undefined, selectors: readonly string[], driver: string | undefined): DriverProfileName {
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
  // The reference agent speaks only the agent driver protocol: it implies its profile.
  return (flag ?? [...named][0] ?? (driver === 'reference-agent' ? 'sync-client' : 'pusher-client')) as DriverProfileName;
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
  // Loaded only with --expect: conformance/deviations.ts pulls in the hub case catalogue.
  const { loadDeviations } = await import('../conformance/deviations.ts');
  return { deviations: loadDeviations(path, known), failOnFixed };
}
