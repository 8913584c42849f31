/**
 * The conformance run report: what `runConformance` returns, `--json` writes and every renderer draws.
 * Run-level findings (a hub crash, a declared limit) lead it; root-cause groups tie together rows that
 * failed for one observed behaviour. The counts and the exit code come from the rules here.
 */
import type { HubInfo } from '../../spec/schemas/sync.ts';
import type { TargetFile } from '../../spec/target.ts';
import type { EffectiveTimings } from '../../conformance/types.ts';
import type { CaseResult } from './case-result.ts';
import { DEFAULT_RULES, failsRun, OUTCOMES, type Outcome, type OutcomeRules } from './outcomes.ts';

/**
 * Something about the whole run, not one row. `fail` counts as a failed MUST (a crash); `info` is a line a
 * reader should see first (a limit that differs from Pusher's). `id` is what a blocked row names.
 */
export interface RunFinding {
  /** Stable within the report: `crash#1`. */
  id: string;
  kind: 'crash' | 'limit';
  severity: 'fail' | 'info';
  /** One line. A crash: `during pusher/bad-input/4#1 after > ws#3 {"event":"pusher:subscribe","data":null}`. */
  text: string;
  /** The case ids it concerns (the case during which the hub went down). */
  cases?: string[];
}

/**
 * Rows that failed (or were blocked) for one observed behaviour of the hub. The fingerprint names the
 * behaviour (`http-error-as-2xx`), never one case's message text, so it holds across cases.
 */
export interface RootCauseGroup {
  fingerprint: string;
  /** One line: `HTTP API errors answered with status 200 (the body carries the real code)`. */
  cause: string;
  /** Row ids, in report order; each row keeps its own outcome. */
  cases: string[];
}

export type Summary = Record<Outcome, number> & { total: number };

export function summarize(results: readonly Pick<CaseResult, 'outcome'>[]): Summary {
  const s = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Summary;
  for (const r of results) s[r.outcome]++;
  s.total = results.length;
  return s;
}

/** 1 when a row fails the run (see failsRun) or a finding is a failure; 0 otherwise. */
export function exitCodeOf(
  results: readonly Pick<CaseResult, 'outcome'>[],
  findings: readonly RunFinding[] = [],
  rules: OutcomeRules = DEFAULT_RULES,
): 0 | 1 {
  return results.some((r) => failsRun(r.outcome, rules)) || findings.some((f) => f.severity === 'fail') ? 1 : 0;
}

/** The client library a `hubproof client` run judged, as its driver announced it. */
export interface ClientSubject {
  /** `pusher-js`, `laravel-echo`, or the driver command. */
  driver: string;
  library: string;
  version: string;
}

export interface RunReport {
  target: { name: string; profiles: TargetFile['profiles']; nodes: TargetFile['nodes']; embedded: boolean };
  /** Set by `hubproof client` (then `target` names the client and the hub is hubproof's scripted hub). */
  client?: ClientSubject;
  hub: HubInfo | undefined;
  harness: { name: string; version: string };
  seed: number;
  numRuns: number;
  strict: boolean;
  selectors: string[];
  timings: EffectiveTimings;
  startedAt: string;
  durationMs: number;
  warnings: string[];
  /** Lead the report (crashes first). Empty until something produces them. */
  findings: RunFinding[];
  /** Shared causes of failed rows, largest first. Empty until something produces them. */
  groups: RootCauseGroup[];
  rules: OutcomeRules;
  /** One row per (case, requirement it proves). */
  results: CaseResult[];
  summary: Summary;
  /** exitCodeOf(results, findings, rules): 0 nothing failed the run, 1 otherwise. */
  exitCode: 0 | 1;
}
