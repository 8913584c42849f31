/**
 * Runs one case and turns what happened into a CaseResult: gates first (profile, capability, level,
 * cluster), then the case under its deadline, then cleanup. A hub's wrong answer is a CheckFailure →
 * `fail` (MUST) or `non-strict` (SHOULD/MAY); silence past the deadline is a `fail` that says so.
 */
import type { Requirement } from '../spec/requirements/types.ts';
import type { HubInfo } from '../spec/schemas/sync.ts';
import type { TargetFile } from '../spec/target.ts';
import { CaseAbortedError } from './clients/wait.ts';
import { createCaseContext } from './context.ts';
import { PropertyFailure } from './property.ts';
import { CaseOutcome, CheckFailure, type Case, type CaseResult, type EffectiveTimings, type FcSettings, type Outcome } from './types.ts';

export const DEFAULT_CASE_TIMEOUT_MS = 10_000;

export interface CaseEnv {
  target: TargetFile;
  hub: HubInfo | undefined;
  timings: EffectiveTimings;
  fc: FcSettings;
  strict: boolean;
  restart?: () => Promise<void>;
  /** Builds the replay command for a case id (and seed/path for properties). */
  replay(id: string, seed: number, path?: string): string;
}

/** Why a case will not run against this target, or undefined when it runs. */
export function gate(req: Requirement, c: Case, env: Pick<CaseEnv, 'target' | 'hub' | 'strict'>): { outcome: Outcome; reason: string } | undefined {
  if (!env.target.profiles.includes(req.profile)) {
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
  if (req.level === 'SHOULD' && !env.strict) return { outcome: 'skipped', reason: 'SHOULD; run with --strict' };
  if (c.cluster && env.target.nodes.length < 2) return { outcome: 'skipped', reason: 'needs a cluster target (2 or more nodes)' };
  return undefined;
}

export function caseTimeout(c: Case, timings: EffectiveTimings): number {
  if (typeof c.timeoutMs === 'function') return c.timeoutMs(timings);
  return c.timeoutMs ?? DEFAULT_CASE_TIMEOUT_MS;
}

export async function runCase(id: string, c: Case, req: Requirement, env: CaseEnv): Promise<CaseResult> {
  const base = { id, requirement: c.requirement, level: req.level, desc: c.desc };
  const gated = gate(req, c, env);
  if (gated) return { ...base, ...gated, durationMs: 0, wire: [] };

  const timeoutMs = caseTimeout(c, env.timings);
  const controller = new AbortController();
  const harness = createCaseContext({
    target: env.target,
    hub: env.hub,
    timings: env.timings,
    fc: env.fc,
    signal: controller.signal,
    restart: env.restart,
  });
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error('case deadline'));
      resolve('timeout');
    }, timeoutMs);
  });
  const running = Promise.resolve()
    .then(() => c.run(harness.ctx))
    .then(
      () => ({ ok: true as const }),
      (error: unknown) => ({ ok: false as const, error }),
    );
  const settled = await Promise.race([running, timedOut]);
  clearTimeout(timer);
  await harness.cleanup();
  const durationMs = Math.round(performance.now() - started);
  const result: CaseResult = { ...base, outcome: 'pass', durationMs, wire: harness.wire };
  if (c.property) {
    result.seed = env.fc.seed;
    if (env.fc.path) result.path = env.fc.path;
  }
  const missed: Outcome = req.level === 'MUST' ? 'fail' : 'non-strict';

  if (settled === 'timeout' || (!settled.ok && settled.error instanceof CaseAbortedError)) {
    Object.assign(result, {
      outcome: missed,
      reason: `no answer within ${timeoutMs} ms`,
      expected: `the case completes within ${timeoutMs} ms`,
      actual: `no answer within ${timeoutMs} ms; ${lastWire(result)}`,
    });
  } else if (!settled.ok) {
    const err = settled.error;
    if (err instanceof CaseOutcome) {
      Object.assign(result, { outcome: err.outcome, reason: err.reason });
    } else if (err instanceof CheckFailure) {
      Object.assign(result, { outcome: missed, reason: err.message, expected: err.expected, actual: err.actual });
      if (err.counterexample !== undefined) result.counterexample = err.counterexample;
      if (err instanceof PropertyFailure) {
        result.seed = err.seed;
        if (err.path) result.path = err.path;
      }
    } else {
      // A bug in the case or an unexpected client error: still a failure, but said plainly.
      const e = err as Error;
      Object.assign(result, { outcome: missed, reason: `unexpected error in the case: ${e?.message ?? String(err)}`, actual: e?.stack?.split('\n').slice(0, 3).join(' ') });
    }
  }
  if (result.outcome === 'fail' || result.outcome === 'non-strict') {
    result.replay = env.replay(id, result.seed ?? env.fc.seed, result.path);
  }
  return result;
}

function lastWire(r: CaseResult): string {
  const last = r.wire.filter((w) => w.dir !== 'note').slice(-3);
  return last.length ? `last wire entries: ${last.map((w) => `${w.dir} ${w.conn} ${w.text.slice(0, 120)}`).join(' | ')}` : 'nothing on the wire';
}
