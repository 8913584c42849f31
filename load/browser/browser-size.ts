/**
 * How big the browser scenario runs by default on the machine it runs on: how many Chromium pages, at what
 * update rate. `hubproof load` and `certify` both size it here, before the user's own overrides (more
 * pages are what `--set browser:subscribersPerChannel=N`, shards and more machines are for; a run sized
 * past the machine still says INVALID).
 *
 * A page applying presence updates costs Chromium CPU in proportion to the rate; the hub and the driver
 * need their share of the same cores. On a 2-core AMD EPYC VM (2026-12-07) 5 pages at 1000/s and 2 pages
 * were INVALID and 1 page at 1000/s passed once (issue 18); 1 page at 250/s, this default there, passed 3
 * runs of 3 under the machine lock (end to end p99 20-26 ms, driver lag p99 7-8 ms: `hubproof load
 * --scenario browser --target T` against `hubproof hub`), with Chromium at about half a core.
 */
import { availableParallelism } from 'node:os';
import type { Scenario } from '../scenarios/types.ts';

/** Cores the hub (when it runs on this machine) and the driver keep for themselves. */
export const RESERVED_CORES = 1.5;
/**
 * Chromium CPU (cores) one hubproof measuring page takes per 1000 updates/s, its renderer and its share
 * of the browser and GPU processes: 5 pages at 1000/s need about 3 cores.
 */
export const CORES_PER_PAGE_PER_1000 = 0.6;
/** Of the cores left after RESERVED_CORES, the share the pages are planned to use: the rest is headroom. */
export const PAGE_SHARE = 0.5;
/** Rates tried, highest first: the highest at which one page fits is the default. */
const RATES = [1000, 500, 250];

export interface BrowserSize {
  pages: number;
  rate: number;
  cores: number;
}

/** Pages and rate for `cores` cores, at most the scenario file's full size (`full`). */
export function browserSize(cores: number, full: { pages: number; rate: number }): BrowserSize {
  const budget = Math.max(0, cores - RESERVED_CORES) * PAGE_SHARE;
  const rates = RATES.filter((r) => r <= full.rate);
  for (const rate of rates.length ? rates : [full.rate]) {
    const pages = Math.floor(budget / ((CORES_PER_PAGE_PER_1000 * rate) / 1000));
    if (pages >= 1) return { pages: Math.min(full.pages, pages), rate, cores };
  }
  return { pages: 1, rate: Math.min(full.rate, RATES.at(-1)!), cores };
}

/**
 * Sizes the browser scenario for this machine (other scenarios are left alone): its pages (one dashboard
 * session of them) and rate, before any override. Returns the size given, for the browser scenario.
 */
export function sizeForMachine(s: Scenario, cores = availableParallelism()): BrowserSize | undefined {
  if (s.kind !== 'browser') return undefined;
  const size = browserSize(cores, { pages: s.channels * s.subscribersPerChannel, rate: s.rate });
  s.channels = 1;
  s.subscribersPerChannel = size.pages;
  s.rate = size.rate;
  return size;
}

/** The report's note for a run that kept the size this machine was given. */
export const sizeNote = (size: BrowserSize): string =>
  `sized for this machine (${size.cores} cores): ${size.pages} page(s) at ${size.rate} updates/s (load/browser/browser-size.ts); more pages: --set browser:subscribersPerChannel=N, shards or more machines`;
