/** The spread of repeated capacity searches: median, range, and whether they agree to one step. */
import type { CapacitySpread } from '../report-types.ts';
import { medianRate } from './search.ts';

export function capacitySpread(figures: Array<number | null>, resolution: number): CapacitySpread {
  const held = figures.filter((x): x is number => x !== null);
  const min = held.length === figures.length && held.length > 0 ? Math.min(...held) : null;
  const max = held.length > 0 ? Math.max(...held) : null;
  const ratio = min !== null && max !== null && min > 0 ? Math.round((max / min) * 100) / 100 : null;
  return {
    runs: figures.length,
    figures,
    median: medianRate(figures),
    min,
    max,
    ratio,
    // Each figure lies within `resolution` below the hub's limit, so two searches of one limit differ by at most that.
    withinOneStep: min !== null && max !== null && max <= min * (1 + resolution) + 1,
  };
}
