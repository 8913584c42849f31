/**
 * Growth of one series (a node's RSS or open descriptors) over a soak: a Theil–Sen fit of the samples
 * after the warm-up, per hour and per cycle, with its 95 % interval, what the run could resolve, and a
 * projection to a limit when growth is shown. Pure.
 */
import { evenlySpaced, theilSen } from './theil-sen.ts';

export type GrowthSeries = 'rss' | 'fds';

export interface GrowthFit {
  series: GrowthSeries;
  /** 1-based node of the target. */
  node: number;
  /** Slope and its 95 % interval, units per hour. */
  perHour: number;
  lowPerHour: number;
  highPerHour: number;
  /** The fitted line's value at t = 0 (the run's start): value = intercept + perHour × t[h]. */
  intercept: number;
  /** The slope per cycle (per hour × cycle length). */
  perCycle: number;
  /** Half the interval's width: growth slower than this cannot be told from zero at this length. */
  resolutionPerHour: number;
  /**
   * The noise floor: `floor` (the return margin) spread over the fitted window, per hour. A heap grows and
   * shrinks by tens of MB between collections; a rise smaller than the margin over the whole window is the
   * hub settling, not shown growth, however narrow the interval (samples of one upswing are not independent).
   */
  floorPerHour: number;
  /** The lower end of the interval is above the floor: growth shown. */
  shown: boolean;
  /** Samples fitted, and how many samples there were (more than fitted when thinned). */
  fitted: number;
  samples: number;
  /** The last sampled value, and where the series would reach its limit at this slope (hours). */
  last: number;
  projection?: { limit: number; limitLabel: string; hours: number };
  /** `RSS +14 MB/h (95 % CI 11–17), projected 1 GB in 2.9 days`. */
  line: string;
}

export interface GrowthInput {
  series: GrowthSeries;
  node: number;
  /** Sample times, seconds since the run started, and values (MB or descriptors), warm-up excluded. */
  t: number[];
  v: number[];
  cycleS: number;
  /** Where the series stops working: 1024 MB for RSS, the process's open-files limit for descriptors. */
  limit?: { value: number; label: string };
  /** Rise over the whole fitted window that is still noise (the return margin: MB, descriptors); default 0. */
  floor?: number;
}

const UNIT: Record<GrowthSeries, { name: string; unit: string; digits: number }> = {
  rss: { name: 'RSS', unit: ' MB', digits: 1 },
  fds: { name: 'descriptors', unit: '', digits: 0 },
};

/** Undefined with fewer than three samples (a slope of two points has no interval worth the name). */
export function fitGrowth(g: GrowthInput): GrowthFit | undefined {
  if (g.t.length < 3) return undefined;
  const idx = evenlySpaced(g.t.length);
  const fit = theilSen(
    idx.map((i) => g.t[i]! / 3600),
    idx.map((i) => g.v[i]!),
  );
  if (!fit) return undefined;
  const last = g.v[g.v.length - 1]!;
  const resolution = (fit.high - fit.low) / 2;
  const windowH = (g.t[g.t.length - 1]! - g.t[0]!) / 3600;
  const floorPerHour = windowH > 0 ? (g.floor ?? 0) / windowH : Infinity;
  const shown = fit.low > 0 && fit.low > floorPerHour;
  const out: GrowthFit = {
    series: g.series,
    node: g.node,
    perHour: fit.slope,
    lowPerHour: fit.low,
    highPerHour: fit.high,
    intercept: fit.intercept,
    perCycle: (fit.slope * g.cycleS) / 3600,
    resolutionPerHour: resolution,
    floorPerHour,
    shown,
    fitted: fit.n,
    samples: g.t.length,
    last,
    line: '',
  };
  if (g.limit && shown) {
    out.projection = { limit: g.limit.value, limitLabel: g.limit.label, hours: Math.max(0, (g.limit.value - last) / fit.slope) };
  }
  out.line = growthLine(out);
  return out;
}

export function growthLine(f: GrowthFit): string {
  const u = UNIT[f.series];
  const n = (x: number) => fmt(x, u.digits);
  const head = `${u.name} ${sign(f.perHour)}${n(Math.abs(f.perHour))}${u.unit}/h (95 % CI ${n(f.lowPerHour)}–${n(f.highPerHour)}; ${sign(f.perCycle)}${fmt(Math.abs(f.perCycle), 3)}${u.unit} per cycle)`;
  if (f.projection) return `${head}, projected ${f.projection.limitLabel} in ${duration(f.projection.hours)}`;
  if (f.shown) return `${head}: growth shown`;
  const floor = f.floorPerHour > f.resolutionPerHour ? ` (over this window, less than the return margin is settling, not growth)` : '';
  if (f.resolutionPerHour === 0 && f.lowPerHour <= 0) return `${head}: no growth, most samples alike`;
  return `${head}: no growth shown; this run tells growth above ${n(Math.max(f.resolutionPerHour, f.floorPerHour))}${u.unit}/h from zero${floor}`;
}

/** `2.9 days`, `7.5 h`, `12 min`. */
export function duration(hours: number): string {
  if (hours >= 48) return `${fmt(hours / 24, 1)} days`;
  if (hours >= 1) return `${fmt(hours, 1)} h`;
  return `${Math.max(0, Math.round(hours * 60))} min`;
}

const sign = (x: number): string => (x < 0 ? '−' : '+');

function fmt(x: number, digits: number): string {
  const v = Math.abs(x) >= 100 ? Math.round(x) : Number(x.toFixed(digits));
  return (v < 0 ? '−' : '') + Math.abs(v).toLocaleString('en-US', { maximumFractionDigits: digits });
}
