/**
 * The limit cases' side of declared limits: the values a case tests (Pusher's, or the target's
 * declarations), the run's informational findings for declarations that differ from Pusher's, and the
 * probes that say which limit an undeclared hub appears to have when a limit case fails (a binary search
 * within a few requests).
 */
import {
  apparentLimit,
  declaresLimit,
  effectiveLimits,
  formatLimit,
  limitDifferences,
  type HubLimits,
  type LimitName,
} from '../spec/limits.ts';
import type { TargetFile } from '../spec/target.ts';
import type { RunFinding } from '../reports/model/run-report.ts';
import { CheckFailure, DependencyUnmet, type CaseContext } from './types.ts';

export function limitsOf(ctx: Pick<CaseContext, 'target'>): HubLimits {
  return effectiveLimits(ctx.target);
}

/** `limit#1`… one informational finding per declared limit that differs from Pusher's. */
export function limitFindings(target: Pick<TargetFile, 'limits'>): RunFinding[] {
  return limitDifferences(target).map((text, i) => ({ id: `limit#${i + 1}`, kind: 'limit', severity: 'info', text }));
}

/**
 * Largest n in [lo, hi] for which `accepts(n)` holds, assuming it holds at lo and acceptance is monotone;
 * at most ⌈log2(hi-lo)⌉+1 calls. Returns lo - 1 when even lo is refused.
 */
export async function largestAccepted(lo: number, hi: number, accepts: (n: number) => Promise<boolean>): Promise<number> {
  if (!(await accepts(lo))) return lo - 1;
  if (await accepts(hi)) return hi;
  let ok = lo;
  let bad = hi;
  while (bad - ok > 1) {
    const mid = Math.floor((ok + bad) / 2);
    if (await accepts(mid)) ok = mid;
    else bad = mid;
  }
  return ok;
}

/**
 * Runs a limit case; when it fails and the target declares no value for `name`, probes what the hub
 * accepts and adds "the hub appears to have its own limit: …" to the failure (same Expected/Actual and
 * root cause). A declared limit fails as it is: the vendor said so.
 */
export async function withLimitProbe(
  ctx: CaseContext,
  name: LimitName,
  run: () => Promise<void>,
  probe: () => Promise<string | undefined>,
): Promise<void> {
  try {
    await run();
  } catch (err) {
    if (!(err instanceof CheckFailure) || err instanceof DependencyUnmet || declaresLimit(ctx.target, name)) throw err;
    let observed: string | undefined;
    try {
      observed = await probe();
    } catch {
      observed = undefined;
    }
    if (observed === undefined) throw err;
    ctx.note(`limit probe: ${name} ${observed}`);
    throw new CheckFailure(`${err.message}; ${apparentLimit(name, observed)}`, err.expected, err.actual, err.counterexample, err.scope);
  }
}

export { formatLimit };

/** An HTTP API answer that accepted the request: 2xx without an error in the body (Soketi answers errors 200). */
export function acceptedAnswer(res: { status: number; text: string }): boolean {
  if (res.status < 200 || res.status >= 300) return false;
  try {
    const j = JSON.parse(res.text) as unknown;
    return !(j !== null && typeof j === 'object' && 'error' in j);
  } catch {
    return true;
  }
}

/** Byte sizes as a probe reports them: `100 KB`, `9998 bytes`. */
export function bytes(n: number): string {
  return n % 1024 === 0 ? `${n / 1024} KB` : `${n} bytes`;
}

/** Client events per second a connection may send: declared, else what the hub reports (GET /api/hub), else Pusher's 10. */
export function clientEventRate(ctx: Pick<CaseContext, 'target' | 'hub'>): number {
  return ctx.target.limits?.client_events_per_second ?? ctx.hub?.limits.client_events_per_second ?? limitsOf(ctx).client_events_per_second;
}
