/**
 * The certificate a person reads: the verdict and why, a matrix of requirement sections (MUST / SHOULD)
 * and SLOs, then the conformance report and the load report with its charts. The last two are the pages
 * reports/conformance-html.ts and reports/load-html.ts render, embedded, so the three never drift apart.
 */
import type { RunReport } from '../conformance/runner.ts';
import type { LoadReport } from '../load/report-types.ts';
import type { Outcome } from '../conformance/types.ts';
import { conformanceHtml } from '../reports/conformance-html.ts';
import { BASE_CSS, html, htmlPage, raw, type RawHtml } from '../reports/html-page.ts';
import { renderLoadHtml } from '../reports/load-html.ts';
import type { CertifyReport, RequirementRow } from './certify-types.ts';

/** The `<main>` body and the page's own CSS (without the shared base sheet) of a page from htmlPage(). */
export function pageParts(page: string): { body: string; css: string } {
  const body = /<main>\n?([\s\S]*)<\/main>/.exec(page)?.[1] ?? '';
  const style = /<style>([\s\S]*?)<\/style>/.exec(page)?.[1] ?? '';
  return { body, css: style.startsWith(BASE_CSS) ? style.slice(BASE_CSS.length) : style };
}

const VERDICT_CLASS = { certified: 'pass', 'not-certified': 'fail', inconclusive: 'non-strict' } as const;

/** fail / non-strict when a requirement missed; pass when every MUST passed (unrun SHOULDs do not count); else why nothing ran. */
function sectionStatus(rs: readonly RequirementRow[]): Outcome {
  if (rs.some((r) => r.outcome === 'fail')) return 'fail';
  if (rs.some((r) => r.outcome === 'non-strict')) return 'non-strict';
  const must = rs.filter((r) => r.level === 'MUST');
  if (rs.some((r) => r.outcome === 'pass') && must.every((r) => r.outcome === 'pass')) return 'pass';
  for (const o of ['unimplemented', 'informational', 'skipped'] as const) if (rs.some((r) => r.outcome === o)) return o;
  return 'pass';
}

function sectionMatrix(rows: readonly RequirementRow[]): RawHtml {
  const sections = new Map<string, RequirementRow[]>();
  for (const r of rows) sections.set(r.section, [...(sections.get(r.section) ?? []), r]);
  const count = (rs: RequirementRow[], level: string) => {
    const of = rs.filter((r) => r.level === level);
    if (of.length === 0) return html`<span class="muted">–</span>`;
    if (of.every((r) => r.outcome === 'skipped')) return html`<span class="muted">not run</span>`;
    const ok = of.filter((r) => r.outcome === 'pass').length;
    const bad = of.filter((r) => r.outcome === 'fail' || r.outcome === 'non-strict').length;
    return html`<span class="${bad ? 't-fail' : ok === of.length ? 't-pass' : 'muted'}">${ok}/${of.length}</span>`;
  };
  const body = [...sections].map(([section, rs]) => {
    const failed = rs.filter((r) => r.outcome === 'fail' || r.outcome === 'non-strict');
    const status = sectionStatus(rs);
    return html`<tr class="row-${status}"><td class="mono">${section}</td><td>${count(rs, 'MUST')}</td><td>${count(rs, 'SHOULD')}</td><td>${count(rs, 'MAY')}</td><td><span class="badge o-${status}">${status}</span></td><td class="mono">${failed.map((r) => html`<a href="#fail-case-${r.worstCase.replace(/[^A-Za-z0-9_-]/g, '-')}">${r.id}</a> `)}</td></tr>`;
  });
  return html`<table id="certify-matrix"><thead><tr><th>Section</th><th>MUST passed</th><th>SHOULD passed</th><th>MAY passed</th><th>Result</th><th>Failed</th></tr></thead><tbody>${body}</tbody></table>`;
}

