/**
 * Cases that wait out a hub timer (stale heartbeats, idle and offline status) sit through it at its
 * advertised length: a vendor often cannot shorten the timers of the instance they certify, and the
 * scheduler runs these waits side by side. Only a timer past the run's bound (`--max-timer-wait`,
 * default 10 min) skips its case, saying which and how to run it.
 */
import type { CaseContext } from './types.ts';

/** The longest single wait on a hub timer a case sits through: twice the reference hub's longest default (offline_after 300 s). */
export const MAX_TIMER_WAIT_MS = 600_000;

export function guardTimerWait(ctx: CaseContext, timer: string, ms: number): void {
  if (ms > ctx.maxTimerWaitMs)
    ctx.skip(
      `${timer} ${ms} ms is longer than the ${seconds(ctx.maxTimerWaitMs)} s a conformance case waits on one timer; run with --max-timer-wait ${Math.ceil(ms / 1000)} to wait it out, or configure the hub with a shorter one`,
    );
}

const seconds = (ms: number): string => String(Math.round(ms / 100) / 10);
