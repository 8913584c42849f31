/**
 * One-line texts every renderer shares (terminal, JUnit, HTML), so a finding, a root-cause group or a
 * blocked row reads the same everywhere.
 */
import { describeBlocker, type CaseResult } from './model/case-result.ts';
import type { RootCauseGroup, RunFinding } from './model/run-report.ts';

/**
 * The lines that lead a report: `hub crashed 2 time(s): during X after Y; during Z after W`, then one
 * line per other finding (`limit: channel names 200, Pusher 164`).
 */
export function findingLines(findings: readonly RunFinding[]): string[] {
  const crashes = findings.filter((f) => f.kind === 'crash');
  const lines = crashes.length ? [`hub crashed ${crashes.length} time(s): ${crashes.map((c) => c.text).join('; ')}`] : [];
  for (const f of findings) if (f.kind !== 'crash') lines.push(`${f.kind}: ${f.text}`);
  return lines;
}

/** `15 cases — HTTP API errors answered with status 200 (the body carries the real code)` */
export function groupLine(g: RootCauseGroup): string {
  return `${g.cases.length} case${g.cases.length === 1 ? '' : 's'} — ${g.cause}`;
}

/** Blocked rows by what blocked them, in first-seen order: `blocked by X (X#1): a#1, b#2`. */
export function blockedLines(results: readonly CaseResult[]): string[] {
  const by = new Map<string, string[]>();
  for (const r of results) {
    if (r.outcome !== 'blocked') continue;
    const key = r.blockedBy ? describeBlocker(r.blockedBy) : 'blocked';
    by.set(key, [...(by.get(key) ?? []), r.id]);
  }
  return [...by].map(([key, ids]) => `${key}: ${ids.join(', ')}`);
}

/** `listed as a known deviation (pusher/http-auth/4: replay window, see <link>)` */
export function deviationText(r: CaseResult): string {
  const d = r.deviation;
  return d ? `listed as a known deviation (${d.key}: ${d.reason}${d.link ? `, see ${d.link}` : ''})` : 'listed as a known deviation';
}
