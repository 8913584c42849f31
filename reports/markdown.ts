/**
 * Markdown for a pull request or a CI job summary (`--markdown FILE`; GitHub's `$GITHUB_STEP_SUMMARY`
 * takes it as is): the verdict line, then what a reviewer acts on — failures grouped by root cause with
 * the command that replays each, the SLO table, what was not covered. Drawn from the report model like
 * every other renderer; it decides nothing itself.
 */
import type { LoadReport } from '../load/report-types.ts';
import type { CertifyReport, SloRow } from './model/certify-report.ts';
import type { RootCauseGroup, RunFinding, RunReport } from './model/run-report.ts';
import { notCoveredCount, scenariosNotCovered, sloFigure, subjectName, verdictLabel } from './model/verdict.ts';
import { findingLines } from './lines.ts';
import { summaryLine } from './conformance-terminal.ts';

/** Rows past this many go unlisted ("and N more"), so a broken hub's summary stays readable and under GitHub's 1 MiB. */
export const MAX_MARKDOWN_ROWS = 60;

/** One failed (or known-deviation) row, as every table below prints it. */
interface MissRow {
  id: string;
  level: string;
  outcome: string;
  reason?: string;
  replay?: string;
}

export function certifyMarkdown(r: CertifyReport): string {
  const s = r.summary;
  const should =
    r.options.strict || s.should.total === 0
      ? `${s.should.passed}/${s.should.total} SHOULD passed`
      : `${s.should.total} SHOULD not run (--strict runs them)`;
  const byCase = new Map(r.requirements.flatMap((q) => q.cases.map((c) => [c, q] as const)));
  const misses = r.requirements
    .filter((q) => q.outcome === 'fail' || (r.options.strict && q.outcome === 'non-strict'))
    .map((q) => ({ id: q.id, level: q.level, outcome: q.outcome, reason: q.reason, replay: q.replay, cases: q.cases }));
  const out = [
    `## hubproof certify: ${icon(r.exitCode)} ${verdictLabel(r)} — ${cell(subjectName(r))}`,
    '',
    r.client
      ? `${s.must.passed}/${s.must.total} MUST passed · ${should} · profile ${r.client.profile}, driver \`${cell(r.client.driver)}\` · ${secs(r.durationsMs.total)} · hubproof ${r.harness.version}`
      : `${s.must.passed}/${s.must.total} MUST passed · ${should} · ${s.slo.held}/${s.slo.total} SLOs held · ${secs(r.durationsMs.total)} · seed \`${r.seeds.conformance}\` · hubproof ${r.harness.version}`,
    ...leadLines(r.findings),
    ...(r.exitCode !== 0 ? ['', `### ${r.exitCode === 1 ? 'Why not certified' : 'Why no verdict'}`, '', ...list(r.reasons)] : []),
    ...failureSections(r.groups, misses, (caseId) => byCase.get(caseId)?.id),
    ...sloSection(r.slos),
    ...(r.deviations.length ? ['', `### Known deviations (${r.deviations.length})`, '', ...list(r.deviations)] : []),
    ...(r.notCovered.length
      ? [
          '',
          `### Not covered (${notCoveredCount(r)})`,
          '',
          'Skipped or blocked, not failed — and not certified either.',
          '',
          ...list(r.notCovered),
        ]
      : []),
  ];
  return `${out.join('\n')}\n`;
}

export function conformanceMarkdown(r: RunReport): string {
  const label = r.exitCode === 0 ? 'PASS' : 'FAIL';
  const misses = r.results
    .filter((x) => x.outcome === 'fail' || x.outcome === 'non-strict')
    .map((x) => ({ id: x.id, level: x.level, outcome: x.outcome, reason: x.reason, replay: x.replay, cases: [x.id] }));
  const known = r.results.filter((x) => x.outcome === 'expected-fail' || x.outcome === 'fixed');
  const out = [
    `## hubproof conform: ${icon(r.exitCode)} ${label} — ${cell(r.target.name)}`,
    '',
    `${summaryLine(r.summary)} · ${secs(r.durationMs)} · seed \`${r.seed}\` · hubproof ${r.harness.version}`,
    ...leadLines(r.findings),
    ...failureSections(r.groups, misses, (caseId) => caseId),
    ...(known.length
      ? [
          '',
          `### Known deviations (${known.length})`,
          '',
          ...list(known.map((x) => `${x.id} ${x.outcome}: ${x.deviation?.reason ?? x.reason ?? ''}`)),
        ]
      : []),
  ];
  const skipped = r.results.filter((x) => x.level === 'MUST' && (x.outcome === 'skipped' || x.outcome === 'blocked'));
  if (skipped.length)
    out.push(
      '',
      `### Not covered (${skipped.length} MUST row(s))`,
      '',
      ...list(skipped.map((x) => `${x.id} ${x.outcome}: ${x.reason ?? 'no reason given'}`)),
    );
  return `${out.join('\n')}\n`;
}

