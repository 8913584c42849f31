/**
 * One-line texts every renderer shares (terminal, JUnit, HTML), so a finding, a root-cause group or a
 * blocked row reads the same everywhere.
 */
import { describeBlocker, type CaseResult } from './model/case-result.ts';
import { blockedTree, type BlockedNode } from './model/root-causes.ts';
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

/**
 * Blocked rows as a tree, each unmet requirement once with the rows it blocked under it (indented two
 * spaces a level): `pusher/heartbeat/3 (SHOULD, non-strict: no ping within 125 s)` then
 * `  pusher/heartbeat/4#1 — blocked by pusher/heartbeat/3: …`, then what heartbeat/4 blocked in turn.
 */
export function blockedLines(results: readonly CaseResult[]): string[] {
  const lines: string[] = [];
  const walk = (n: BlockedNode, depth: number) => {
    const pad = '  '.repeat(depth);
    const crash = results.some((r) => r.blockedBy?.kind === 'crash' && r.blockedBy.id === n.blocker);
    const head = crash
      ? describeBlocker({ kind: 'crash', id: n.blocker })
      : n.row
        ? `${n.blocker} (${n.row.level}, ${n.row.outcome}${n.row.reason ? `: ${clip(n.row.reason, 140)}` : ''})`
        : `${n.blocker} (not run in this selection)`;
    if (depth === 0) lines.push(head);
    for (const d of n.dependants) {
      lines.push(`${pad}  ${d.row.id}${d.row.reason ? ` — ${clip(d.row.reason, 160)}` : ''}`);
      for (const b of d.below) walk(b, depth + 1);
    }
  };
  for (const root of blockedTree(results)) walk(root, 0);
  return lines;
}

function clip(text: string, n: number): string {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}

/** `listed as a known deviation (pusher/http-auth/4: replay window, see <link>)` */
export function deviationText(r: CaseResult): string {
  const d = r.deviation;
  return d ? `listed as a known deviation (${d.key}: ${d.reason}${d.link ? `, see ${d.link}` : ''})` : 'listed as a known deviation';
}
