/**
 * Runs one case and turns what happened into its result rows, one per requirement it proves: gates
 * first (profile, capability, level, cluster), then the case under its deadline, then cleanup. A hub's
 * wrong answer is a CheckFailure → `fail` (MUST) or `non-strict` (SHOULD/MAY) on the requirement the
 * check names; silence past the deadline is a `fail` that says so; requirements the run did not reach
 * are `blocked` by the one that failed (case-rows.ts).
 */
import type { Requirement } from '../spec/requirements/types.ts';
import type { HubInfo } from '../spec/schemas/sync.ts';
import type { TargetFile } from '../spec/target.ts';
import type { NodeControl } from '../target/handle.ts';
import { missedOutcome, type Outcome } from '../reports/model/outcomes.ts';
import { rowVerdicts } from './case-rows.ts';
import { CaseAbortedError } from './clients/wait.ts';
import { createCaseContext } from './context.ts';
import { PropertyFailure } from './property.ts';
import {
  CaseOutcome,
  CheckFailure,
  type Case,
  type CaseResult,
  type EffectiveTimings,
  type FcSettings,
  type RunSettings,
  type WireEntry,
} from './types.ts';

export const DEFAULT_CASE_TIMEOUT_MS = 10_000;

export interface CaseEnv {
  target: TargetFile;
  hub: HubInfo | undefined;
  timings: EffectiveTimings;
  /** The longest hub timer a case waits out (default MAX_TIMER_WAIT_MS). */
  maxTimerWaitMs?: number;
  /** Tries of a race case (default: as many as fit its budget). */
  raceTries?: number;
  fc: FcSettings;
  strict: boolean;
  restart?: () => Promise<void>;
  nodeControl?: NodeControl;
  /** Why a cluster that was asked for runs as one node (TargetHandle.singleNodeBecause). */
  singleNodeBecause?: string;
  /** Builds the replay command for a case id (and seed/path for properties). */
  replay(id: string, seed: number, path?: string): string;
  /** The run cuts the case short (the hub went down): it ends at once, and the run replaces its rows. */
  signal?: AbortSignal;
  /** Called once the case's context exists: when it started (performance.now()) and its live wire log. */
  onStart?(startedAt: number, wire: readonly WireEntry[]): void;
}

/** One requirement a case proves, with the id of its result row. */
export interface CaseRow {
  id: string;
  req: Requirement;
}

/**
 * Why a case will not run against this target, or undefined when it runs. Profile and capability gate
 * on any requirement the case proves (the run needs them all); the level gates only when every one is a
 * SHOULD: a case that runs for a MUST judges its SHOULD rows too (a miss there is `non-strict`).
 */
export function gate(
  reqs: readonly Requirement[],
  c: Case,
  env: Pick<CaseEnv, 'target' | 'hub' | 'strict' | 'singleNodeBecause'>,
): { outcome: Outcome; reason: string } | undefined {
  for (const req of reqs) {
    if (!(env.target.profiles as readonly string[]).includes(req.profile)) {
      return { outcome: 'unimplemented', reason: `target does not implement the ${req.profile} profile` };
    }
    if (req.capability) {
      if (env.target.capabilities?.[req.capability] === false) {
        return { outcome: 'unimplemented', reason: `target declares capability ${req.capability}: false` };
      }
      if (env.target.capabilities?.[req.capability] === undefined && env.hub?.capabilities[req.capability] === false) {
        return { outcome: 'unimplemented', reason: `hub advertises capability ${req.capability}: false (GET /api/hub)` };
      }
    }
  }
  if (reqs.every((r) => r.level === 'SHOULD') && !env.strict) return { outcome: 'skipped', reason: 'SHOULD; run with --strict' };
  if (c.cluster && env.target.nodes.length < 2)
    return {
      outcome: 'skipped',
      reason: `needs a cluster target (2 or more nodes)${env.singleNodeBecause ? `; ${env.singleNodeBecause}` : ''}`,
    };
  return undefined;
}

export function caseTimeout(c: Case, timings: EffectiveTimings, run: RunSettings = {}): number {
  if (typeof c.timeoutMs === 'function') return c.timeoutMs(timings, run);
  return c.timeoutMs ?? DEFAULT_CASE_TIMEOUT_MS;
}

