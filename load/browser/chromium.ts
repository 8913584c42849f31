/**
 * Finds and launches the Chromium that drives hubproof's browser pages: `HUBPROOF_CHROMIUM`, else
 * Debian's `/usr/bin/chromium` (CI installs it from `scripts/ensure-chromium.js`). playwright-core drives
 * it over CDP; no browser is downloaded. Without one, browser work is skipped with the reason.
 */
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { HubproofError } from '../../spec/errors.ts';

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

export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new HubproofError('HUBPROOF_ERR_BROWSER', chromiumUnavailable()!);
  let chromium: typeof import('playwright-core').chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    throw new HubproofError('HUBPROOF_ERR_BROWSER', 'playwright-core is not installed; run npm install');
  }
  try {
    return await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  } catch (err) {
    throw new HubproofError('HUBPROOF_ERR_BROWSER', `Chromium at ${executablePath} did not start: ${(err as Error).message.split('\n')[0]}`);
  }
}
