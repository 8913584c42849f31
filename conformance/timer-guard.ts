/**
 * Cases that wait out a hub timer (stale heartbeats, idle and offline status) sit through it at its
 * advertised length: a vendor often cannot shorten the timers of the instance they certify, and the
 * scheduler runs these waits side by side. Only a timer past this bound skips its case, saying which.
 */
import type { CaseContext } from './types.ts';

/** The longest single wait on a hub timer a case sits through: twice the reference hub's longest default (offline_after 300 s). */
export const MAX_TIMER_WAIT_MS = 600_000;

export function guardTimerWait(ctx: CaseContext, timer: string, ms: number): void {
  if (ms > MAX_TIMER_WAIT_MS)
    ctx.skip(
      `${timer} ${ms} ms is longer than the ${MAX_TIMER_WAIT_MS / 60_000} min a conformance case waits on one timer; configure the hub with a shorter one`,
    );
}
