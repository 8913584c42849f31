/**
 * The conformance runner: selects cases by requirement-id prefix, probes the target it is given, runs
 * every case under its deadline and returns a RunReport. It never starts a hub: `hubproof conform`
 * hands it the embedded one (cli/embedded-target.ts) or the user's target file.
 * Used by `hubproof conform`, `hubproof certify`, the mutant self-test and hubproof's own tests.
 */
import { HubproofError } from '../spec/errors.ts';
import { REQUIREMENTS } from '../spec/requirements/index.ts';
import { matchesSelector, type Requirement } from '../spec/requirements/types.ts';
import { DEFAULT_RULES } from '../reports/model/outcomes.ts';
import { exitCodeOf, summarize, type RunReport } from '../reports/model/run-report.ts';
import { tellStory } from './story.ts';
import { applyDeviations, type DeviationList } from './deviations.ts';
import { limitFindings } from './limits.ts';
import { runEndText } from '../reports/conformance-terminal.ts';
import { ALL_CASES, assignCaseIds, type IdentifiedCase } from './cases/index.ts';
import { effectiveTimings } from './context.ts';
import { chargedRows, crashBlockedRows } from './crash.ts';
import { livenessBaseline, probeHub } from './liveness.ts';
import { OrderedProgress } from './ordered-progress.ts';
import { caseTimeout, runCase, type CaseRow } from './run-case.ts';
import { Scheduler, type Slot } from './scheduler.ts';
import type { Case, CaseResult } from './types.ts';
import type { TargetHandle } from '../target/handle.ts';
import { fetchHubInfo } from '../target/hub-info.ts';
import { probeTarget } from '../target/probe.ts';
import { commandNodeControl, commandRestart, nodeRestart } from '../target/restart-command.ts';

import pkg from '../package.json' with { type: 'json' };

export const HARNESS: { name: string; version: string } = { name: 'hubproof', version: pkg.version };
/** fast-check runs per property unless --num-runs says otherwise: enough to find order bugs, quick on a laptop. */
export const DEFAULT_NUM_RUNS = 10;
/** Busy cases at once unless --concurrency says otherwise (timer-bound cases run beside them). */
export const DEFAULT_CONCURRENCY = 4;
/** How long a hub that went down is awaited (after a restart, or by itself without one) before the rest is blocked. */
export const DEFAULT_HUB_DOWN_WAIT_MS = 30_000;

/** `target` is the hub; `restart` defaults to the target file's `restart.command`; `embedded` labels the embedded hub. */
export interface RunOptions extends TargetHandle {
  /** Path of the target file, for replay commands. */
  targetPath?: string;
  /** Requirement-id prefixes or case ids (`pusher/auth/4#1`); none = everything. */
  selectors?: string[];
  /** Also run SHOULD cases (default false: they are skipped with a reason). */
  strict?: boolean;
  /** fast-check seed; default a random 31-bit integer, always reported. */
  seed?: number;
  /** fast-check runs per property (default DEFAULT_NUM_RUNS). */
  numRuns?: number;
  /** fast-check replay path (with --seed, reruns exactly one failure). */
  path?: string;
  /** Cases to choose from (default every registered case). */
  cases?: readonly Case[];
  /** Requirement registry (default REQUIREMENTS). */
  requirements?: readonly Requirement[];
  /** Where progress goes (default process.stderr); null for silence. */
  progress?: { write(s: string): unknown } | null;
  /** Words instead of symbols and colour (default: when CI is set or the stream is not a TTY). */
  plain?: boolean;
  /** Called after each case, in registry order. */
  onResult?: (r: CaseResult) => void;
  /** A known-deviations file (--expect): listed misses become expected-fail, listed passes fixed. */
  deviations?: DeviationList;
  /** A listed deviation that passed (`fixed`) fails the run (--fail-on-fixed). */
  failOnFixed?: boolean;
  /** Busy cases at once (default DEFAULT_CONCURRENCY); 1 runs every case alone, in registry order. */
  concurrency?: number;
  /** How long to wait for a hub that went down to answer again (default DEFAULT_HUB_DOWN_WAIT_MS). */
  hubDownWaitMs?: number;
  /** The longest hub timer (offline_after, heartbeat_timeout) a case waits out; past it the case is skipped (default MAX_TIMER_WAIT_MS). */
  maxTimerWaitMs?: number;
  /** How often a race case (pusher/cluster/7) repeats its race (--race-tries); default as many tries as fit its time budget. */
  raceTries?: number;
}