export function loadMarkdown(r: LoadReport): string {
  const code = r.verdict === 'pass' ? 0 : r.verdict === 'fail' ? 1 : 2;
  const out = [
    `## hubproof load: ${icon(code)} ${r.verdict.toUpperCase()} — ${cell(r.target.name)}`,
    '',
    `${r.scenarios.length} scenario(s) run by ${r.generator === 'k6' ? 'k6' : r.generator === 'mixed' ? 'the Node driver and k6' : 'the Node driver'} against ${cell(r.target.http)} (hub ${r.target.hub})`,
  ];
  if (r.breaches.length || r.errors.length)
    out.push('', '### Breached', '', ...list([...r.breaches, ...r.errors.map((e) => `${e.name}: could not run — ${e.message}`)]));
  if (r.invalid.length) out.push('', '### Figures invalid (the load generator, not the hub, was the limit)', '', ...list(r.invalid));
  const slos: SloRow[] = r.scenarios.flatMap((s) =>
    s.thresholds.map((t) => ({
      ...t,
      id: `${s.name}/${t.name}`,
      scenario: s.name,
      status: s.status === 'invalid' ? 'unmeasured' : t.ok ? 'held' : 'breached',
    })),
  );
  out.push(...sloSection(slos));
  if (r.scenarios.length) {
    out.push('', '### Figures', '', '| Scenario | Status | Delivered/s | p50 ms | p99 ms | max ms | Reach | Lost | Dup | Out of order |');
    out.push('|---|---|--:|--:|--:|--:|--:|--:|--:|--:|');
    for (const s of r.scenarios)
      out.push(
        `| ${cell(s.name)} | ${s.status.toUpperCase()} | ${Math.round(s.throughput.deliveredPerS)} | ${s.latency.p50} | ${s.latency.p99} | ${s.latency.max} | ${s.delivery.reach} | ${s.delivery.lost} | ${s.delivery.duplicated} | ${s.delivery.outOfOrder} |`,
      );
  }
  const notCovered = scenariosNotCovered(r.skipped);
  const skipped = r.skipped.filter((s) => s.tool === undefined).map((s) => `${s.name} skipped: ${s.reason}`);
  if (notCovered.length || skipped.length) out.push('', '### Not covered', '', ...list([...notCovered, ...skipped]));
  return `${out.join('\n')}\n`;
}

/** Findings lead, as in the terminal: a crash before anything else. */
function leadLines(findings: readonly RunFinding[]): string[] {
  const lines = findingLines(findings);
  return lines.length ? ['', ...lines.map((l) => `> **${cell(l)}**`)] : [];
}

/**
 * One section per root-cause group (its rows that missed, each with its replay), then the misses no
 * group explains. `requirementOf` maps a group's row id to the id the `misses` are keyed by.
 */
function failureSections(
  groups: readonly RootCauseGroup[],
  misses: ReadonlyArray<MissRow & { cases: string[] }>,
  requirementOf: (caseId: string) => string | undefined,
): string[] {
  if (misses.length === 0) return [];
  const out: string[] = [];
  const shown = new Set<string>();
  let budget = MAX_MARKDOWN_ROWS;
  const table = (rows: readonly MissRow[]): string[] => {
    const listed = rows.slice(0, Math.max(0, budget));
    budget -= listed.length;
    const lines = ['| Requirement | Outcome | Reason | Replay |', '|---|---|---|---|'];
    for (const m of listed)
      lines.push(`| \`${m.id}\` (${m.level}) | ${m.outcome} | ${cell(m.reason ?? '')} | ${m.replay ? `\`${code(m.replay)}\`` : ''} |`);
    if (rows.length > listed.length) lines.push(`| and ${rows.length - listed.length} more | | see the full report | |`);
    return lines;
  };
  for (const g of groups) {
    const ids = new Set(g.cases.map(requirementOf).filter((x): x is string => x !== undefined));
    const rows = misses.filter((m) => ids.has(m.id) && !shown.has(m.id));
    if (rows.length === 0) continue;
    rows.forEach((m) => shown.add(m.id));
    out.push('', `### Root cause: ${cell(g.cause)} (${g.cases.length} row(s))`, '', ...table(rows));
  }
  const rest = misses.filter((m) => !shown.has(m.id));
  if (rest.length) out.push('', `### ${shown.size ? 'Other failures' : 'Failures'} (${rest.length})`, '', ...table(rest));
  return out;
}

function sloSection(slos: readonly SloRow[]): string[] {
  if (slos.length === 0) return [];
  const mark = { held: '✅ held', breached: '❌ breached', unmeasured: '⚠️ unmeasured' } as const;
  return [
    '',
    '### SLOs',
    '',
    '| SLO | What | Measured, required | Status |',
    '|---|---|---|---|',
    ...slos.map(
      (s) => `| \`${s.id}\` | ${cell(s.label)} | ${cell(sloFigure(s))} | ${mark[s.status]}${s.note ? ` — ${cell(s.note)}` : ''} |`,
    ),
  ];
}

function icon(exitCode: number): string {
  return exitCode === 0 ? '✅' : exitCode === 1 ? '❌' : '⚠️';
}

const list = (lines: readonly string[]): string[] => lines.map((l) => `- ${cell(l)}`);
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** Text safe inside a table cell or list item: one line, pipes escaped, HTML-looking brackets neutral. */
export function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Text for an inline code span in a table: one line, pipes escaped (GitHub splits cells on them even in code). */
function code(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|').replace(/`/g, "'");
}
