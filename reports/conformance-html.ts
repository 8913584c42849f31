/**
 * The conformance report a person reads: summary counts, one row per requirement with its outcome,
 * every failure with Expected / Actual and the replay command, and each case's wire log folded away.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requirementById } from '../spec/requirements/index.ts';
import type { RunReport } from '../conformance/runner.ts';
import type { CaseResult, Outcome } from '../conformance/types.ts';
import { OUTCOMES } from '../conformance/progress.ts';
import { html, htmlPage, type RawHtml } from './html-page.ts';

/** A requirement's outcome is its worst case's. */
const SEVERITY: readonly Outcome[] = ['fail', 'non-strict', 'pass', 'informational', 'unimplemented', 'skipped'];
export function requirementOutcome(results: readonly CaseResult[]): Outcome {
  for (const o of SEVERITY) if (results.some((r) => r.outcome === o)) return o;
  return 'skipped';
}

const badge = (o: Outcome): RawHtml => html`<span class="badge o-${o}">${o}</span>`;

function summaryCards(report: RunReport): RawHtml {
  const cards = OUTCOMES.map((o) => html`<div class="card"><div class="n t-${o}">${report.summary[o]}</div><div class="l">${o}</div></div>`);
  return html`<div class="cards" id="summary"><div class="card"><div class="n">${report.summary.total}</div><div class="l">cases</div></div>${cards}</div>`;
}

function requirementTable(report: RunReport): RawHtml {
  const byReq = new Map<string, CaseResult[]>();
  for (const r of report.results) byReq.set(r.requirement, [...(byReq.get(r.requirement) ?? []), r]);
  const rows = [...byReq].map(([id, results]) => {
    const outcome = requirementOutcome(results);
    const req = requirementById(id);
    const cases = results.map((r) => html`<a href="#${anchor(r.id)}" class="mono">${r.id.slice(id.length)}</a> `);
    return html`<tr class="req-row row-${outcome}" data-outcome="${outcome}"><td class="mono">${id}</td><td>${results[0]!.level}</td><td>${req?.text ?? '(not in the registry)'}</td><td>${badge(outcome)}</td><td>${cases}</td></tr>`;
  });
  return html`<table id="requirements"><thead><tr><th>Requirement</th><th>Level</th><th>Rule</th><th>Outcome</th><th>Cases</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function failureSection(report: RunReport): RawHtml {
  const failed = report.results.filter((r) => r.outcome === 'fail' || r.outcome === 'non-strict');
  if (failed.length === 0) return html`<p class="muted">No requirement failed.</p>`;
  return html`${failed.map(
    (r) => html`<div class="failure" id="fail-${anchor(r.id)}">
<h3 class="mono">${badge(r.outcome)} ${r.id}</h3>
<p>${r.desc}</p>
<p class="muted">${requirementById(r.requirement)?.text ?? ''}</p>
<pre>Expected: ${r.expected ?? '(see requirement)'}
Actual:   ${r.actual ?? r.reason ?? ''}${r.counterexample !== undefined ? `\nCounterexample: ${JSON.stringify(r.counterexample)}` : ''}</pre>
${r.replay ? html`<div>Replay: <code>${r.replay}</code></div>` : ''}
</div>`,
  )}`;
}

function wireLog(r: CaseResult): RawHtml {
  if (r.wire.length === 0) return html`<div class="muted">no wire log kept</div>`;
  const lines = r.wire.map((w) => `${w.t.toFixed(1).padStart(8)} ms  ${w.dir.padEnd(5)} ${w.conn.padEnd(8)} ${w.text}`).join('\n');
  return html`<details><summary>wire log (${r.wire.length} entries)</summary><pre>${lines}</pre></details>`;
}

function caseTable(report: RunReport): RawHtml {
  const rows = report.results.map(
    (r) => html`<tr id="${anchor(r.id)}" class="row-${r.outcome}"><td class="mono">${r.id}</td><td>${badge(r.outcome)}</td><td>${r.desc}${r.reason && r.outcome !== 'pass' ? html`<div class="muted">${r.reason}</div>` : ''}${wireLog(r)}</td><td>${r.durationMs}&nbsp;ms</td></tr>`,
  );
  return html`<table id="cases"><thead><tr><th>Case</th><th>Outcome</th><th>What the harness did</th><th>Time</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function anchor(id: string): string {
  return `case-${id.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

export function conformanceHtml(report: RunReport): string {
  const verdict = report.exitCode === 0 ? 'no MUST failed' : `${report.summary.fail} MUST failure(s)`;
  const meta = html`Target <b>${report.target.name}</b>${report.target.embedded ? ' (embedded reference hub)' : ''} · profiles ${report.target.profiles.join(', ')} · ${report.harness.name} ${report.harness.version} · seed <span class="mono">${report.seed}</span> · ${report.startedAt} · ${(report.durationMs / 1000).toFixed(1)} s · <b>${verdict}</b>`;
  const body = html`<section>${summaryCards(report)}</section>
${report.warnings.length ? html`<h2>Warnings</h2><ul>${report.warnings.map((w) => html`<li>${w}</li>`)}</ul>` : ''}
<h2>Requirements</h2>
${requirementTable(report)}
<h2>Failures</h2>
${failureSection(report)}
<h2>Cases</h2>
${caseTable(report)}`;
  return htmlPage({ title: `hubproof conformance — ${report.target.name}`, meta, body, css: CSS });
}

const CSS = `
.failure { border-left: 4px solid var(--fail); padding: 4px 12px; margin: 12px 0; background: #fffafa; }
.failure h3 { margin: 6px 0; font-size: 14px; }
#requirements td:nth-child(3) { max-width: 640px; }
`;

/** Writes `dir/index.html`; returns its path. */
export function writeConformanceHtml(report: RunReport, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'index.html');
  writeFileSync(file, conformanceHtml(report));
  return file;
}
