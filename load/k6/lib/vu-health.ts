/**
 * A subscriber VU watching itself, as the Node driver's workers do. A VU is one event loop shared by its
 * sockets' frames and its timers, so a 100 ms timer fires late by about as long as a frame waits to be
 * handled: that lateness is the VU's receive lag. Beside it the VU counts its measured-window frames. A VU
 * whose lag p99 passes `maxLagMs`, or whose frame rate passes `ceiling`, fell behind: the run is INVALID.
 */
import exec from 'k6/execution';
import { clearInterval, setInterval } from 'k6/timers';
import * as m from './metrics.ts';

export interface HealthOptions {
  /** Measured window in test-run time (k6's currentTestRunDuration), ms. */
  windowFromMs: number;
  windowToMs: number;
  ceiling: number;
  maxLagMs: number;
  /** Called about once a second (counts go to the k6 Counters here). */
  onSecond: () => void;
}

const TICK_MS = 100;

export class VuHealth {
  /** Frames of the measured window this VU handled (duplicates included: each costs the same). */
  windowFrames = 0;
  private readonly lags: number[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;
  private last = 0;
  private ticks = 0;

  constructor(private readonly o: HealthOptions) {}

  start(): void {
    this.last = Date.now();
    this.timer = setInterval(() => {
      const now = Date.now();
      const lag = Math.max(0, now - this.last - TICK_MS);
      this.last = now;
      const t = exec.instance.currentTestRunDuration;
      if (t >= this.o.windowFromMs && t < this.o.windowToMs) this.lags.push(lag);
      if (++this.ticks % 10 === 0) this.o.onSecond();
    }, TICK_MS);
  }

  /** Stops the timer and records this VU's lag p99 and frame rate; returns true when it fell behind. */
  finish(): boolean {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    const sorted = this.lags.slice().sort((a, b) => a - b);
    const p99 = sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)]! : 0;
    const rate = this.windowFrames / Math.max(0.001, (this.o.windowToMs - this.o.windowFromMs) / 1000);
    m.vuLag.add(p99);
    m.vuRate.add(rate);
    const behind = p99 > this.o.maxLagMs || rate > this.o.ceiling;
    m.behind.add(behind ? 1 : 0);
    return behind;
  }
}
