/**
 * One microsecond clock for the whole driver, anchored to wall time: performance.timeOrigin (the thread's
 * start, read from the system clock with µs precision) plus performance.now() (monotonic). Threads and
 * processes on one machine read the same time to within microseconds, so a time stamped by the publisher
 * and read in a subscriber worker, or in another shard's process, are directly comparable; shards on other
 * machines agree as far as their clocks are synchronised (NTP: about a millisecond).
 */
export function nowUs(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000);
}

export const usToMs = (us: number): number => us / 1000;
