/**
 * The measuring pages of one run, driven together: open them, let the browser settle, map each page's
 * clock to the driver's, drain them once a second while the load runs, let them catch up after the last
 * send, and turn what they recorded into figures. Used by the browser scenario and the dashboard page
 * benchmark.
 */
import type { Browser } from 'playwright-core';
import { nowUs } from '../measure/clock.ts';
import { latencyFigures } from '../phase-figures.ts';
import type { BrowserFigures } from './browser-figures.ts';
import { MeasuringPage, type ClockSync } from './browser-pages.ts';
import { analysePages, RECORD_FIELDS, type PageAnalysis, type PhaseWindow } from './page-samples.ts';
import { childCpuMs, waitForQuiet } from './process-cpu.ts';

/** After the last send, how long the pages get to apply what was sent. */
const SETTLE_MS = 3000;
/** Idle measuring pages use about 6 % of a core each (their frame counter, a dashboard's clocks): quiet is below this. */
const quietPct = (pages: number): number => 15 + 8 * pages;

const round1 = (x: number): number => Math.round(x * 10) / 10;
const usToMs1 = (us: number): number => Math.round(us / 100) / 10;

export interface PageTarget {
  url: string;
  /** Names the page in errors; never carries a token. */
  label: string;
}

export class PageFleet {
  private clocks: ClockSync[] = [];
  private readonly cpu: Array<[number, number]> = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  /** How long the browser took to settle after its pages opened, and whether it did. */
  settled = { waitedMs: 0, busyPct: undefined as number | undefined, quiet: true };

  private constructor(
    readonly pages: MeasuringPage[],
    /** Processes that are not the browser's (the hub, when it is this process's child). */
    private readonly exclude: ReadonlySet<number>,
  ) {}

  /** Opens one page per target, one after another (each its own context and renderer). */
  static async open(browser: Browser, targets: PageTarget[], viewport: { width: number; height: number }, exclude: ReadonlySet<number>): Promise<PageFleet> {
    const pages: MeasuringPage[] = [];
    try {
      for (const [k, t] of targets.entries()) pages.push(await MeasuringPage.open(browser, k, t.url, t.label, viewport));
    } catch (err) {
      for (const p of pages) await p.close();
      throw err;
    }
    return new PageFleet(pages, exclude);
  }

  /** Waits for the browser to settle, then maps every page's clock to the driver's. */
  async prepare(): Promise<void> {
    const limit = quietPct(this.pages.length);
    const q = await waitForQuiet(this.exclude, limit);
    this.settled = { waitedMs: q.waitedMs, busyPct: q.pct, quiet: q.pct === undefined || q.pct < limit };
    this.clocks = await this.syncAll();
    this.pages.forEach((p, i) => p.useClock(this.clocks[i]!));
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

  /** After the last send: drains until every page applied all `sentInWindow` updates of the window, or SETTLE_MS. */
  async finish(w: PhaseWindow, sentInWindow: number): Promise<void> {
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
  }

  /** The figures of the window; measures the clocks again to report how far they moved. */
  async analyse(w: PhaseWindow, browserVersion: string, page: BrowserFigures['page']): Promise<{ a: PageAnalysis; figures: Omit<BrowserFigures, 'wire'> }> {
    const after = await this.syncAll();
    const a = analysePages(this.pages.map((p) => p.recording), w);
    const tasks = [...a.longTasks.inWindow].sort((x, y) => y.ms - x.ms);
    const errors = [...this.clocks, ...after].map((c) => c.errorUs);
    return {
      a,
      figures: {
        page,
        pages: this.pages.length,
        chromium: browserVersion,
        receive: latencyFigures(a.receive),
        longTasks: {
          supported: a.longTasks.supported,
          inWindow: tasks.length,
          maxMs: tasks[0]?.ms ?? 0,
          totalMs: round1(tasks.reduce((sum, t) => sum + t.ms, 0)),
          outsideWindow: a.longTasks.outsideWindow,
          tasks: tasks.slice(0, 200),
        },
        framesPerS: a.framesPerS,
        perPage: a.perPage,
        clock: { maxErrorMs: usToMs1(Math.max(...errors)), driftMs: usToMs1(Math.max(...this.clocks.map((c, i) => Math.abs(after[i]!.offsetUs - c.offsetUs)))) },
        cpuPct: this.cpuPct(w),
      },
    };
  }

  /** Page socket closes, `page N: code reason`. */
  closes(): string[] {
    return this.pages.flatMap((p) => p.recording.closes.map((c) => `page ${p.index}: ${c}`));
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.running.catch(() => undefined);
    for (const p of this.pages) await p.close();
  }

  private async syncAll(): Promise<ClockSync[]> {
    const out: ClockSync[] = [];
    // One page at a time: concurrent round trips would queue behind each other and widen the error.
    for (const p of this.pages) out.push(await p.syncClock());
    return out;
  }

  /** % of one core used by the browser between the first CPU sample in the window and the last. */
  private cpuPct(w: PhaseWindow): number | null {
    const inside = this.cpu.filter(([at]) => at >= w.measureFromUs && at <= w.endUs + 1e6);
    if (inside.length < 2) return null;
    const [t0, c0] = inside[0]!;
    const [t1, c1] = inside.at(-1)!;
    return t1 > t0 ? round1(((c1 - c0) / ((t1 - t0) / 1000)) * 100) : null;
  }
}
