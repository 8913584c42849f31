/**
 * The load report page: per scenario a figures table (latency beside reach, loss, duplication, order and
 * the driver's own health), the thresholds, and inline SVG charts (HDR percentile curve, throughput + p99
 * timeline, memory vs connections). One file, no scripts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadReport, ScenarioResult } from '../load/report-types.ts';
import { html, htmlPage, raw, type RawHtml } from './html-page.ts';
import { latencyCurveSvg } from './charts/latency-curve.ts';
import { memorySvg } from './charts/memory.ts';
import { timelineSvg } from './charts/timeline.ts';
import { browserChart, browserFigures, browserSeries } from './load-browser-html.ts';
import { capacityChart, capacitySection } from './load-capacity-html.ts';
import { soakChartsSvg, soakFigures } from './load-soak-html.ts';
import { stormChartSvg, stormFigures } from './load-storm-html.ts';

export const LOAD_CSS = `
.scenario { margin-top: 28px; padding-top: 8px; border-top: 2px solid var(--line); }
.charts { display: flex; flex-wrap: wrap; gap: 16px; margin: 12px 0; }
.charts svg { border: 1px solid var(--line); border-radius: 6px; background: #fff; max-width: 100%; height: auto; }
.o-invalid { background: var(--warn); } .t-invalid { color: var(--warn); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.notes li { color: var(--muted); }
`;

const fixed = (x: number, d = 2): string => (Number.isFinite(x) ? x.toFixed(d) : '—');

function figures(s: ScenarioResult): RawHtml {
  const l = s.latency;
  const d = s.delivery;
  return html`<table class="figures">
<tr><th>sent/s</th><th class="num">delivered/s</th><th class="num">p50 ms</th><th class="num">p90</th><th class="num">p99</th><th class="num">p99.9</th><th class="num">max</th><th class="num">reach</th><th class="num">lost</th><th class="num">duplicated</th><th class="num">out of order</th><th class="num">publish errors</th><th class="num">driver CPU</th><th class="num">driver lag p99</th><th class="num">hub CPU</th></tr>
<tr><td class="num">${fixed(s.throughput.sentPerS, 1)}</td><td class="num">${fixed(s.throughput.deliveredPerS, 1)}</td><td class="num">${fixed(l.p50)}</td><td class="num">${fixed(l.p90)}</td><td class="num">${fixed(l.p99)}</td><td class="num">${fixed(l.p999)}</td><td class="num">${fixed(l.max)}</td>
<td class="num">${d.reach === 1 ? '1' : fixed(d.reach, 4)}</td><td class="num">${d.lost}</td><td class="num">${d.duplicated}</td><td class="num">${d.outOfOrder}</td><td class="num">${d.publishErrors}</td>
<td class="num">${s.driver.k6 ? 'k6' : `${Math.round(s.driver.cpuShare * 100)}% of ${s.driver.cores}`}</td><td class="num">${Math.max(s.driver.mainLoopLagP99Ms, s.driver.workerLoopLagP99Ms)} ms</td><td class="num">${s.hub ? `${Math.round(s.hub.cpuPct)}% of a core` : 'n/a'}</td></tr>
</table>`;
}

function thresholds(s: ScenarioResult): RawHtml {
  if (s.thresholds.length === 0) return html`<p class="muted">No thresholds.</p>`;
  return html`<table class="thresholds"><tr><th>threshold</th><th>required</th><th>actual</th><th>result</th></tr>
${s.thresholds.map(
  (t) =>
    html`<tr class="${t.ok ? '' : 'row-fail'}"><td><code>${t.name}</code> ${t.label}</td><td>${t.comparator} ${t.limit} ${t.unit}</td><td>${t.actual === null ? 'not measured' : `${t.actual} ${t.unit}`}</td><td class="${t.ok ? 't-pass' : 't-fail'}">${t.ok ? 'ok' : 'BREACHED'}</td></tr>`,
)}</table>`;
}

export function scenarioSection(s: ScenarioResult): RawHtml {
  const perEvent = s.throughput.sent > 0 ? s.delivery.expected / s.throughput.sent : 1;
  const series = [
    {
      label: s.kind === 'agents' ? 'todo propagation' : s.browser ? 'end to end (page DOM)' : 'propagation',
      color: '#0969da',
      curve: s.latency.curve,
    },
  ];
  if (s.conflicts) series.push({ label: 'conflict resolution', color: '#8250df', curve: s.conflicts.latency.curve });
  if (s.browser) series.push(...browserSeries(s.browser));
  const limit = s.conflicts ? s.scenario.thresholds.conflictP99Ms : s.scenario.thresholds.p99Ms;
  const charts = [latencyCurveSvg(series, limit), timelineSvg(s.timeline, perEvent)];
  if (s.memory || s.kind === 'connections') charts.push(memorySvg(s.memory?.samples ?? [], s.scenario.thresholds.maxMbPer1000));
  if (s.browser) charts.push(browserChart(s));
  if (s.soak) charts.push(...soakChartsSvg(s.soak));
  if (s.storm) charts.unshift(stormChartSvg(s.storm));
  const extras: RawHtml[] = [];
  if (s.browser) extras.push(browserFigures(s.browser, s.latency));
  if (s.soak) extras.push(soakFigures(s.soak));
  if (s.storm) extras.push(stormFigures(s.storm));
  if (s.memory)
    extras.push(
      html`<p>Hub RSS ${s.memory.baselineMb} → ${s.memory.finalMb} MB for ${s.memory.connections} connections: <b>${s.memory.mbPer1000} MB per 1000</b>.</p>`,
    );
  if (s.conflicts) {
    const c = s.conflicts;
    extras.push(
      html`<p>Conflicts: ${c.bursts} bursts, ${c.received}/${c.expected} AgentConflictResolved deliveries; resolution p50 ${fixed(c.latency.p50)} ms, p99 <b>${fixed(c.latency.p99)} ms</b>, max ${fixed(c.latency.max)} ms.</p>`,
    );
  }
  if (s.capacity) {
    extras.push(capacitySection(s));
    charts.push(capacityChart(s));
  }
  if (s.nodes) {
    extras.push(html`<p>Per node (subscribers spread over the cluster's nodes, every event published through node 1):</p>
<table class="nodes"><tr><th>node</th><th class="num">subscribers</th><th class="num">p50 ms</th><th class="num">p99</th><th class="num">max</th><th class="num">reach</th><th class="num">lost</th><th class="num">duplicated</th></tr>
${s.nodes.map((n) => html`<tr><td>node ${n.node} <code>${n.ws}</code></td><td class="num">${n.subscribers}</td><td class="num">${fixed(n.latency.p50)}</td><td class="num">${fixed(n.latency.p99)}</td><td class="num">${fixed(n.latency.max)}</td><td class="num">${n.delivery.reach === 1 ? '1' : fixed(n.delivery.reach, 4)}</td><td class="num">${n.delivery.lost}</td><td class="num">${n.delivery.duplicated}</td></tr>`)}</table>`);
  }
  return html`<section class="scenario" id="${s.name}">
<h2>${s.name} <span class="badge o-${s.status}">${s.status}</span></h2>
<p class="muted">${s.description}. ${s.subscribers} subscribers, ${s.windowS} s measured after ${s.scenario.warmupS} s warm-up, target ${s.throughput.targetRate}/s.</p>
${figures(s)}
${extras}
<div class="charts">${raw(charts.join(''))}</div>
${thresholds(s)}
${s.notes.length ? html`<ul class="notes">${s.notes.map((n) => html`<li>${n}</li>`)}</ul>` : ''}
</section>`;
}

export function renderLoadHtml(report: LoadReport): string {
  const body = html`<div class="cards">
<div class="card"><div class="l">verdict</div><div class="n t-${report.verdict}">${report.verdict.toUpperCase()}</div></div>
<div class="card"><div class="l">scenarios</div><div class="n">${report.scenarios.length}</div></div>
<div class="card"><div class="l">breaches</div><div class="n">${report.breaches.length}</div></div>
<div class="card"><div class="l">generator</div><div class="n">${report.generator === 'node' ? `${report.driver.cores} cores` : report.generator}</div></div>
</div>
${report.breaches.length ? html`<h2>Thresholds breached</h2><ul>${report.breaches.map((b) => html`<li class="t-fail">${b}</li>`)}</ul>` : ''}
${report.invalid.length ? html`<h2>Figures invalid</h2><p>The load generator, not the hub, was the limit:</p><ul>${report.invalid.map((b) => html`<li class="t-invalid">${b}</li>`)}</ul>` : ''}
${report.errors.map((e) => html`<p class="t-fail">${e.name}: could not run — ${e.message}</p>`)}
${report.skipped.map((e) => html`<p class="muted">${e.name}: skipped — ${e.reason}</p>`)}
${report.scenarios.map(scenarioSection)}`;
  return htmlPage({
    title: `hubproof load — ${report.target.name}`,
    meta: `${report.generatedAt} · ${report.target.http} · hub ${report.target.hub} · generator ${report.generator} · ${report.generator === 'node' ? `Node ${report.driver.node}` : report.driver.node}${report.mergedFrom ? ` · merged from ${report.mergedFrom.length} reports` : ''}`,
    body,
    css: LOAD_CSS,
  });
}

/** Writes `<dir>/load.html` and returns its path. */
export function writeLoadHtml(dir: string, report: LoadReport): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'load.html');
  writeFileSync(file, renderLoadHtml(report));
  return file;
}
