/**
 * When to probe the hub during a run: after every case (at most one probe per `minGapMs`), at once when a
 * case's wire shows distress (a refused connection, a 42xx close), and every `everyMs` while cases run, so
 * a hub that dies during a long wait is noticed. One probe at a time; requests meanwhile fold into one
 * more. A probe that finds the hub down is repeated once before the run is told, so one slow handshake on
 * a busy machine is not a crash. Paused while the hub is restarted on purpose or a case runs alone.
 */
import type { HubProbe } from './liveness.ts';

export interface LivenessWatchOptions {
  probe(): Promise<HubProbe>;
  /** The hub was seen up by a probe that started at `probe.at`. */
  onUp(probe: HubProbe): void;
  /** The hub was found down twice in a row; `probe` is the first of the two. */
  onDown(probe: HubProbe): void;
  /** Default 200 ms. */
  minGapMs?: number;
  /** Default 2000 ms. */
  everyMs?: number;
  /** Wait before the confirming probe (default 200 ms). */
  confirmAfterMs?: number;
}

export class LivenessWatch {
  private running: Promise<void> | undefined;
  private again = false;
  private urgent = false;
  private pauses = 0;
  private lastStart = -Infinity;
  private timer: NodeJS.Timeout | undefined;
  private ticker: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly opts: LivenessWatchOptions) {}

  /** Probes soon: now when `urgent`, else once `minGapMs` has passed since the last probe started. */
  request(urgent = false): void {
    if (this.stopped) return;
    this.urgent ||= urgent;
    if (this.running) {
      this.again = true;
      return;
    }
    const wait = this.urgent ? 0 : Math.max(0, this.lastStart + (this.opts.minGapMs ?? 200) - performance.now());
    if (this.timer) {
      if (wait > 0) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.start();
    }, wait);
  }

  /** Probes every `everyMs` until stop(), so a death in the middle of a long wait is seen. */
  tick(): void {
    if (this.ticker || this.stopped) return;
    this.ticker = setInterval(() => this.request(), this.opts.everyMs ?? 2000);
    this.ticker.unref();
  }

  /** No probes until resume() (nested calls count); a probe that ends while paused reports nothing. */
  pause(): void {
    this.pauses++;
  }

  resume(): void {
    this.pauses = Math.max(0, this.pauses - 1);
  }

  get paused(): boolean {
    return this.pauses > 0;
  }

  /** Resolves once no probe is running. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.ticker);
  }

  private start(): void {
    if (this.stopped || this.paused) return;
    this.urgent = false;
    this.again = false;
    this.lastStart = performance.now();
    this.running = this.once().finally(() => {
      this.running = undefined;
      if (this.again) this.request();
    });
  }

  private async once(): Promise<void> {
    const first = await this.opts.probe();
    // Paused meanwhile (a restart began): what it saw says nothing.
    if (this.paused || this.stopped) return;
    if (first.up) return this.opts.onUp(first);
    await new Promise((r) => setTimeout(r, this.opts.confirmAfterMs ?? 200));
    const second = await this.opts.probe();
    if (this.paused || this.stopped) return;
    if (second.up) return this.opts.onUp(second);
    this.opts.onDown(first);
  }
}
