/**
 * Builds the CaseContext a case runs with: wire log, check helpers that throw CheckFailure /
 * CaseOutcome, deferred cleanup, and the effective timings (hub info, then target file, then defaults).
 */
import type { HubInfo } from '../spec/schemas/sync.ts';
import type { TargetFile } from '../spec/target.ts';
import type { NodeControl } from '../target/handle.ts';
import { CaseOutcome, CheckFailure, type CaseContext, type EffectiveTimings, type FcSettings, type WireEntry } from './types.ts';
import { MAX_TIMER_WAIT_MS } from './timer-guard.ts';

/** Used when neither GET /api/hub nor the target file says otherwise; the reference hub's defaults. */
export const DEFAULT_TIMINGS: EffectiveTimings = {
  activityTimeoutS: 120,
  pongTimeoutMs: 30_000,
  heartbeatTimeoutMs: 120_000,
  staleGraceMs: 5_000,
  conflictBudgetMs: 250,
  conflictThreshold: 0.85,
  idleAfterMs: 60_000,
  offlineAfterMs: 300_000,
};

/** Hub info wins (it is what the hub claims), then the target file's overrides, then defaults. */
export function effectiveTimings(target: Pick<TargetFile, 'timings'>, hub: HubInfo | undefined): EffectiveTimings {
  const t = target.timings ?? {};
  const h = hub?.timings;
  return {
    activityTimeoutS: h?.activity_timeout_s ?? t.activity_timeout_s ?? DEFAULT_TIMINGS.activityTimeoutS,
    pongTimeoutMs: h?.pong_timeout_ms ?? t.pong_timeout_ms ?? DEFAULT_TIMINGS.pongTimeoutMs,
    heartbeatTimeoutMs: h?.heartbeat_timeout_ms ?? t.heartbeat_timeout_ms ?? DEFAULT_TIMINGS.heartbeatTimeoutMs,
    staleGraceMs: h?.stale_grace_ms ?? t.stale_grace_ms ?? DEFAULT_TIMINGS.staleGraceMs,
    conflictBudgetMs: h?.conflict_budget_ms ?? t.conflict_budget_ms ?? DEFAULT_TIMINGS.conflictBudgetMs,
    conflictThreshold: h?.conflict_threshold ?? DEFAULT_TIMINGS.conflictThreshold,
    idleAfterMs: h?.idle_after_ms ?? t.idle_after_ms ?? DEFAULT_TIMINGS.idleAfterMs,
    offlineAfterMs: h?.offline_after_ms ?? t.offline_after_ms ?? DEFAULT_TIMINGS.offlineAfterMs,
  };
}

/** Shows a value in Expected:/Actual: lines: strings as is, everything else as compact JSON. */
export function show(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

export interface CaseContextInit {
  target: TargetFile;
  /** The case's requirements, its first one first. */
  requirements: readonly string[];
  hub: HubInfo | undefined;
  timings: EffectiveTimings;
  /** Default MAX_TIMER_WAIT_MS. */
  maxTimerWaitMs?: number;
  /** Tries of a race case; default: as many as fit its budget. */
  raceTries?: number;
  fc: FcSettings;
  signal: AbortSignal;
  restart?: () => Promise<void>;
  nodeControl?: NodeControl;
  /** Wire entries per case before further ones are dropped (a flood case must not bloat the report). */
  maxWireEntries?: number;
}

export interface CaseHarness {
  ctx: CaseContext;
  wire: WireEntry[];
  /** performance.now() when the case started: wire entry `t` counts from here. */
  startedAt: number;
  /** Runs deferred cleanups in reverse order; errors are noted in the wire log, never thrown. */
  cleanup(timeoutMs?: number): Promise<void>;
}

export function createCaseContext(init: CaseContextInit): CaseHarness {
  const started = performance.now();
  const wire: WireEntry[] = [];
  const max = init.maxWireEntries ?? 5000;
  let dropped = 0;
  const deferred: Array<() => void | Promise<void>> = [];

  const log: CaseContext['log'] = (dir, conn, text) => {
    if (wire.length >= max) {
      dropped++;
      return;
    }
    wire.push({ t: Math.round((performance.now() - started) * 10) / 10, dir, conn, text });
  };

  const ctx: CaseContext = {
    target: init.target,
    requirements: init.requirements,
    node: init.target.nodes[0]!,
    restart: init.restart,
    nodeControl: init.nodeControl,
    hub: init.hub,
    timings: init.timings,
    maxTimerWaitMs: init.maxTimerWaitMs ?? MAX_TIMER_WAIT_MS,
    raceTries: init.raceTries,
    fc: init.fc,
    signal: init.signal,
    log,
    note: (text) => log('note', '-', text),
    expect(condition, message) {
      if (!condition) throw new CheckFailure(message);
    },
    fail(message, detail) {
      throw new CheckFailure(message, show(detail?.expected), show(detail?.actual), detail?.counterexample, {
        ...(detail?.requirement ? { requirement: detail.requirement } : {}),
        ...(detail?.rootCause ? { rootCause: detail.rootCause } : {}),
      });
    },
    skip(reason) {
      throw new CaseOutcome('skipped', reason);
    },
    unimplemented(reason) {
      throw new CaseOutcome('unimplemented', reason);
    },
    informational(reason) {
      throw new CaseOutcome('informational', reason);
    },
    defer(fn) {
      deferred.push(fn);
    },
  };

  return {
    ctx,
    wire,
    startedAt: started,
    async cleanup(timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (deferred.length > 0) {
        const fn = deferred.pop()!;
        const left = deadline - Date.now();
        if (left <= 0) {
          log('note', '-', `cleanup deadline passed; ${deferred.length + 1} cleanups skipped`);
          break;
        }
        try {
          await Promise.race([Promise.resolve().then(fn), new Promise((r) => setTimeout(r, left).unref())]);
        } catch (err) {
          log('note', '-', `cleanup failed: ${(err as Error).message}`);
        }
      }
      if (dropped > 0)
        wire.push({ t: Math.round(performance.now() - started), dir: 'note', conn: '-', text: `${dropped} more wire entries dropped` });
    },
  };
}

/**
 * A child context with its own deferred cleanups sharing the parent's log and signal: property cases
 * use one per generated run so sockets do not pile up across runs.
 */
export function childContext(parent: CaseContext): { ctx: CaseContext; cleanup(): Promise<void> } {
  const deferred: Array<() => void | Promise<void>> = [];
  const ctx: CaseContext = { ...parent, defer: (fn) => void deferred.push(fn) };
  return {
    ctx,
    async cleanup() {
      while (deferred.length > 0) {
        try {
          await deferred.pop()!();
        } catch (err) {
          parent.note(`cleanup failed: ${(err as Error).message}`);
        }
      }
    },
  };
}
