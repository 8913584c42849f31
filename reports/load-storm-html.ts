/**
 * The storm scenario's part of the load report (docs/storm.md): the restart, how the fleet came back
 * (reconnect and restore percentiles, spread), the events across the restart, presence, and the chart.
 * load-html.ts calls these only when a scenario has storm figures.
 */
import type { DurationFigures, StormFigures } from '../load/storm/storm-types.ts';
import { stormSvg } from './charts/storm.ts';
import { html, type RawHtml } from './html-page.ts';

export function stormChartSvg(f: StormFigures): string {
  return stormSvg(f);
}

const row = (label: string, d: DurationFigures, extra = '') =>
  html`<tr><td>${label}</td><td class="num">${d.count}</td><td class="num">${d.p50S ?? '—'}</td><td class="num">${d.p99S ?? '—'}</td><td class="num">${d.maxS ?? '—'}</td><td>${extra}</td></tr>`;

export function stormFigures(f: StormFigures): RawHtml {
  const e = f.events;
  const sp = f.spread;
  return html`<p>${f.clients} ${f.client.library} ${f.client.version} clients holding ${f.subscriptions} subscriptions (public, private, presence in ${f.groups} groups). Restart: ${f.restart.how}; stopped at ${f.restart.downAtS} s, answering again at <b>${f.restart.backAtS} s</b>.</p>
<table class="storm"><tr><th>after the hub answered again</th><th class="num">clients</th><th class="num">p50 s</th><th class="num">p99 s</th><th class="num">max s</th><th></th></tr>
${row('connection seen going (from the stop)', f.noticed)}
${row('connection up again', f.reconnect)}
${row('every subscription restored', f.restore, f.restore.unrestoredSubscriptions ? `${f.restore.unrestoredSubscriptions} subscriptions never restored` : "max is the fleet's last")}</table>
<p>Reconnects spread over ${sp.firstToLastMs ?? '—'} ms (the middle 80 % within ${sp.p10ToP90Ms ?? '—'} ms), at most ${sp.peakPerSecond} in one second${sp.lockStep ? html`: <b>the fleet came back in lock-step</b>` : ''}.</p>
<p>Events: ${e.published} published, ${e.accepted} accepted, ${e.refusedDuringOutage} refused while the hub was down or coming back, ${e.refusedOutside} refused outside it. Owed across the restart ${e.expected}, received ${e.received}, <b class="${e.lost ? 't-fail' : ''}">lost ${e.lost}</b>, duplicated ${e.duplicated}.</p>
${e.lostSamples.length ? html`<ul class="lost">${e.lostSamples.map((l) => html`<li class="t-fail">${l}</li>`)}</ul>` : ''}
<p>Presence: ${f.presence.checked} restored views checked, ${f.presence.wrong} wrong.</p>
${f.presence.samples.length ? html`<ul class="presence">${f.presence.samples.map((l) => html`<li class="t-fail">${l}</li>`)}</ul>` : ''}
`;
}
