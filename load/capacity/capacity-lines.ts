/** The capacity figure and its search, as lines of the terminal summary. */
import type { CapacityFigures, CapacitySearch } from '../report-types.ts';

/** `500✓ 750✓ 1125✗~ 1125✗ 1125✓r …`: every step in order; r a re-run of a step that missed, ~ disturbed by other work. */
export function stepTrail(r: CapacitySearch): string {
  return r.steps.map((x) => `${x.rate}${x.ok ? '✓' : '✗'}${x.stage === 'retry' ? 'r' : ''}${x.disturbed ? '~' : ''}`).join(' ');
}

/** The figure in one sentence: the rate, how it was bounded, and how far repeated searches agree. */
export function capacitySentence(c: CapacityFigures): string {
  const figure = c.spread ? c.spread.median : c.lastGoodRate;
  const head = figure === null ? 'no rate held' : `${c.lowerBound ? 'at least ' : ''}${figure}/s`;
  const res = c.resolution !== undefined ? ` to within ${Math.round(c.resolution * 100)} %` : '';
  if (!c.spread) return `${head}${res}`;
  const sp = c.spread;
  const step = c.resolution !== undefined ? ` (${Math.round(c.resolution * 100)} %)` : '';
  return `${head}${res}: median of ${sp.runs} searches, range ${sp.min ?? 'none'}–${sp.max ?? 'none'}/s${spreadAround(sp)}, ${sp.withinOneStep ? 'within one step' : 'NOT within one step'}${step} of each other`;
}

/** ` (×1.22, −10 % / +11 % of the median)`: how far the searches lie apart, and from the figure quoted. */
function spreadAround(sp: NonNullable<CapacityFigures['spread']>): string {
  const { ratio, median, min, max } = sp;
  if (ratio === null) return '';
  if (median === null || min === null || max === null || median <= 0) return ` (×${ratio})`;
  const pct = (x: number): number => Math.round(Math.abs(x / median - 1) * 100);
  return ` (×${ratio}, −${pct(min)} % / +${pct(max)} % of the median)`;
}

export function capacityLines(c: CapacityFigures): string[] {
  const out = [`figure: ${capacitySentence(c)}`, `stopped: ${c.stoppedBecause}`];
  for (const [i, r] of (c.runs ?? [c]).entries()) {
    out.push(`  ${c.runs ? `search ${i + 1} → ${r.lastGoodRate ?? 'none'}/s: ` : 'steps: '}${stepTrail(r)}`);
    for (const x of r.steps) if (!x.ok) out.push(`    ${x.rate}/s${x.stage === 'retry' ? ' (retry)' : ''} missed: ${x.failure ?? ''}`);
  }
  return out;
}
