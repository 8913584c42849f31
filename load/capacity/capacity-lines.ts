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
  return `${head}${res}: median of ${sp.runs} searches, range ${sp.min ?? 'none'}–${sp.max ?? 'none'}/s${sp.ratio === null ? '' : ` (×${sp.ratio})`}, ${sp.withinOneStep ? 'within one step of each other' : 'NOT within one step of each other'}`;
}

export function capacityLines(c: CapacityFigures): string[] {
  const out = [`figure: ${capacitySentence(c)}`, `stopped: ${c.stoppedBecause}`];
  for (const [i, r] of (c.runs ?? [c]).entries()) {
    out.push(`  ${c.runs ? `search ${i + 1} → ${r.lastGoodRate ?? 'none'}/s: ` : 'steps: '}${stepTrail(r)}`);
    for (const x of r.steps) if (!x.ok) out.push(`    ${x.rate}/s${x.stage === 'retry' ? ' (retry)' : ''} missed: ${x.failure ?? ''}`);
  }
  return out;
}