/** Runs `c` once; returns one row per entry of `rows` (the case's first requirement first). */
export async function runCase(rows: readonly CaseRow[], c: Case, env: CaseEnv): Promise<CaseResult[]> {
  const base = (row: CaseRow) => ({ id: row.id, requirement: row.req.id, level: row.req.level, desc: c.desc });
  const gated = gate(
    rows.map((r) => r.req),
    c,
    env,
  );
  if (gated) return rows.map((row) => ({ ...base(row), ...gated, durationMs: 0, wire: [] }));

  const timeoutMs = caseTimeout(c, env.timings, { raceTries: env.raceTries });
  const controller = new AbortController();
  const harness = createCaseContext({
    target: env.target,
    requirements: rows.map((r) => r.req.id),
    hub: env.hub,
    timings: env.timings,
    ...(env.maxTimerWaitMs !== undefined ? { maxTimerWaitMs: env.maxTimerWaitMs } : {}),
    ...(env.raceTries !== undefined ? { raceTries: env.raceTries } : {}),
    fc: env.fc,
    signal: controller.signal,
    restart: env.restart,
    nodeControl: env.nodeControl,
  });
  env.onStart?.(harness.startedAt, harness.wire);
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  let cut: () => void = () => undefined;
  const timedOut = new Promise<'timeout' | 'cut'>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error('case deadline'));
      resolve('timeout');
    }, timeoutMs);
    cut = () => {
      controller.abort(env.signal?.reason ?? new Error('cut short'));
      resolve('cut');
    };
    if (env.signal?.aborted) cut();
    else env.signal?.addEventListener('abort', cut, { once: true });
  });
  const running = Promise.resolve()
    .then(() => c.run(harness.ctx))
    .then(
      () => ({ ok: true as const }),
      (error: unknown) => ({ ok: false as const, error }),
    );
  const settled = await Promise.race([running, timedOut]);
  clearTimeout(timer);
  env.signal?.removeEventListener('abort', cut);
  await harness.cleanup();
  const durationMs = Math.round(performance.now() - started);

  let failure: CheckFailure | undefined;
  if (settled === 'cut' || env.signal?.aborted) {
    failure = new CheckFailure('cut short: the hub went down while the case ran');
  } else if (settled === 'timeout' || (!settled.ok && settled.error instanceof CaseAbortedError)) {
    failure = new CheckFailure(
      `no answer within ${timeoutMs} ms`,
      `the case completes within ${timeoutMs} ms`,
      `no answer within ${timeoutMs} ms; ${lastWire(harness.wire)}`,
    );
  } else if (!settled.ok) {
    const err = settled.error;
    if (err instanceof CaseOutcome) {
      return rows.map((row, i) => ({
        ...base(row),
        outcome: err.outcome,
        reason: err.reason,
        durationMs,
        ...wireOf(rows, i, 0, harness.wire),
      }));
    }
    if (err instanceof CheckFailure) failure = err;
    else {
      // A bug in the case or an unexpected client error: still a failure, but said plainly.
      const e = err as Error;
      failure = new CheckFailure(
        `unexpected error in the case: ${e?.message ?? String(err)}`,
        undefined,
        e?.stack?.split('\n').slice(0, 3).join(' '),
      );
    }
  }

  const verdicts = rowVerdicts(
    rows.map((r) => r.req.id),
    failure,
  );
  const holder = Math.max(
    0,
    verdicts.findIndex((v) => v.verdict === 'miss'),
  );
  const idOf = (requirement: string) => rows.find((r) => r.req.id === requirement)?.id;
  return rows.map((row, i): CaseResult => {
    const v = verdicts[i]!;
    const result: CaseResult = { ...base(row), outcome: 'pass', durationMs, ...wireOf(rows, i, holder, harness.wire) };
    if (c.property) {
      result.seed = env.fc.seed;
      if (env.fc.path) result.path = env.fc.path;
    }
    if (v.verdict === 'pass') return result;
    if (v.failure instanceof PropertyFailure) {
      result.seed = v.failure.seed;
      if (v.failure.path) result.path = v.failure.path;
    }
    const cause = v.failure.rootCause ? { rootCause: v.failure.rootCause } : {};
    if (v.verdict === 'blocked') {
      const by = idOf(v.by);
      return {
        ...result,
        outcome: 'blocked',
        blockedBy: { kind: 'requirement', id: v.by, ...(by ? { case: by } : {}) },
        reason: v.reason,
        ...cause,
      };
    }
    const f = v.failure;
    Object.assign(result, { outcome: missedOutcome(row.req.level), reason: f.message, ...cause });
    if (f.expected !== undefined) result.expected = f.expected;
    if (f.actual !== undefined) result.actual = f.actual;
    if (f.counterexample !== undefined) result.counterexample = f.counterexample;
    result.replay = env.replay(row.id, result.seed ?? env.fc.seed, result.path);
    return result;
  });
}

/** The run's wire log goes on one row (the first that missed, else the first); the others point at it. */
function wireOf(rows: readonly CaseRow[], i: number, holder: number, wire: CaseResult['wire']): Pick<CaseResult, 'wire' | 'sameRunAs'> {
  return i === holder ? { wire } : { wire: [], sameRunAs: rows[holder]!.id };
}

function lastWire(wire: CaseResult['wire']): string {
  const last = wire.filter((w) => w.dir !== 'note').slice(-3);
  return last.length
    ? `last wire entries: ${last.map((w) => `${w.dir} ${w.conn} ${w.text.slice(0, 120)}`).join(' | ')}`
    : 'nothing on the wire';
}