export type { RunReport };

export interface SelectedCase extends IdentifiedCase {
  /** The case's first requirement. */
  req: Requirement;
  /** Every requirement it proves, with its row id (first = `req`). */
  reqRows: CaseRow[];
}

/**
 * Cases with an id (any of their row ids) or a requirement they prove matching a selector. A selector
 * that matches no requirement and no case is a usage error (exit 2), so a typo never reads as "all passed".
 */
export function selectCases(opts: Pick<RunOptions, 'selectors' | 'cases' | 'requirements'> = {}): SelectedCase[] {
  const registry = opts.requirements ?? REQUIREMENTS;
  const byId = new Map(registry.map((r) => [r.id, r]));
  const all = assignCaseIds(opts.cases ?? ALL_CASES);
  const selectors = opts.selectors ?? [];
  for (const s of selectors) {
    const known = registry.some((r) => matchesSelector(r.id, s)) || all.some((c) => c.rows.some((row) => row.id === s));
    if (!known)
      throw new HubproofError('HUBPROOF_ERR_SELECTOR', `selector "${s}" matches no requirement; list them with \`hubproof spec\``);
    // Client rules have no hub cases: a run of none would read as "all passed".
    if (
      registry.filter((r) => matchesSelector(r.id, s)).every((r) => r.profile.endsWith('-client')) &&
      !all.some((c) => c.rows.some((row) => row.id === s))
    )
      throw new HubproofError('HUBPROOF_ERR_SELECTOR', `selector "${s}" names client rules; run them with \`hubproof client ${s}\``);
  }
  const picked = all.filter(
    (c) => selectors.length === 0 || selectors.some((s) => c.rows.some((row) => row.id === s || matchesSelector(row.requirement, s))),
  );
  // A case naming an unregistered requirement still runs, as a MUST, and says so in its report.
  const lookup = (id: string) => byId.get(id) ?? unregistered(id);
  return picked.map((c) => ({
    ...c,
    req: lookup(c.case.requirement),
    reqRows: c.rows.map((row) => ({ id: row.id, req: lookup(row.requirement) })),
  }));
}

/**
 * How many cases a selection is, as the summary will count them: one per result row. A run that proves
 * several requirements (`alsoProves`) is one run but several cases, so the runs are named when they differ.
 */
export function countCases(selected: readonly SelectedCase[]): string {
  const rows = selected.reduce((n, c) => n + c.reqRows.length, 0);
  return `${rows} case(s)${rows === selected.length ? '' : ` in ${selected.length} runs`}`;
}

function unregistered(id: string): Requirement {
  const [profile, section] = id.split('/') as [Requirement['profile'], string];
  return {
    id,
    profile,
    section: section ?? 'unknown',
    level: 'MUST',
    text: '(requirement not in the registry)',
    source: 'n/a',
    basis: { derived: '(requirement not in the registry)' },
  };
}

/** `npx hubproof conform <id> [--target f] --seed S [--path P]` */
export function replayCommand(
  id: string,
  seed: number,
  path: string | undefined,
  targetPath: string | undefined,
  embedded: boolean,
): string {
  const parts = ['npx hubproof conform', id];
  if (!embedded) parts.push('--target', targetPath ?? '<target.json>');
  parts.push('--seed', String(seed));
  if (path) parts.push('--path', path);
  return parts.join(' ');
}

export function randomSeed(): number {
  return Math.floor(Math.random() * 0x7fffffff);
}

