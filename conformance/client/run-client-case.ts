/**
 * Runs one client case and turns it into result rows, one per requirement it proves, by the rules the
 * hub cases follow (run-case.ts): a SHOULD-only case is skipped without --strict; a check that found
 * the client wrong is `fail` (MUST) or `non-strict`; silence past the deadline fails and says so; rows a
 * failure kept from being judged are `blocked` by it; the wire log goes on the first row that missed.
 */
import { missedOutcome } from '../../reports/model/outcomes.ts';
import { rowVerdicts } from '../case-rows.ts';
import { CaseAbortedError } from '../clients/wait.ts';
import type { CaseRow } from '../run-case.ts';
import { CaseOutcome, CheckFailure, type CaseResult } from '../types.ts';
import { DEFAULT_CLIENT_CASE_TIMEOUT_MS, type ClientCase } from './client-case.ts';
import { createClientContext } from './client-context.ts';
import { DriverFailure } from './driver/driver-session.ts';
import type { DriverSpec } from './driver/driver-spec.ts';

export interface ClientCaseEnv {
  driver: DriverSpec;
  strict: boolean;
  /** The command that reruns a row id against the same client. */
  replay(id: string): string;
}

export async function runClientCase(rows: readonly CaseRow[], c: ClientCase, env: ClientCaseEnv): Promise<CaseResult[]> {
  const base = (row: CaseRow) => ({ id: row.id, requirement: row.req.id, level: row.req.level, desc: c.desc });
  if (rows.every((r) => r.req.level !== 'MUST') && !env.strict)
    return rows.map((row) => ({ ...base(row), outcome: 'skipped', reason: 'SHOULD; run with --strict', durationMs: 0, wire: [] }));

  const timeoutMs = c.timeoutMs ?? DEFAULT_CLIENT_CASE_TIMEOUT_MS;
  const controller = new AbortController();
  const harness = createClientContext({ requirements: rows.map((r) => r.req.id), signal: controller.signal, driver: env.driver });
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
  controller.abort(new Error('case over'));
  await harness.cleanup();
  const durationMs = Math.round(performance.now() - started);

  let failure: CheckFailure | undefined;
  if (settled === 'timeout' || (!settled.ok && settled.error instanceof CaseAbortedError)) {
    failure = new CheckFailure(`no verdict within ${timeoutMs} ms`, `the case completes within ${timeoutMs} ms`, lastWire(harness.wire));
  } else if (!settled.ok) {
    const err = settled.error;
    if (err instanceof CaseOutcome)
      return rows.map((row, i) => ({
        ...base(row),
        outcome: err.outcome,
        reason: err.reason,
        durationMs,
        ...wireOf(rows, i, 0, harness.wire),
      }));
    if (err instanceof CheckFailure) failure = err;
    else if (err instanceof DriverFailure)
      failure = new CheckFailure(`the driver failed: ${err.message}`, 'a driver that answers every command');
    else {
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
    if (v.verdict === 'pass') return result;
    if (v.verdict === 'blocked') {
      const by = idOf(v.by);
      return { ...result, outcome: 'blocked', blockedBy: { kind: 'requirement', id: v.by, ...(by ? { case: by } : {}) }, reason: v.reason };
    }
    const f = v.failure;
    Object.assign(result, { outcome: missedOutcome(row.req.level), reason: f.message });
    if (f.expected !== undefined) result.expected = f.expected;
    if (f.actual !== undefined) result.actual = f.actual;
    if (f.counterexample !== undefined) result.counterexample = f.counterexample;
    result.replay = env.replay(row.id);
    return result;
  });
}

function wireOf(rows: readonly CaseRow[], i: number, holder: number, wire: CaseResult['wire']): Pick<CaseResult, 'wire' | 'sameRunAs'> {
  return i === holder ? { wire } : { wire: [], sameRunAs: rows[holder]!.id };
}

function lastWire(wire: CaseResult['wire']): string {
  const last = wire.filter((w) => w.dir !== 'note').slice(-3);
  return last.length
    ? `last wire entries: ${last.map((w) => `${w.dir} ${w.conn} ${w.text.slice(0, 120)}`).join(' | ')}`
    : 'nothing on the wire';
}
