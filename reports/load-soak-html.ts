/**
 * The soak scenario's part of the load report (docs/soak.md): the growth lines, the return to baseline
 * with each leftover named, reaping per kind, and the charts over time. load-html.ts calls these only
 * when a scenario has soak figures.
 */
import type { SoakFigures } from '../load/soak/soak-types.ts';
import { soakCharts } from './charts/soak.ts';
import { html, type RawHtml } from './html-page.ts';

export function soakChartsSvg(f: SoakFigures): string[] {
  return soakCharts(f);
}

export function soakFigures(f: SoakFigures): RawHtml {
  const many = f.pids.length > 1;
  const r = f.return;
  return html`<p>${f.cycles} cycles of ${f.cycleS} s in ${f.runS} s; the first ${f.warmup.seconds} s (${f.warmup.samples} samples) are warm-up, excluded from the fit: ${f.warmup.why}. Reaping bound ${f.bound.boundS} s (${f.bound.source}), waited ${f.bound.deadlineS} s.</p>
<ul class="growth">${f.growth.map((g) => html`<li>${many ? `node ${g.node}: ` : ''}<b>${g.line}</b></li>`)}</ul>
<p>${r.apiCleanAfterS !== null ? html`Back to baseline in the hub's HTTP API <b>${r.apiCleanAfterS} s</b> after the last client left.` : html`<b class="t-fail">Not back to baseline within ${f.bound.deadlineS} s</b>:`}</p>
${r.leftovers.length ? html`<ul class="leftovers">${r.leftovers.map((l) => html`<li class="t-fail">${l}</li>`)}</ul>` : ''}
${
  r.nodes.length
    ? html`<table class="return"><tr><th>node</th><th class="num">pid</th><th class="num">RSS before → after MB</th><th class="num">descriptors before → after</th><th class="num">CPU idle before → after, % of a core</th></tr>
${r.nodes.map((n) => html`<tr><td>node ${n.node}</td><td class="num">${n.pid}</td><td class="num">${n.baselineRssMb ?? '?'} → ${n.endRssMb ?? '?'}</td><td class="num">${n.baselineFds ?? '?'} → ${n.endFds ?? '?'}</td><td class="num">${n.baselineCpuPct ?? '?'} → ${n.idleCpuPct ?? '?'}</td></tr>`)}</table>`
    : ''
}
<table class="reaping"><tr><th>reaping</th><th class="num">abandoned</th><th class="num">closed by the hub</th><th class="num">p50 s</th><th class="num">max s</th><th class="num">still open at ${f.bound.deadlineS} s</th></tr>
${f.reaping.map((k) => html`<tr class="${k.notReaped ? 'row-fail' : ''}"><td>${k.kind}</td><td class="num">${k.count}</td><td class="num">${k.reaped}</td><td class="num">${k.p50S ?? '—'}</td><td class="num">${k.maxS ?? '—'}</td><td class="num">${k.notReaped}</td></tr>`)}</table>
`;
}