export async function runConformance(options: RunOptions): Promise<RunReport> {
  const selected = selectCases(options);
  const out = options.progress === undefined ? process.stderr : options.progress;
  const plain = options.plain ?? (Boolean(process.env.CI) || !(out as { isTTY?: boolean } | null)?.isTTY);
  const write = (s: string) => out?.write(s);
  const warnings: string[] = [];
  const warn = (m: string) => {
    warnings.push(m);
    write(`warning: ${m}\n`);
  };
  const seed = options.seed ?? randomSeed();
  const numRuns = options.numRuns ?? DEFAULT_NUM_RUNS;
  const strict = options.strict ?? false;

  const { target } = options;
  const embedded = options.embedded !== undefined;
  const restart = options.restart ?? commandRestart(target);
  const nodeControl = options.nodeControl ?? commandNodeControl(target);
  const startedAt = new Date();
  const t0 = performance.now();
  await probeTarget(target);
  const hub = await fetchHubInfo(target, warn);
  const timings = effectiveTimings(target, hub);
  write(
    `hubproof conform: ${countCases(selected)} against "${target.name}"${embedded ? ' (embedded reference hub)' : ''}, seed ${seed}${strict ? ', strict' : ''}\n`,
  );

  const liveness = await livenessBaseline(target);
  const probe = () => probeHub(target, liveness.baseline);
  const progress = new OrderedProgress(selected.length, { write, plain, onResult: options.onResult });
  const slots: Slot[] = selected.map((sel, index) => ({
    index,
    id: sel.id,
    ...(sel.case.exclusive ? { exclusive: sel.case.exclusive } : {}),
    ...(sel.case.timerBound ? { timerBound: true } : {}),
    expectedMs: caseTimeout(sel.case, timings, { raceTries: options.raceTries }),
  }));
  const replay = (id: string, s: number, p?: string) => replayCommand(id, s, p, options.targetPath, embedded);
  // A restart a case asks for is on purpose: liveness probes pause meanwhile.
  let scheduler: Scheduler | undefined;
  const caseRestart = restart && (() => scheduler!.quietly(restart));
  scheduler = new Scheduler({
    slots,
    concurrency: Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY),
    runOne: (index, attempt) => {
      const sel = selected[index]!;
      return runCase(sel.reqRows, sel.case, {
        target,
        hub,
        timings,
        strict,
        ...(options.maxTimerWaitMs !== undefined ? { maxTimerWaitMs: options.maxTimerWaitMs } : {}),
        ...(options.raceTries !== undefined ? { raceTries: options.raceTries } : {}),
        ...(options.singleNodeBecause ? { singleNodeBecause: options.singleNodeBecause } : {}),
        fc: { seed, numRuns, ...(options.path ? { path: options.path } : {}) },
        restart: caseRestart,
        nodeControl,
        replay,
        signal: attempt.signal,
        onStart: attempt.onStart,
      });
    },
    charged: (index, charge) => {
      const sel = selected[index]!;
      return chargedRows(sel.reqRows, sel.case.desc, charge, (id) => replay(id, seed));
    },
    finalRows: (_, rows) => applyDeviations(rows, options.deviations),
    blocked: (index, crash, cut) => crashBlockedRows(selected[index]!.reqRows, selected[index]!.case.desc, crash, cut),
    probe,
    firstProbe: liveness.probe,
    restart,
    restartNode: nodeRestart(target, options.nodeControl),
    hubDownWaitMs: options.hubDownWaitMs ?? DEFAULT_HUB_DOWN_WAIT_MS,
    progress,
    warn,
  });
  let ran: Awaited<ReturnType<Scheduler['run']>>;
  try {
    ran = await scheduler.run();
  } finally {
    progress.finish();
  }
  const results: CaseResult[] = selected.flatMap((_, i) => ran.rows.get(i) ?? []);
  const findings = [...ran.findings, ...limitFindings(target)];

  const durationMs = Math.round(performance.now() - t0);
  const rules = { ...DEFAULT_RULES, failOnFixed: options.failOnFixed ?? false };
  const told = tellStory(results);
  const report: RunReport = {
    target: { name: target.name, profiles: target.profiles, nodes: target.nodes, embedded },
    hub,
    harness: HARNESS,
    seed,
    numRuns,
    strict,
    selectors: options.selectors ?? [],
    timings,
    startedAt: startedAt.toISOString(),
    durationMs,
    warnings,
    findings,
    groups: told.groups,
    rules,
    results: told.results,
    summary: summarize(told.results),
    exitCode: exitCodeOf(told.results, findings, rules),
  };
  const reqText = new Map((options.requirements ?? REQUIREMENTS).map((r) => [r.id, r]));
  write(runEndText(report, (id) => reqText.get(id)));
  return report;
}
