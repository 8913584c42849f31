/**
 * Browser checks of the reference hub's /dashboard page: a real hub on loopback with short presence
 * timers, real Chromium through playwright-core. Without Chromium the files skip and say why.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { chromiumUnavailable, launchChromium } from '../../load/browser/chromium.ts';
import type { HubConfigInput } from '../../reference-server/config.ts';
import { startHub, type RunningHub } from '../../reference-server/hub.ts';

export const TOKEN = 'token-backend-0001';
export const noChromium = chromiumUnavailable();

/**
 * Idle after 1.5 s, offline after 3 s, swept every 100 ms: the status rules run within a test, with room
 * for a busy machine to read an active card before it goes idle.
 */
export const SHORT_TIMINGS = { idleAfterMs: 1500, offlineAfterMs: 3000, sweepIntervalMs: 100 };

export interface DashboardHub {
  hub: RunningHub;
  /** Stops the hub (graceful: dashboards get 1001). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data directory. */
  start(): Promise<void>;
  dispose(): Promise<void>;
}

export async function startDashboardHub(overrides: Partial<HubConfigInput> = {}): Promise<DashboardHub> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hubproof-dashboard-'));
  const config = (port: number): HubConfigInput => ({ port, dataDir, timings: SHORT_TIMINGS, ...overrides });
  let running: RunningHub | undefined = await startHub(config(0));
  const port = running.port;
  const self: DashboardHub = {
    get hub() {
      if (!running) throw new Error('hub is stopped');
      return running;
    },
    stop: async () => {
      await running?.close();
      running = undefined;
    },
    start: async () => {
      running = await startHub(config(port));
    },
    dispose: async () => {
      await running?.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return self;
}

export interface ToolEvent {
  tool: string;
  session: string;
  feature?: string | null;
  tokens?: number;
}

/** POST /api/presence/{agent}/events; throws unless 200. */
export async function toolEvent(hub: RunningHub, agent: string, e: ToolEvent): Promise<void> {
  const res = await fetch(`${hub.httpUrl}/api/presence/${encodeURIComponent(agent)}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({
      event_type: 'tool_execute',
      tool_name: e.tool,
      feature_id: e.feature,
      cost_tokens: e.tokens ?? 0,
      session_id: e.session,
    }),
  });
  if (res.status !== 200) throw new Error(`POST presence event for ${agent} → ${res.status} ${await res.text()}`);
}

export function dashboardUrl(hub: RunningHub, query: Record<string, string> = { token: TOKEN }): string {
  return `${hub.httpUrl}/dashboard?${new URLSearchParams(query)}`;
}

const errorsOf = new WeakMap<Page, string[]>();

/** A new page in its own context (own sessionStorage), its script errors kept for pageErrors(). */
export async function openPage(browser: Browser, url: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors: string[] = [];
  errorsOf.set(page, errors);
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  return page;
}

/** Uncaught script errors of a page opened with openPage. */
export const pageErrors = (page: Page): string[] => errorsOf.get(page) ?? [];

export async function closePage(page: Page): Promise<void> {
  await page.context().close();
}

export interface DashboardSuite {
  readonly hub: DashboardHub;
  readonly browser: Browser;
  /** Opens a page that is closed after the test, which fails if the page threw. */
  open(url: string, viewport?: { width: number; height: number }): Promise<Page>;
  /** Closes one of those pages before the test ends. */
  close(page: Page): Promise<void>;
}

/**
 * The hooks of a dashboard test file (call inside its describe): one hub with short timers, one
 * browser, and every page closed after its test, which fails on an uncaught script error.
 */
export function dashboardSuite(overrides: Partial<HubConfigInput> = {}): DashboardSuite {
  let hub: DashboardHub | undefined;
  let browser: Browser | undefined;
  const pages: Page[] = [];
  beforeAll(async () => {
    hub = await startDashboardHub(overrides);
    browser = await launchChromium();
  });
  afterEach(async () => {
    for (const p of pages.splice(0)) {
      expect(pageErrors(p), 'uncaught script errors on the page').toEqual([]);
      await closePage(p);
    }
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.dispose();
  });
  return {
    get hub() {
      return hub!;
    },
    get browser() {
      return browser!;
    },
    open: async (url, viewport) => {
      const page = await openPage(browser!, url, viewport);
      pages.push(page);
      return page;
    },
    close: async (page) => {
      pages.splice(pages.indexOf(page), 1);
      await closePage(page);
    },
  };
}

/**
 * The few browser globals the checks read inside page.evaluate (the project's tsconfig has no DOM lib,
 * on purpose: Node code must not see browser globals). Use as `const w = globalThis as unknown as PageGlobals`.
 */
export interface PageGlobals {
  innerWidth: number;
  document: {
    documentElement: { scrollWidth: number };
    querySelector(selector: string): unknown;
    querySelectorAll(selector: string): ArrayLike<{ getBoundingClientRect(): { width: number } }>;
  };
  getComputedStyle(el: unknown): { borderTopLeftRadius: string; borderLeftWidth: string; borderTopWidth: string };
  /** Set by a check to prove the page was not reloaded. */
  sameDocument?: boolean;
}

/** A card's status, tool, feature, session, tools and tokens, read at one instant: `Active|Bash|feat-1|sess-1|1|1,200`. */
export function cardFacts(card: Locator): Promise<string> {
  return card.evaluate((root) => {
    const el = root as unknown as { querySelector(s: string): { textContent: string } };
    return ['.status-label', '.f-tool', '.f-feature', '.f-session', '.f-tools', '.f-tokens']
      .map((s) => el.querySelector(s).textContent)
      .join('|');
  });
}

export { launchChromium };
export type { Browser, Page };
