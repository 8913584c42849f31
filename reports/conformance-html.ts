/**
 * The conformance report a person reads: the run's findings first, summary counts, root causes, one row
 * per requirement with its outcome, every failure with Expected / Actual and the replay command, known
 * deviations, and each case's wire log folded away. It renders the report model; it decides nothing.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requirementById } from '../spec/requirements/index.ts';
import type { CaseResult } from './model/case-result.ts';
import { CORE_OUTCOMES, OUTCOMES, type Outcome } from './model/outcomes.ts';
import { requirementRows } from './model/requirement-rows.ts';
import type { RunReport } from './model/run-report.ts';
import { html, htmlPage, type RawHtml } from './html-page.ts';
import { blockedLines, deviationText, findingLines, groupLine } from './lines.ts';

export const badge = (o: Outcome): RawHtml => html`<span class="badge o-${o}">${o}</span>`;

/** Findings lead the report: a crash in red, other findings as notes. */
export function findingsSection(report: Pick<RunReport, 'findings'>): RawHtml {
  if (report.findings.length === 0) return html``;
  const failing = report.findings.some((f) => f.severity === 'fail');
  return html`<div id="findings" class="findings${failing ? '' : ' info'}">${findingLines(report.findings).map((l) => html`<div>${l}</div>`)}</div>`;
}

/** The blocked rows as the terminal shows them: each unmet requirement once, its dependants indented under it. */
export function blockedSection(report: Pick<RunReport, 'results'>): RawHtml {
  const lines = blockedLines(report.results);
  if (lines.length === 0) return html``;
  return html`<h2>Blocked, not judged</h2><pre id="blocked" class="mono">${lines.join('\n')}</pre>`;
}

export function groupsSection(report: Pick<RunReport, 'groups'>): RawHtml {
  if (report.groups.length === 0) return html``;
  const items = report.groups.map(
    (g) =>
      html`<li><b>${groupLine(g)}</b><div class="mono muted">${g.cases.map((id) => html`<a href="#${anchor(id)}">${id}</a> `)}</div></li>`,
  );
  return html`<h2>Root causes</h2><ul id="groups">${items}</ul>`;
}

function summaryCards(report: RunReport): RawHtml {
  const shown = OUTCOMES.filter((o) => CORE_OUTCOMES.includes(o) || report.summary[o] > 0);
  const cards = shown.map((o) => html`<div class="card"><div class="n t-${o}">${report.summary[o]}</div><div class="l">${o}</div></div>`);
  return html`<div class="cards" id="summary"><div class="card"><div class="n">${report.summary.total}</div><div class="l">cases</div></div>${cards}</div>`;
}

