/**
 * The browser scenario's part of the load report: end to end beside the wire on one latency plot, the
 * pages' long tasks as a plot, and a per-page table. load-html.ts calls these only when a scenario has
 * browser figures.
 */
import type { BrowserFigures } from '../load/browser/browser-figures.ts';
import type { ScenarioResult } from '../load/report-types.ts';
import { html, type RawHtml } from './html-page.ts';
import type { LatencySeries } from './charts/latency-curve.ts';
import { longTasksSvg } from './charts/long-tasks.ts';

/** The latency curves drawn with the end-to-end one: the same updates on the wire and at the pages' sockets. */
export function browserSeries(b: BrowserFigures): LatencySeries[] {
  return [
    { label: 'wire (driver subscriber)', color: '#1a7f37', curve: b.wire.latency.curve },
    { label: 'page socket receive', color: '#9a6700', curve: b.receive.curve },
  ];
}

export function browserChart(s: ScenarioResult): string {
  return s.browser ? longTasksSvg(s.browser.longTasks.tasks, s.windowS, s.browser.pages) : '';
}

const ms = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(2));

export function browserFigures(b: BrowserFigures, endToEnd: ScenarioResult['latency']): RawHtml {
  const lt = b.longTasks;
  return html`<p>End to end (scheduled send → applied in the page DOM) p50 <b>${ms(endToEnd.p50)} ms</b>, p99 <b>${ms(endToEnd.p99)} ms</b>;
the same updates on the wire p50 ${ms(b.wire.latency.p50)} ms, p99 ${ms(b.wire.latency.p99)} ms (reach ${b.wire.delivery.reach === 1 ? '1' : b.wire.delivery.reach.toFixed(4)});
at the pages' sockets p50 ${ms(b.receive.p50)} ms, p99 ${ms(b.receive.p99)} ms.
${b.pages} ${b.page === 'hub' ? "page(s) of the target's /dashboard" : 'measuring page(s)'} in Chromium ${b.chromium}: ${lt.supported ? html`<b>${lt.inWindow} long task(s)</b> in the window${lt.inWindow ? ` (longest ${lt.maxMs} ms, ${lt.totalMs} ms in all)` : ''}, ${lt.outsideWindow} outside it` : 'long tasks not measurable in this browser'};
${b.framesPerS} frames/s per page; browser CPU ${b.cpuPct === null ? 'n/a' : `${Math.round(b.cpuPct)}% of a core`}; page clocks within ±${b.clock.maxErrorMs} ms.</p>
<table class="pages"><tr><th class="num">page</th><th class="num">p99 end to end ms</th><th class="num">reach</th><th class="num">long tasks</th><th class="num">frames/s</th></tr>
${b.perPage.map((p) => html`<tr><td class="num">${p.page}</td><td class="num">${ms(p.p99Ms)}</td><td class="num">${p.reach === 1 ? '1' : p.reach.toFixed(4)}</td><td class="num">${p.longTasks}</td><td class="num">${p.framesPerS}</td></tr>`)}</table>`;
}
