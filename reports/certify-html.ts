/**
 * The certificate a person reads: the verdict and why, a matrix of requirement sections (MUST / SHOULD)
 * and SLOs, then the conformance report and the load report with its charts. The last two are the pages
 * reports/conformance-html.ts and reports/load-html.ts render, embedded, so the three never drift apart.
 */
import type { LoadReport } from '../load/report-types.ts';
import { anchor, badge, conformanceHtml, findingsSection, groupsSection } from './conformance-html.ts';
import { BASE_CSS, html, htmlPage, raw, type RawHtml } from './html-page.ts';
import { renderLoadHtml } from './load-html.ts';
import type { CertifyReport } from './model/certify-report.ts';
import { sectionRows, type LevelCount, type RequirementRow } from './model/requirement-rows.ts';
import type { RunReport } from './model/run-report.ts';
import { subjectName, verdictLabel } from './model/verdict.ts';

/** The `<main>` body and the page's own CSS (without the shared base sheet) of a page from htmlPage(). */
export function pageParts(page: string): { body: string; css: string } {
  const body = /<main>\n?([\s\S]*)<\/main>/.exec(page)?.[1] ?? '';
  const style = /<style>([\s\S]*?)<\/style>/.exec(page)?.[1] ?? '';
  return { body, css: style.startsWith(BASE_CSS) ? style.slice(BASE_CSS.length) : style };
}

/** The CSS class of each verdict (badge colours). */
export const VERDICT_CLASS = {
  certified: 'pass',
  'conformant-with-deviations': 'expected-fail',
  'not-certified': 'fail',
  inconclusive: 'non-strict',
} as const;

function levelCell(c: LevelCount): RawHtml {
  if (c.total === 0) return html`<span class="muted">–</span>`;
  if (c.notRun) return html`<span class="muted">not run</span>`;
  return html`<span class="${c.missed ? 't-fail' : c.passed === c.total ? 't-pass' : 'muted'}">${c.passed}/${c.total}</span>`;
}

function sectionMatrix(rows: readonly RequirementRow[]): RawHtml {
  const body = sectionRows(rows).map(
    (s) =>
      html`<tr class="row-${s.outcome}"><td class="mono">${s.section}</td><td>${levelCell(s.MUST)}</td><td>${levelCell(s.SHOULD)}</td><td>${levelCell(s.MAY)}</td><td>${badge(s.outcome)}</td><td class="mono">${s.missed.map((r) => html`<a href="#fail-${anchor(r.worstCase)}">${r.id}</a> `)}</td></tr>`,
  );
  return html`<table id="certify-matrix"><thead><tr><th>Section</th><th>MUST passed</th><th>SHOULD passed</th><th>MAY passed</th><th>Result</th><th>Failed</th></tr></thead><tbody>${body}</tbody></table>`;
}

