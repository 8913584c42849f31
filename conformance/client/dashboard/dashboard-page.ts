/**
 * The dashboard under test in Chromium: one browser per run, one context (its own renderer, storage and
 * cookies) per case. What the application shows is read from the DOM: a row is an element with
 * `data-agent` (the agent id) and, optionally, `data-status`; its text holds the counters. Page errors and
 * console errors go into the case's wire log. A `transform` rewrites the page's scripts as they load (the
 * self-test's mutant dashboards), through a Playwright route.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { StreamLog } from './presence-stream.ts';

export interface DashboardRow {
  agent: string;
  status: string | null;
  text: string;
}

/** Rewrites a script of the page (`path` from the origin root) before the page gets it; undefined keeps it. */
export type PageTransform = (path: string, body: string) => string | undefined;

const READ_ROWS = `[...document.querySelectorAll('[data-agent]')]
  .filter((el) => !el.closest('[hidden]'))
  .map((el) => ({ agent: el.dataset.agent ?? '', status: el.dataset.status ?? null, text: (el.textContent ?? '').replace(/\\s+/g, ' ').trim() }))`;

/** How often the DOM is read while a case waits on it. */
const POLL_MS = 50;

export class DashboardPage {
  private constructor(
    private readonly context: BrowserContext,
    readonly page: Page,
    private readonly signal: AbortSignal,
  ) {}

  static async open(
    browser: Browser,
    url: string,
    o: { log: StreamLog; signal: AbortSignal; transform?: PageTransform | undefined },
  ): Promise<DashboardPage> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (e) => o.log('note', 'page', `page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') o.log('note', 'page', `console error: ${m.text()}`);
    });
    const transform = o.transform;
    if (transform)
      await page.route(
        (u) => u.pathname.endsWith('.js') || u.pathname.endsWith('.mjs'),
        async (route) => {
          const path = new URL(route.request().url()).pathname;
          try {
            const res = await route.fetch();
            const body = await res.text();
            const changed = transform(path, body);
            if (changed !== undefined) o.log('note', 'page', `${path} rewritten by the mutant`);
            await route.fulfill({ response: res, body: changed ?? body });
          } catch (e) {
            // The server went away (its case ended, e.g. on a page.goto timeout): the page sees a failed
            // request, the case's log says why, and nothing is left to reject unheard.
            o.log('note', 'page', `${path} could not be fetched for the mutant: ${(e as Error).message.split('\n')[0]}`);
            await route.abort().catch(() => undefined);
          }
        },
      );
    o.log('note', 'page', `Chromium opens ${url}`);
    // Loading the page is setup, not what a case judges: on a busy machine Chromium can take over 10 s.
    await page.goto(url, { timeout: 30_000 });
    return new DashboardPage(context, page, o.signal);
  }

  /** The rows the page shows now. */
  async rows(): Promise<DashboardRow[]> {
    // Runs in the page (a string, so Node's types need no DOM): visible elements with data-agent.
    return this.page.evaluate(READ_ROWS) as Promise<DashboardRow[]>;
  }

  /** The first truthy `check(rows)` within `ms` (the DOM read every 50 ms), or undefined with the last rows. */
  async waitRows<T>(
    check: (rows: DashboardRow[]) => T | undefined | false,
    ms: number,
  ): Promise<{ value: T | undefined; rows: DashboardRow[] }> {
    const end = performance.now() + ms;
    for (;;) {
      const rows = await this.rows();
      const value = check(rows);
      if (value) return { value, rows };
      if (performance.now() >= end || this.signal.aborted) return { value: undefined, rows };
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
  }
}

/** `claude-1 active "…"` per row, for Expected/Actual lines. */
export function showRows(rows: readonly DashboardRow[]): string {
  if (rows.length === 0) return 'no rows';
  return rows.map((r) => `${r.agent} ${r.status ?? '(no status)'} "${r.text.slice(0, 80)}"`).join('; ');
}
