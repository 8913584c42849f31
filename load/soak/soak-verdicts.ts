/**
 * The soak's verdicts as threshold results (docs/soak.md): growth shown above its bound (lower end of the
 * 95 % CI), leftovers, return of RSS, descriptors and CPU, and connections not reaped, per kind. Each is
 * an ordinary ThresholdResult, so the load verdict, JUnit and certify's SLO rows take them as they are.
 * A part that was not measured (no pid, a kind that never occurred) gets no row; `notMeasured` says why.
 * Pure.
 */
import type { DeliveryFigures, ThresholdResult } from '../report-types.ts';
import type { Thresholds } from '../scenarios/types.ts';
import type { GrowthFit, GrowthSeries } from './growth.ts';
import type { ReapKind, SoakFigures } from './soak-types.ts';

const REAP_KEY: Record<ReapKind, 'reapDestroyed' | 'reapUnresponsive' | 'reapSilent'> = {
  destroyed: 'reapDestroyed',
  unresponsive: 'reapUnresponsive',
  silent: 'reapSilent',
};

const REAP_LABEL: Record<ReapKind, string> = {
  destroyed: 'connections destroyed without a close frame',
  unresponsive: 'connections that stopped reading and answering',
  silent: 'silent connections that never subscribed',
};

export function soakThresholds(t: Thresholds, f: SoakFigures, delivery: Pick<DeliveryFigures, 'expected' | 'reach'>): ThresholdResult[] {
  const out: ThresholdResult[] = [];
  const row = (name: keyof Thresholds, label: string, comparator: ThresholdResult['comparator'], actual: number | null, unit: string) => {
    const limit = t[name];
    if (limit === undefined) return;
    const ok = actual !== null && (comparator === '>=' ? actual >= limit : comparator === '<' ? actual < limit : actual <= limit);
    out.push({ name, label, comparator, limit, actual, unit, ok });
  };
  row('minReach', 'reach (received ÷ expected)', '>=', delivery.expected > 0 ? delivery.reach : null, '');
  for (const series of ['rss', 'fds'] as const) {
    const key = series === 'rss' ? 'rssMbPerHour' : 'fdsPerHour';
    const worst = worstFit(f.growth, series);
    const bound = t[key];
    if (!worst || bound === undefined) continue;
    // Over a short window the return margin is the finer bound no run can beat: the limit is the larger.
    const floor = Number.isFinite(worst.floorPerHour) ? worst.floorPerHour : 0;
    const limit = round(Math.max(bound, floor), series === 'rss' ? 1 : 0);
    const actual = round(worst.lowPerHour, series === 'rss' ? 1 : 0);
    out.push({
      name: key,
      label: `hub ${series === 'rss' ? 'RSS' : 'open-descriptor'} growth, lower end of the 95 % CI${f.pids.length > 1 ? ` (node ${worst.node}, the worst)` : ''}${limit > bound ? ` (limit: the return margin over the fitted window, above thresholds.${key} ${bound})` : ''}`,
      comparator: '<=',
      limit,
      actual,
      unit: series === 'rss' ? 'MB/h' : 'per hour',
      ok: actual <= limit,
    });
  }
  row(
    'leftovers',
    `channels, subscriptions and presence members of the run left ${f.bound.deadlineS} s after the last client`,
    '<=',
    f.return.leftovers.length,
    '',
  );
  const back = (
    key: 'rssReturnMb' | 'fdsReturn' | 'idleCpuPct',
    get: (n: SoakFigures['return']['nodes'][number]) => number | null,
    label: string,
    unit: string,
  ) => {
    const deltas = f.return.nodes.map(get).filter((x): x is number => x !== null);
    if (deltas.length) row(key, label, '<=', round(Math.max(...deltas), 1), unit);
  };
  back('rssReturnMb', (n) => diff(n.endRssMb, n.baselineRssMb), 'hub RSS above its pre-run baseline after the run', 'MB');
  back('fdsReturn', (n) => diff(n.endFds, n.baselineFds), 'hub open descriptors above the pre-run baseline after the run', '');
  // Back to the idle it had before the run: a cluster node's lease upkeep or a busy machine's accounting can
  // put a hub's idle at a few % before any load (CI: 4 % before, 6 % after), which is not the run's doing.
  back(
    'idleCpuPct',
    (n) => (n.idleCpuPct === null || n.baselineCpuPct === null ? n.idleCpuPct : n.idleCpuPct - n.baselineCpuPct),
    'hub CPU once idle after the run, above its idle before the run',
    'points of % of a core',
  );
  for (const r of f.reaping) {
    if (r.count === 0) continue;
    row(
      REAP_KEY[r.kind],
      `${REAP_LABEL[r.kind]} still open past the hub's bound (${f.bound.deadlineS} s)`,
      '<=',
      r.notReaped,
      'connections',
    );
  }
  return out;
}

/** The fit with the highest lower CI end: the node that most clearly grows. */
export function worstFit(fits: readonly GrowthFit[], series: GrowthSeries): GrowthFit | undefined {
  return fits.filter((g) => g.series === series).sort((a, b) => b.lowPerHour - a.lowPerHour)[0];
}

const diff = (end: number | null, base: number | null): number | null => (end === null || base === null ? null : end - base);
const round = (x: number, d: number): number => Math.round(x * 10 ** d) / 10 ** d;
