/**
 * The client conformance runner (`hubproof client`): selects client cases by requirement-id prefix or
 * case id, asks the driver who it is, runs the cases a few at a time (each with its own scripted hub and
 * driver process) and returns the hub runner's RunReport, so every renderer, `--expect` and the exit
 * code work as they do for hubs.
 */
import { HubproofError } from '../../spec/errors.ts';
import { PUSHER_CLIENT_REQUIREMENTS } from '../../spec/requirements/index.ts';
import { matchesSelector, type Requirement } from '../../spec/requirements/types.ts';
import { DEFAULT_RULES } from '../../reports/model/outcomes.ts';
import { exitCodeOf, summarize, type RunReport } from '../../reports/model/run-report.ts';
import { runEndText } from '../../reports/conformance-terminal.ts';
import { DEFAULT_TIMINGS } from '../context.ts';
import type { EffectiveTimings } from '../types.ts';
import type { HubInfo } from '../../spec/schemas/sync.ts';
import { withDeviation } from '../../reports/model/case-result.ts';
import { OrderedProgress } from '../ordered-progress.ts';
import type { CaseRow } from '../run-case.ts';
import { tellStory } from '../story.ts';
import type { CaseResult } from '../types.ts';
import type { ClientCase } from './client-case.ts';
import { assignClientCaseIds, CLIENT_CASES, type CaseHead, type IdentifiedClientCase } from './cases/index.ts';
import { DriverSession } from './driver/driver-session.ts';
import type { DriverSpec } from './driver/driver-spec.ts';
import { runClientCase } from './run-client-case.ts';
import { PONG_TIMEOUT_MS } from './cases/helpers.ts';
import { SCRIPTED_ACTIVITY_TIMEOUT_S } from './scripted-hub/scripted-hub.ts';

import pkg from '../../package.json' with { type: 'json' };

const HARNESS = { name: 'hubproof', version: pkg.version };

/** Listed id (case or requirement) → its known-deviation entry, as conformance/deviations.ts parses them. */
export type DeviationList = ReadonlyMap<string, Parameters<typeof withDeviation>[1]>;

/** Client cases at once unless --concurrency says otherwise (each is a driver process and a small hub). */
export const DEFAULT_CLIENT_CONCURRENCY = 4;

export interface ClientRunOptions {
  driver: DriverSpec;
  /** Requirement-id prefixes or case ids; none = every client case. */
  selectors?: string[];
  /** Also run SHOULD cases. */
  strict?: boolean;
  concurrency?: number;
  deviations?: DeviationList;
  failOnFixed?: boolean;
  /** Default process.stderr; null for silence. */
  progress?: { write(s: string): unknown } | null;
  plain?: boolean;
  onResult?: (r: CaseResult) => void;
  /** Cases to choose from (default CLIENT_CASES); requirements (default the pusher-client profile). */
  cases?: readonly ClientCase[];
  requirements?: readonly Requirement[];
  /** What the scripted hub of these cases advertises (default: the Pusher scripted hub's; see PUSHER_ADVERTISED). */
  advertised?: Advertised;
}

/** The report's `hub` and `timings`: what the hubproof-played hub told the client, not a real hub's values. */
export interface Advertised {
  hub: HubInfo | undefined;
  timings: EffectiveTimings;
}

/**
 * The Pusher scripted hub: its activity_timeout outside the heartbeat cases, and the pong timeout the driver
 * is asked for; it answers no `GET /api/hub`, and the other hub timers do not apply to a client run.
 */
export const PUSHER_ADVERTISED: Advertised = {
  hub: undefined,
  timings: { ...DEFAULT_TIMINGS, activityTimeoutS: SCRIPTED_ACTIVITY_TIMEOUT_S, pongTimeoutMs: PONG_TIMEOUT_MS },
};

export interface SelectedClientCase<C extends CaseHead = ClientCase> extends IdentifiedClientCase<C> {
  reqRows: CaseRow[];
}