function sloTable(report: CertifyReport): RawHtml {
  if (report.slos.length === 0) return html`<p class="muted">No SLO was measured.</p>`;
  const cls = { held: 'pass', breached: 'fail', unmeasured: 'non-strict' } as const;
  const rows = report.slos.map(
    (s) => html`<tr class="row-${cls[s.status]}"><td><a href="#${s.scenario}">${s.scenario}</a></td><td><code>${s.name}</code> ${s.label}</td><td>${s.comparator} ${s.limit} ${s.unit}</td><td>${s.actual === null ? 'not measured' : `${s.actual} ${s.unit}`}</td><td><span class="badge o-${cls[s.status]}">${s.status}</span>${s.note ? html`<div class="muted">${s.note}</div>` : ''}</td><td class="mono">${(s.requirements ?? []).join(' ') || '-'}</td></tr>`,
  );
  return html`<table id="certify-slos"><thead><tr><th>Scenario</th><th>SLO</th><th>Required</th><th>Actual</th><th>Result</th><th>Certifies</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function certifyHtml(report: CertifyReport, conformance: RunReport, load: LoadReport): string {
  // Wire logs of passing cases would make the page megabytes; failures keep theirs (`hubproof conform --html` has all).
  const conf = pageParts(conformanceHtml({ ...conformance, results: conformance.results.map((r) => (r.outcome === 'pass' ? { ...r, wire: [] } : r)) }));
  const ld = pageParts(renderLoadHtml(load));
  const s = report.summary;
  const v = VERDICT_CLASS[report.verdict];
  const meta = html`Hub <b>${report.hub.name}</b>${report.hub.embedded ? ' (embedded reference hub)' : ''}${report.hub.info ? ` ${report.hub.info.version}, spec ${report.hub.info.spec_version}` : ''} · profiles ${report.hub.profiles.join(', ')} · ${report.harness.name} ${report.harness.version} · seed <span class="mono">${report.seeds.conformance}</span> · ${report.startedAt} · ${(report.durationsMs.total / 1000).toFixed(1)} s (conformance ${(report.durationsMs.conformance / 1000).toFixed(1)} s, load ${(report.durationsMs.load / 1000).toFixed(1)} s)`;
  const body = html`<div class="cards">
<div class="card"><div class="l">verdict</div><div class="n t-${v}">${report.verdict.toUpperCase()}</div></div>
<div class="card"><div class="l">MUST passed</div><div class="n">${s.must.passed}/${s.must.total}</div></div>
<div class="card"><div class="l">SHOULD passed</div><div class="n">${s.should.other === s.should.total ? 'not run' : `${s.should.passed}/${s.should.total}`}</div>${s.should.other ? html`<div class="l">${s.should.other} ${report.options.strict ? 'informational or skipped' : 'not run (no --strict)'}</div>` : ''}</div>
<div class="card"><div class="l">SLOs held</div><div class="n">${s.slo.held}/${s.slo.total}</div></div>
<div class="card"><div class="l">exit code</div><div class="n">${report.exitCode}</div></div>
</div>
${report.reasons.length ? html`<h2>${report.verdict === 'inconclusive' ? 'Why inconclusive' : 'Why not certified'}</h2><ul>${report.reasons.map((r) => html`<li class="t-${v}">${r}</li>`)}</ul>` : ''}
${report.notCovered.length ? html`<h2>Not covered by this run</h2><p class="muted">These MUST requirements were skipped because of the target, not failed; give the target what they need (e.g. <code>restart.command</code>) to cover them.</p><ul>${report.notCovered.map((r) => html`<li>${r}</li>`)}</ul>` : ''}
<h2>Requirement matrix</h2>
${sectionMatrix(report.requirements)}
<h2>Service levels (load, ${report.options.loadDurationS ?? '?'} s per scenario)</h2>
${sloTable(report)}
<section class="part"><h2 class="part-title">Conformance</h2>${raw(conf.body)}</section>
<section class="part"><h2 class="part-title">Load</h2>${raw(ld.body)}</section>`;
  return htmlPage({ title: `hubproof certify — ${report.hub.name}`, meta, body, css: `${conf.css}\n${ld.css}\n${CSS}` });
}

const CSS = `
.part { margin-top: 40px; border-top: 3px solid var(--fg); }
.part-title { font-size: 19px; }
#certify-matrix td, #certify-slos td { white-space: nowrap; }
`;
