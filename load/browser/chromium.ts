/**
 * Finds and launches the Chromium that drives hubproof's browser pages: `HUBPROOF_CHROMIUM`, else
 * Debian's `/usr/bin/chromium` (CI installs it from `scripts/ensure-chromium.js`) or Google Chrome.
 * playwright-core (a dependency) drives it over CDP; no browser is downloaded. Without either, browser
 * work is skipped and reported not covered, with the command that installs what is missing.
 */
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { HubproofError } from '../../spec/errors.ts';
import { missingTool, missingToolText, type MissingTool } from '../optional-tool.ts';

/** Debian's and Ubuntu's Chromium, then Google Chrome (GitHub's Ubuntu runners have it). */
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome-stable', '/usr/bin/google-chrome'];

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

/** The missing piece browser work needs (Chromium first, then playwright-core), or undefined when it can run. */
export function browserMissing(): MissingTool | undefined {
  if (!chromiumPath())
    return missingTool(
      'chromium',
      process.env.HUBPROOF_CHROMIUM
        ? `HUBPROOF_CHROMIUM=${process.env.HUBPROOF_CHROMIUM} does not exist`
        : `no Chromium at ${CANDIDATES.join(', ')} (HUBPROOF_CHROMIUM names another)`,
    );
  try {
    import.meta.resolve('playwright-core');
  } catch {
    return missingTool('playwright-core', 'the playwright-core package cannot be found from hubproof');
  }
  return undefined;
}

/** Why browser work cannot run here (what is missing and the command that installs it), or undefined when it can. */
export function chromiumUnavailable(): string | undefined {
  const missing = browserMissing();
  return missing && missingToolText(missing);
}

/**
 * How much lower than the driver the browser side runs (nice): the page fleet's worker thread runs at it,
 * and Chromium, launched from that thread through `nice`, lower still. On a machine shared with a local hub, the
 * pages must not take the hub's CPU: starved, the hub would look slow on the wire too; a starved page
 * still shows, in its own figures (end to end beside the wire, long tasks, browser CPU).
 */
export const BROWSER_NICE = 10;

/**
 * Chromium, run as root (containers, CI), raises its own threads to nice -8 (compositors, IO, GPU) and
 * then outranks the hub and the driver. A low-priority launch goes through a small wrapper: nice, and no
 * CAP_SYS_NICE, so no Chromium thread can climb back. Undefined when the tools are missing or the
 * wrapper cannot be written: Chromium then runs at the driver's priority.
 */
function lowPriorityWrapper(executable: string): string | undefined {
  const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p));
  const nice = ['/usr/bin/nice', '/bin/nice'].find((p) => existsSync(p));
  if (!setpriv || !nice) return undefined;
  try {
    const file = join(mkdtempSync(join(tmpdir(), 'hubproof-chromium-')), 'chromium');
    const dropNice =
      typeof process.getuid === 'function' && process.getuid() === 0 ? `${setpriv} --inh-caps=-sys_nice --bounding-set=-sys_nice ` : '';
    writeFileSync(file, `#!/bin/sh\nexec ${nice} -n ${BROWSER_NICE} ${dropNice}${JSON.stringify(executable)} "$@"\n`);
    chmodSync(file, 0o755);
    return file;
  } catch {
    return undefined;
  }
}

/** `lowPriority`: below the driver and a local hub (BROWSER_NICE), for pages that run beside a measurement. */
export async function launchChromium(o: { lowPriority?: boolean } = {}): Promise<Browser> {
  const chromiumBinary = chromiumPath();
  if (!chromiumBinary) throw new HubproofError('HUBPROOF_ERR_BROWSER_UNAVAILABLE', chromiumUnavailable()!);
  const executablePath = (o.lowPriority && lowPriorityWrapper(chromiumBinary)) || chromiumBinary;
  let chromium: typeof import('playwright-core').chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    throw new HubproofError(
      'HUBPROOF_ERR_BROWSER_UNAVAILABLE',
      missingToolText(missingTool('playwright-core', 'playwright-core cannot be loaded')),
    );
  }
  try {
    return await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  } catch (err) {
    // The harness's browser, not the hub: the scenario is not covered, never failed.
    throw new HubproofError(
      'HUBPROOF_ERR_BROWSER_UNAVAILABLE',
      `Chromium at ${chromiumBinary} did not start: ${(err as Error).message.split('\n')[0]}`,
    );
  }
}