function sloTable(report: CertifyReport): RawHtml {
  if (report.slos.length === 0) return html`<p class="muted">No SLO was measured.</p>`;
  const cls = { held: 'pass', breached: 'fail', unmeasured: 'non-strict' } as const;
  const rows = report.slos.map(
    (s) =>
      html`<tr class="row-${cls[s.status]}"><td><a href="#${s.scenario}">${s.scenario}</a></td><td><code>${s.name}</code> ${s.label}</td><td>${s.comparator} ${s.limit} ${s.unit}</td><td>${s.actual === null ? 'not measured' : `${s.actual} ${s.unit}`}</td><td><span class="badge o-${cls[s.status]}">${s.status}</span>${s.note ? html`<div class="muted">${s.note}</div>` : ''}</td><td class="mono">${(s.requirements ?? []).join(' ') || '-'}</td></tr>`,
  );
  return html`<table id="certify-slos"><thead><tr><th>Scenario</th><th>SLO</th><th>Required</th><th>Actual</th><th>Result</th><th>Certifies</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** `load` undefined: a client's certificate (`hubproof certify --client`), which has no load part. */
export function certifyHtml(report: CertifyReport, conformance: RunReport, load?: LoadReport): string {
  // Wire logs of passing cases would make the page megabytes; failures keep theirs (`hubproof conform --html` has all).
  // Findings and root causes lead the certificate itself, so the embedded conformance part leaves them out.
  const results = conformance.results.map((r) => (r.outcome === 'pass' ? { ...r, wire: [] } : r));
  const conf = pageParts(conformanceHtml({ ...conformance, findings: [], groups: [], results }));
  const ld = load ? pageParts(renderLoadHtml(load)) : { body: '', css: '' };
  const s = report.summary;
  const v = VERDICT_CLASS[report.verdict];
  const meta = report.client
    ? clientMeta(report)
    : html`Hub <b>${report.hub.name}</b>${report.hub.embedded ? ' (embedded reference hub)' : ''}${report.hub.info ? ` ${report.hub.info.version}, spec ${report.hub.info.spec_version}` : ''} · profiles ${report.hub.profiles.join(', ')} · ${report.harness.name} ${report.harness.version} · seed <span class="mono">${report.seeds.conformance}</span> · ${report.startedAt} · ${(report.durationsMs.total / 1000).toFixed(1)} s (conformance ${(report.durationsMs.conformance / 1000).toFixed(1)} s, load ${(report.durationsMs.load / 1000).toFixed(1)} s)`;
  const body = html`${findingsSection(report)}<div class="cards">
<div class="card"><div class="l">verdict</div><div class="n t-${v}">${verdictLabel(report)}</div></div>
<div class="card"><div class="l">MUST passed</div><div class="n">${s.must.passed}/${s.must.total}</div></div>
<div class="card"><div class="l">SHOULD passed</div><div class="n">${s.should.other === s.should.total ? 'not run' : `${s.should.passed}/${s.should.total}`}</div>${s.should.other ? html`<div class="l">${s.should.other} ${report.options.strict ? 'informational or skipped' : 'not run (no --strict)'}</div>` : ''}</div>
${report.client ? '' : html`<div class="card"><div class="l">SLOs held</div><div class="n">${s.slo.held}/${s.slo.total}</div></div>`}
<div class="card"><div class="l">exit code</div><div class="n">${report.exitCode}</div></div>
</div>
${report.deviations.length ? html`<h2>Known deviations</h2><ul>${report.deviations.map((d) => html`<li class="t-expected-fail">${d}</li>`)}</ul>` : ''}
${report.reasons.length ? html`<h2>${report.verdict === 'inconclusive' ? 'Why inconclusive' : 'Why not certified'}</h2><ul>${report.reasons.map((r) => html`<li class="t-${v}">${r}</li>`)}</ul>` : ''}
${report.notCovered.length ? html`<h2>Not covered by this run</h2><p class="muted">${report.client ? 'These MUST requirements were skipped (the harness lacked a tool, e.g. Chromium for a dashboard page) or blocked by another requirement the client did not meet: not failed, not certified either.' : "These MUST requirements were skipped because of the target, or blocked by another requirement the hub did not meet, and these load scenarios lacked a tool on the harness's side: not failed, not certified either. Give the target what they need (e.g. <code>restart.command</code>), or install the tool named, to cover them."}</p><ul>${report.notCovered.map((r) => html`<li>${r}</li>`)}</ul>` : ''}
<h2>Requirement matrix</h2>
${sectionMatrix(report.requirements)}
${groupsSection(report)}
${
  load
    ? html`<h2>Service levels (load, ${report.options.loadDurationS ?? '?'} s per scenario)</h2>
${sloTable(report)}`
    : ''
}
<section class="part"><h2 class="part-title">Conformance</h2>${raw(conf.body)}</section>
${load ? html`<section class="part"><h2 class="part-title">Load</h2>${raw(ld.body)}</section>` : ''}`;
  return htmlPage({ title: `hubproof certify — ${subjectName(report)}`, meta, body, css: `${conf.css}\n${ld.css}\n${CSS}` });
}

function clientMeta(report: CertifyReport): RawHtml {
  const c = report.client!;
  return html`Client <b>${subjectName(report)}</b> (driver <span class="mono">${c.driver}</span>) · profile ${c.profile} · judged against ${report.hub.name} (one per case) · ${report.harness.name} ${report.harness.version} · ${report.startedAt} · ${(report.durationsMs.total / 1000).toFixed(1)} s`;
}

const CSS = `
.part { margin-top: 40px; border-top: 3px solid var(--fg); }
.part-title { font-size: 19px; }
#certify-matrix td, #certify-slos td { white-space: nowrap; }
`;
