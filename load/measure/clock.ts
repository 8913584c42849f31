/**
 * One monotonic microsecond clock for the whole driver. `process.hrtime` reads CLOCK_MONOTONIC, which is
 * process-wide, so a time stamped by the publisher on the main thread and read in a subscriber worker
 * thread are directly comparable (Date.now would add wall-clock steps and only ms resolution).
 */
export function nowUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

export const usToMs = (us: number): number => us / 1000;