/** Cases whose id or a requirement they prove matches a selector; a selector matching nothing is a usage error. */
export function selectClientCases(opts?: Pick<ClientRunOptions, 'selectors' | 'cases' | 'requirements'>): SelectedClientCase[];
export function selectClientCases<C extends CaseHead>(opts: {
  selectors?: string[] | undefined;
  cases: readonly C[];
  requirements: readonly Requirement[];
}): SelectedClientCase<C>[];
export function selectClientCases(
  opts: { selectors?: string[] | undefined; cases?: readonly CaseHead[]; requirements?: readonly Requirement[] } = {},
): SelectedClientCase<CaseHead>[] {
  const registry = opts.requirements ?? PUSHER_CLIENT_REQUIREMENTS;
  const byId = new Map(registry.map((r) => [r.id, r]));
  const all = assignClientCaseIds<CaseHead>(opts.cases ?? CLIENT_CASES);
  const selectors = opts.selectors ?? [];
  for (const s of selectors) {
    const known = registry.some((r) => matchesSelector(r.id, s)) || all.some((c) => c.rows.some((row) => row.id === s));
    if (!known)
      throw new HubproofError(
        'HUBPROOF_ERR_SELECTOR',
        `selector "${s}" matches no client requirement; list them with \`hubproof spec ${registry[0]?.profile ?? 'pusher-client'}\``,
      );
  }
  const picked = all.filter(
    (c) => selectors.length === 0 || selectors.some((s) => c.rows.some((row) => row.id === s || matchesSelector(row.requirement, s))),
  );
  return picked.map((c) => ({
    ...c,
    reqRows: c.rows.map((row) => {
      const req = byId.get(row.requirement);
      if (!req) throw new Error(`client case ${row.id} proves ${row.requirement}, which is not a client requirement`);
      return { id: row.id, req };
    }),
  }));
}

/** `npx hubproof client <id> [--driver …] [--client-path …]` */
export function clientReplayCommand(id: string, driver: DriverSpec): string {
  return ['npx hubproof client', id, ...driver.replayFlags].join(' ');
}

/** Starts the driver once, outside any case, to learn which library and version it runs (exit 2 if it cannot start). */
export async function driverHello(driver: DriverSpec): Promise<{ library: string; version: string }> {
  const controller = new AbortController();
  try {
    const session = await DriverSession.start(driver, { now: () => 0, log: () => undefined, signal: controller.signal });
    await session.close();
    return { library: session.hello!.library, version: session.hello!.version };
  } catch (err) {
    throw new HubproofError('HUBPROOF_ERR_DRIVER', (err as Error).message);
  } finally {
    controller.abort();
  }
}

export async function runClientConformance(options: ClientRunOptions): Promise<RunReport> {
  const selected = selectClientCases(options);
  const out = options.progress === undefined ? process.stderr : options.progress;
  const plain = options.plain ?? (Boolean(process.env.CI) || !(out as { isTTY?: boolean } | null)?.isTTY);
  const write = (s: string) => void out?.write(s);
  const strict = options.strict ?? false;
  const startedAt = new Date();
  const t0 = performance.now();
  const hello = await driverHello(options.driver);
  const name = `${hello.library} ${hello.version}`;
  write(`hubproof client: ${selected.length} case(s) against ${name} (driver ${options.driver.label})${strict ? ', strict' : ''}\n`);

  const progress = new OrderedProgress(selected.length, { write, plain, onResult: options.onResult });
  const rows = new Array<CaseResult[]>(selected.length);
  const shared = selected.map((_, i) => i).filter((i) => !selected[i]!.case.alone);
  const alone = selected.map((_, i) => i).filter((i) => selected[i]!.case.alone);
  const runOne = async (index: number) => {
    const sel = selected[index]!;
    progress.started(sel.id);
    const result = await runClientCase(sel.reqRows, sel.case, {
      driver: options.driver,
      strict,
      replay: (id) => clientReplayCommand(id, options.driver),
    });
    progress.stopped(sel.id);
    rows[index] = result.map((r) => {
      const d = options.deviations?.get(r.id) ?? options.deviations?.get(r.requirement);
      return d ? withDeviation(r, d) : r;
    });
    progress.done(index, rows[index]!);
  };
  const queue = [...shared];
  const worker = async () => {
    for (let index = queue.shift(); index !== undefined; index = queue.shift()) await runOne(index);
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? DEFAULT_CLIENT_CONCURRENCY) }, worker));
    for (const index of alone) await runOne(index);
  } finally {
    progress.finish();
  }

  const told = tellStory(rows.flat());
  const rules = { ...DEFAULT_RULES, failOnFixed: options.failOnFixed ?? false };
  const report: RunReport = {
    target: { name, profiles: [], nodes: [], embedded: false },
    client: { driver: options.driver.label, library: hello.library, version: hello.version },
    hub: (options.advertised ?? PUSHER_ADVERTISED).hub,
    harness: HARNESS,
    seed: 0,
    numRuns: 0,
    strict,
    selectors: options.selectors ?? [],
    timings: (options.advertised ?? PUSHER_ADVERTISED).timings,
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - t0),
    warnings: [],
    findings: [],
    groups: told.groups,
    rules,
    results: told.results,
    summary: summarize(told.results),
    exitCode: exitCodeOf(told.results, [], rules),
  };
  const reqText = new Map((options.requirements ?? PUSHER_CLIENT_REQUIREMENTS).map((r) => [r.id, r]));
  write(runEndText(report, (id) => reqText.get(id)));
  return report;
}
