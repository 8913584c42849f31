/**
 * The capacity scenario's part of the load report: the figure with its spread, the search as a plot
 * (reports/charts/capacity-search.ts), and every step with its evidence. load-html.ts calls these only
 * when a scenario has capacity figures; the side-by-side page uses the plot with one series per hub.
 */
import type { CapacityFigures, CapacitySearch, ScenarioResult } from '../load/report-types.ts';
import { capacitySearchSvg, SERIES_COLORS, type SearchSeries } from './charts/capacity-search.ts';
import { html, type RawHtml } from './html-page.ts';
import { capacitySentence } from '../load/capacity/capacity-lines.ts';
export { capacitySentence };

const fixed = (x: number | undefined, d = 2): string => (x !== undefined && Number.isFinite(x) ? x.toFixed(d) : '—');

/** One series per search (one with a single search). */
export function searchSeries(c: CapacityFigures, label = 'search'): SearchSeries[] {
  const runs: CapacitySearch[] = c.runs ?? [c];
  return runs.map((r, i) => ({
    label: runs.length > 1 ? `${label} ${i + 1}` : label,
    color: SERIES_COLORS[i % SERIES_COLORS.length]!,
    steps: r.steps,
    figure: r.lastGoodRate,
  }));
}

export function capacityChart(s: ScenarioResult): string {
  return capacitySearchSvg(searchSeries(s.capacity!), s.scenario.thresholds.p99Ms);
}

export function capacitySection(s: ScenarioResult): RawHtml {
  const c = s.capacity!;
  const runs = c.runs ?? [c];
  return html`<p>Capacity: <b>${capacitySentence(c)}</b>. ${c.stoppedBecause}.</p>
${c.heldOnRetry?.length ? html`<p>Missed once and held when run again: ${c.heldOnRetry.map((r) => `${r}/s`).join(', ')}.</p>` : ''}
<table class="steps"><tr>${runs.length > 1 ? html`<th class="num">search</th>` : ''}<th class="num">rate/s</th><th>stage</th><th class="num">p50 ms</th><th class="num">p99 ms</th><th class="num">reach</th><th class="num">expected</th><th class="num">lost</th><th class="num">dup</th><th class="num">publish errors</th><th class="num">driver CPU</th><th class="num">hub CPU</th><th class="num">other CPU</th><th>result</th></tr>
${runs.map((r, i) =>
  r.steps.map(
    (x) =>
      html`<tr class="${x.ok ? '' : 'row-fail'}">${runs.length > 1 ? html`<td class="num">${i + 1}</td>` : ''}<td class="num">${x.rate}</td><td>${x.stage ?? ''}</td><td class="num">${fixed(x.p50Ms)}</td><td class="num">${fixed(x.p99Ms)}</td><td class="num">${x.reach === 1 ? '1' : fixed(x.reach, 5)}</td><td class="num">${x.expected ?? '—'}</td><td class="num">${x.lost ?? '—'}</td><td class="num">${x.duplicated ?? '—'}</td><td class="num">${x.publishErrors ?? '—'}</td><td class="num">${Math.round(x.driverCpuShare * 100)}%${x.driverSaturated ? ' saturated' : ''}</td><td class="num">${x.hubCpuPct === null ? 'n/a' : `${Math.round(x.hubCpuPct)}%`}</td><td class="num">${x.othersCpuPct == null ? 'n/a' : `${x.othersCpuPct}%`}</td><td>${x.ok ? 'held' : html`missed${x.disturbed ? ' (disturbed by other work: measured again)' : ''}: ${x.failure ?? ''}`}</td></tr>`,
  ),
)}</table>`;
}