function requirementTable(report: RunReport): RawHtml {
  const rows = requirementRows(report.results).map((row) => {
    const cases = row.cases.map((id) => html`<a href="#${anchor(id)}" class="mono">${id.slice(row.id.length)}</a> `);
    return html`<tr class="req-row row-${row.outcome}" data-outcome="${row.outcome}"><td class="mono">${row.id}</td><td>${row.level}</td><td>${row.text}</td><td>${badge(row.outcome)}</td><td>${cases}</td></tr>`;
  });
  return html`<table id="requirements"><thead><tr><th>Requirement</th><th>Level</th><th>Rule</th><th>Outcome</th><th>Cases</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function failureCard(r: CaseResult): RawHtml {
  return html`<div class="failure${r.outcome === 'expected-fail' ? ' known' : ''}" id="fail-${anchor(r.id)}">
<h3 class="mono">${badge(r.outcome)} ${r.id}</h3>
<p>${r.desc}</p>
<p class="muted">${requirementById(r.requirement)?.text ?? ''}</p>
${r.outcome === 'expected-fail' ? html`<p class="t-expected-fail">${deviationText(r)}</p>` : ''}
<pre>Expected: ${r.expected ?? '(see requirement)'}
Actual:   ${r.actual ?? r.reason ?? ''}${r.counterexample !== undefined ? `\nCounterexample: ${JSON.stringify(r.counterexample)}` : ''}</pre>
${r.replay ? html`<div>Replay: <code>${r.replay}</code></div>` : ''}
</div>`;
}

function failureSection(report: RunReport): RawHtml {
  const failed = report.results.filter((r) => r.outcome === 'fail' || r.outcome === 'non-strict');
  const fixed = report.results.filter((r) => r.outcome === 'fixed');
  const known = report.results.filter((r) => r.outcome === 'expected-fail');
  const fixedList = fixed.length
    ? html`<ul id="fixed">${fixed.map((r) => html`<li class="t-fixed"><a href="#${anchor(r.id)}" class="mono">${r.id}</a> ${deviationText(r)}, but it passed: remove it from the list</li>`)}</ul>`
    : '';
  return html`${failed.length ? failed.map(failureCard) : html`<p class="muted">No requirement failed.</p>`}
${fixedList}
${known.length ? html`<h2>Known deviations</h2>${known.map(failureCard)}` : ''}`;
}

function wireLog(r: CaseResult): RawHtml {
  if (r.sameRunAs)
    return html`<div class="muted">wire log with <a href="#${anchor(r.sameRunAs)}" class="mono">${r.sameRunAs}</a> (same run)</div>`;
  if (r.wire.length === 0) return html`<div class="muted">no wire log kept</div>`;
  const lines = r.wire.map((w) => `${w.t.toFixed(1).padStart(8)} ms  ${w.dir.padEnd(5)} ${w.conn.padEnd(8)} ${w.text}`).join('\n');
  return html`<details><summary>wire log (${r.wire.length} entries)</summary><pre>${lines}</pre></details>`;
}

function caseTable(report: RunReport): RawHtml {
  const rows = report.results.map(
    (r) =>
      html`<tr id="${anchor(r.id)}" class="row-${r.outcome}"><td class="mono">${r.id}</td><td>${badge(r.outcome)}</td><td>${r.desc}${r.reason && r.outcome !== 'pass' ? html`<div class="muted">${r.reason}</div>` : ''}${wireLog(r)}</td><td>${r.durationMs}&nbsp;ms</td></tr>`,
  );
  return html`<table id="cases"><thead><tr><th>Case</th><th>Outcome</th><th>What the harness did</th><th>Time</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function anchor(id: string): string {
  return `case-${id.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

export function conformanceHtml(report: RunReport): string {
  const verdict = report.exitCode === 0 ? 'no MUST failed' : `${report.summary.fail} MUST failure(s)`;
  // A client run's hub is hubproof's own; when it answers GET /api/hub (the sync API), say what it advertised.
  const played = report.hub
    ? html`${report.hub.name}, which advertised a heartbeat every ${report.hub.timings.heartbeat_interval_ms} ms and activity_timeout ${report.hub.timings.activity_timeout_s} s`
    : 'hubproof’s scripted hub';
  const subject = report.client
    ? html`Client <b>${report.client.library} ${report.client.version}</b> (driver ${report.client.driver}) against ${played}`
    : html`Target <b>${report.target.name}</b>${report.target.embedded ? ' (embedded reference hub)' : ''} · profiles ${report.target.profiles.join(', ')}`;
  const seed = report.client ? '' : html` · seed <span class="mono">${report.seed}</span>`;
  const meta = html`${subject} · ${report.harness.name} ${report.harness.version}${seed} · ${report.startedAt} · ${(report.durationMs / 1000).toFixed(1)} s · <b>${verdict}</b>`;
  const body = html`${findingsSection(report)}<section>${summaryCards(report)}</section>
${report.warnings.length ? html`<h2>Warnings</h2><ul>${report.warnings.map((w) => html`<li>${w}</li>`)}</ul>` : ''}
${groupsSection(report)}
${blockedSection(report)}
<h2>Requirements</h2>
${requirementTable(report)}
<h2>Failures</h2>
${failureSection(report)}
<h2>Cases</h2>
${caseTable(report)}`;
  return htmlPage({ title: `hubproof ${report.client ? 'client' : 'conformance'} — ${report.target.name}`, meta, body, css: CSS });
}

const CSS = `
.failure { border-left: 4px solid var(--fail); padding: 4px 12px; margin: 12px 0; background: #fffafa; }
.failure.known { border-left-color: var(--xfail); background: var(--panel); }
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
