/**
 * K Chromium pages, each in its own browser context (its own renderer process), with the instrument
 * installed before the page's scripts. Each page's clock is mapped to the driver's: the offset comes from
 * the round trip to the page with the shortest time (page time read halfway), so its error is at most
 * half that round trip, and it is measured again at the end to show the two clocks did not drift.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { HubproofError } from '../../spec/errors.ts';
import { nowUs } from '../measure/clock.ts';
import { INSTRUMENT_SCRIPT } from './page-server.ts';
import type { PageRecording } from './page-samples.ts';

interface Drained {
  received: number[];
  applied: number[];
  longTasks: number[];
  frames: number;
  /** Page time of this drain, ms: frames are counted between two of these, on the page's own clock. */
  at: number;
  closes: string[];
  open: number;
}

/** What the instrument exposes on window (page/instrument.js). */
interface Instrument {
  now(): number;
  sockets(): { sockets: number; open: number; closes: string[] };
  /** A Drained, as JSON. */
  drain(): string;
}
/** The page's global object; functions given to page.evaluate run in the page, so they name it inline. */
type PageGlobal = { __hubproof: Instrument };

/**
 * hubproof's measuring page shows one screen of cards: Chromium here rasterises and composites in
 * software, so every frame costs in proportion to the area shown, and a wall-sized viewport would
 * measure this machine's pixel pushing, not the hub. Cards off screen are still updated in the DOM (and
 * timed), just not painted. A hub's own dashboard is opened as it is meant to be seen, on a wall screen.
 */
export const VIEWPORTS = { hubproof: { width: 1024, height: 768 }, hub: { width: 1920, height: 1080 } } as const;

export interface ClockSync {
  offsetUs: number;
  /** Half the best round trip: the most the offset can be wrong by. */
  errorUs: number;
}

export class MeasuringPage {
  readonly recording: PageRecording = { offsetUs: 0, received: [], applied: [], longTasks: [], frames: [], closes: [] };
  /** Page time of the previous drain (ms), once one happened after the clock was set. */
  private lastDrainMs: number | undefined;

  private constructor(
    readonly index: number,
    private readonly context: BrowserContext,
    readonly page: Page,
  ) {}

  /** Opens `url` and waits until it holds an open WebSocket; a refusal or timeout names the page and what it saw. */
  static async open(
    browser: Browser,
    index: number,
    url: string,
    label: string,
    viewport: { width: number; height: number },
    timeoutMs = 15_000,
  ): Promise<MeasuringPage> {
    const context = await browser.newContext({ viewport });
    await context.addInitScript({ content: INSTRUMENT_SCRIPT });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const self = new MeasuringPage(index, context, page);
    try {
      const res = await page.goto(url, { timeout: timeoutMs });
      if (!res || !res.ok()) throw new Error(`GET ${label} answered ${res?.status() ?? 'nothing'}`);
      const started = Date.now();
      for (;;) {
        const s = await page.evaluate(() => (globalThis as unknown as PageGlobal).__hubproof.sockets());
        if (s.open > 0) break;
        const waited = Date.now() - started;
        // Every socket it opened was closed: a refusal. Give a retrying page a moment, not the whole timeout.
        const refused = s.sockets > 0 && s.closes.length >= s.sockets && waited > 3000;
        if (refused || waited > timeoutMs) {
          const saw = [
            `${s.sockets} WebSocket(s) opened`,
            ...(s.closes.length ? [`closed: ${s.closes.join('; ')}`] : []),
            ...errors.slice(0, 1).map((e) => `page error: ${e}`),
          ];
          throw new Error(`no open WebSocket after ${(waited / 1000).toFixed(1)} s (${saw.join(', ')})`);
        }
        await page.waitForTimeout(50);
      }
    } catch (err) {
      await context.close().catch(() => undefined);
      throw new HubproofError('HUBPROOF_ERR_BROWSER', `measuring page ${index} (${label}): ${(err as Error).message.split('\n')[0]}`);
    }
    return self;
  }

  /** Maps page time to driver time from `rounds` round trips; keeps the shortest. */
  async syncClock(rounds = 20): Promise<ClockSync> {
    let best: ClockSync = { offsetUs: 0, errorUs: Infinity };
    for (let i = 0; i < rounds; i++) {
      const before = nowUs();
      const pageMs = await this.page.evaluate(() => (globalThis as unknown as PageGlobal).__hubproof.now());
      const after = nowUs();
      const errorUs = (after - before) / 2;
      if (errorUs < best.errorUs) best = { offsetUs: before + errorUs - pageMs * 1000, errorUs };
    }
    return best;
  }

  /** Sets the offset used for everything this page recorded. */
  useClock(sync: ClockSync): void {
    this.recording.offsetUs = sync.offsetUs;
    this.lastDrainMs = undefined;
  }

  /** Pulls what the page recorded since the last drain. */
  async drain(): Promise<Drained> {
    const d = JSON.parse(await this.page.evaluate(() => (globalThis as unknown as PageGlobal).__hubproof.drain())) as Drained;
    const r = this.recording;
    for (const x of d.received) r.received.push(x);
    for (const x of d.applied) r.applied.push(x);
    for (const x of d.longTasks) r.longTasks.push(x);
    // Timed by the page, not by when the answer got back: a busy driver must not stretch the interval.
    if (this.lastDrainMs !== undefined) r.frames.push([this.lastDrainMs * 1000 + r.offsetUs, d.at * 1000 + r.offsetUs, d.frames]);
    r.closes.push(...d.closes);
    this.lastDrainMs = d.at;
    return d;
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
  }
}
