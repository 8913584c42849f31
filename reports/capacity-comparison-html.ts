/**
 * The page of capacity side by side: the ratio from one session first, the searches of every hub on one
 * plot (one colour per hub), then each hub's capacity section with every step's evidence.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CapacityComparison } from '../load/capacity/side-by-side.ts';
import { capacitySearchSvg, SERIES_COLORS, type SearchSeries } from './charts/capacity-search.ts';
import { html, htmlPage, raw } from './html-page.ts';
import { capacitySentence } from './load-capacity-html.ts';
import { LOAD_CSS, scenarioSection } from './load-html.ts';

export function renderComparisonHtml(c: CapacityComparison): string {
  const series: SearchSeries[] = c.hubs.flatMap((h, i) => {
    const cap = h.report.scenarios[0]?.capacity;
    return (cap?.runs ?? (cap ? [cap] : [])).map((r, k) => ({
      label: k === 0 ? h.name : '',
      color: SERIES_COLORS[i % SERIES_COLORS.length]!,
      steps: r.steps,
      figure: r.lastGoodRate,
    }));
  });
  const limit = c.hubs[0]?.report.scenarios[0]?.scenario.thresholds.p99Ms;
  const body = html`<div class="cards">
${c.ratios.map((r) => html`<div class="card"><div class="l">${r.of} ÷ ${r.to}</div><div class="n">${r.median === null ? 'n/a' : `×${r.median}`}</div></div>`)}
<div class="card"><div class="l">rounds</div><div class="n">${c.rounds}</div></div>
<div class="card"><div class="l">verdict</div><div class="n t-${c.verdict}">${c.verdict.toUpperCase()}</div></div>
</div>
<p>The hubs' searches ran interleaved on one machine, the order alternating per round (${c.order.map((o) => o.join(' → ')).join(' | ')}): each ratio is the median of the rounds' ratios, with their range.</p>
<ul>${c.ratios.map((r) => html`<li>${r.of} ÷ ${r.to}: ${r.median === null ? 'n/a' : `×${r.median}`}, range ${r.min ?? 'n/a'}–${r.max ?? 'n/a'} (per round: ${r.perRound.map((x) => x ?? 'n/a').join(', ')})</li>`)}
${c.hubs.map((h) => html`<li>${h.name}: ${h.report.scenarios[0]?.capacity ? capacitySentence(h.report.scenarios[0].capacity) : 'not run'}</li>`)}</ul>
<div class="charts">${raw(
    capacitySearchSvg(
      series.filter((s) => s.steps.length > 0),
      limit,
    ),
  )}</div>
${c.hubs.map((h) => html`<h2>${h.name}</h2>${h.report.scenarios.map(scenarioSection)}${h.report.errors.map((e) => html`<p class="t-fail">could not run — ${e.message}</p>`)}`)}`;
  return htmlPage({
    title: `hubproof capacity — ${c.hubs.map((h) => h.name).join(' vs ')}`,
    meta: `${c.generatedAt} · ${c.rounds} rounds · Node ${c.driver.node} · ${c.driver.cores} cores`,
    body,
    css: LOAD_CSS,
  });
}

/** Writes `<dir>/load.html` and returns its path. */
export function writeComparisonHtml(dir: string, c: CapacityComparison): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'load.html');
  writeFileSync(file, renderComparisonHtml(c));
  return file;
}
