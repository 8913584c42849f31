/**
 * Finds and launches the Chromium that drives hubproof's browser pages: `HUBPROOF_CHROMIUM`, else
 * Debian's `/usr/bin/chromium` (CI installs it from `scripts/ensure-chromium.js`). playwright-core drives
 * it over CDP; no browser is downloaded. Without one, browser work is skipped with the reason.
 */
import { existsSync } from 'node:fs';
import { setPriority } from 'node:os';
import type { Browser } from 'playwright-core';
import { HubproofError } from '../../spec/errors.ts';
import { descendants } from './process-cpu.ts';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/**
 * Headless without GPU or sandbox (containers, CI), nothing phoning home, and no throttling of timers or
 * rendering for pages the window manager would call hidden: every measuring page must run at full rate.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

export function chromiumPath(): string | undefined {
  const fromEnv = process.env.HUBPROOF_CHROMIUM;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  return CANDIDATES.find((p) => existsSync(p));
}

/** Why browser work cannot run here, or undefined when it can. */
export function chromiumUnavailable(): string | undefined {
  if (chromiumPath()) return undefined;
  const where = process.env.HUBPROOF_CHROMIUM ? `HUBPROOF_CHROMIUM=${process.env.HUBPROOF_CHROMIUM} does not exist` : `no Chromium at ${CANDIDATES.join(' or ')}`;
  return `${where}; install Debian's chromium (npm test's pretest does) or set HUBPROOF_CHROMIUM`;
}

/**
 * How much lower than this process the browser runs (nice). On a machine shared with a local hub and the
 * driver, the pages must not take the hub's CPU: starved, the hub would look slow on the wire too. A
 * starved page still shows, in its own figures (end to end beside the wire, long tasks, browser CPU).
 */
export const BROWSER_NICE = 10;

/** Lowers the priority of every child process except `exclude` (renderers forked later inherit it). */
function lowerBrowserPriority(exclude: ReadonlySet<number>): void {
  for (const pid of descendants(process.pid, exclude)) {
    try {
      setPriority(pid, BROWSER_NICE);
    } catch {
      // Gone already, or not ours to change: it runs at normal priority.
    }
  }
}

export async function launchChromium(exclude: ReadonlySet<number> = new Set()): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new HubproofError('HUBPROOF_ERR_BROWSER', chromiumUnavailable()!);
  let chromium: typeof import('playwright-core').chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    throw new HubproofError('HUBPROOF_ERR_BROWSER', 'playwright-core is not installed; run npm install');
  }
  try {
    const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
    lowerBrowserPriority(exclude);
    return browser;
  } catch (err) {
    throw new HubproofError('HUBPROOF_ERR_BROWSER', `Chromium at ${executablePath} did not start: ${(err as Error).message.split('\n')[0]}`);
  }
}
