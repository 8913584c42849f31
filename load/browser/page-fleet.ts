/**
 * The measuring pages of one run, driven together: open them, let the browser settle, map each page's
 * clock to the driver's, drain them once a second while the load runs, let them catch up after the last
 * send, and hand back what they recorded. It runs in its own worker thread (fleet-host.ts): Playwright
 * receives a CDP event for every WebSocket frame a page gets, and at 1000 updates/s × 5 pages handling
 * those on the driver's main thread lagged its schedule by hundreds of ms.
 */
import type { Browser } from 'playwright-core';
import { nowUs } from '../measure/clock.ts';
import { MeasuringPage, type ClockSync } from './browser-pages.ts';
import { launchChromium } from './chromium.ts';
import { RECORD_FIELDS, type PageRecording, type PhaseWindow } from './page-samples.ts';
import { childCpuMs, waitForQuiet } from './process-cpu.ts';

/** After the last send, how long the pages get to apply what was sent. */
const SETTLE_MS = 3000;
/** Idle measuring pages use about 6 % of a core each (their frame counter, a dashboard's clocks): quiet is below this. */
export const quietPct = (pages: number): number => 15 + 8 * pages;

export interface PageTarget {
  url: string;
  /** Names the page in errors; never carries a token. */
  label: string;
}

export interface FleetOpen {
  targets: PageTarget[];
  viewport: { width: number; height: number };
  /** Child processes that are not the browser's (a hub started by this process). */
  exclude: number[];
}

/** Everything the pages recorded, for fleetFigures(). */
export interface FleetRecord {
  chromium: string;
  recordings: PageRecording[];
  /** Clock syncs before the load and after it. */
  before: ClockSync[];
  after: ClockSync[];
  /** [driver µs, browser CPU ms so far], once a second. */
  cpu: Array<[number, number]>;
  closes: string[];
}

export class PageFleet {
  private clocks: ClockSync[] = [];
  private readonly cpu: Array<[number, number]> = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly browser: Browser,
    readonly pages: MeasuringPage[],
    private readonly exclude: ReadonlySet<number>,
  ) {}

  /** Launches Chromium and opens one page per target, one after another (each its own context and renderer). */
  static async open(o: FleetOpen): Promise<PageFleet> {
    const exclude = new Set(o.exclude);
    const browser = await launchChromium({ lowPriority: true });
    const pages: MeasuringPage[] = [];
    try {
      for (const [k, t] of o.targets.entries()) pages.push(await MeasuringPage.open(browser, k, t.url, t.label, o.viewport));
    } catch (err) {
      await browser.close().catch(() => undefined);
      throw err;
    }
    return new PageFleet(browser, pages, exclude);
  }

  /** Waits for the browser to settle, then maps every page's clock to the driver's. */
  async prepare(): Promise<{ waitedMs: number; busyPct: number | undefined; quiet: boolean }> {
    const limit = quietPct(this.pages.length);
    const q = await waitForQuiet(this.exclude, limit);
    this.clocks = await this.syncAll();
    this.pages.forEach((p, i) => p.useClock(this.clocks[i]!));
    return { waitedMs: q.waitedMs, busyPct: q.pct, quiet: q.pct === undefined || q.pct < limit };
  }

  /** Drains every page once a second (never two drains of one page at once) and samples the browser's CPU. */
  startDraining(): void {
    this.timer = setInterval(() => this.tick(), 1000);
  }

  private tick(): void {
    const ms = childCpuMs(this.exclude);
    if (ms !== undefined) this.cpu.push([nowUs(), ms]);
    this.running = this.running.then(() => Promise.all(this.pages.map((p) => p.drain().catch(() => undefined))));
  }

  /**
   * After the last send: drains until every page applied all `sentInWindow` updates of the window (or
   * SETTLE_MS), measures the clocks again, and returns what was recorded.
   */
  async finish(w: PhaseWindow, sentInWindow: number): Promise<FleetRecord> {
    clearInterval(this.timer);
    await this.running;
    this.tick();
    await this.running;
    const deadline = Date.now() + SETTLE_MS;
    const applied = (flat: number[]): number => {
      let n = 0;
      for (let i = 3; i < flat.length; i += RECORD_FIELDS) if (flat[i]! >= w.measureFromUs && flat[i]! < w.endUs) n++;
      return n;
    };
    while (Date.now() < deadline && !this.pages.every((p) => applied(p.recording.applied) >= sentInWindow)) {
      await new Promise((r) => setTimeout(r, 100));
      await Promise.all(this.pages.map((p) => p.drain().catch(() => undefined)));
    }
    return {
      chromium: this.browser.version(),
      recordings: this.pages.map((p) => p.recording),
      before: this.clocks,
      after: await this.syncAll(),
      cpu: this.cpu,
      closes: this.pages.flatMap((p) => p.recording.closes.map((c) => `page ${p.index}: ${c}`)),
    };
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.running.catch(() => undefined);
    for (const p of this.pages) await p.close();
    await this.browser.close().catch(() => undefined);
  }

  private async syncAll(): Promise<ClockSync[]> {
    const out: ClockSync[] = [];
    // One page at a time: concurrent round trips would queue behind each other and widen the error.
    for (const p of this.pages) out.push(await p.syncClock());
    return out;
  }
}
