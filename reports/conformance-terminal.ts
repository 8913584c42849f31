/**
 * What a person sees while the suite runs: one line per result row (symbols on a terminal, words in
 * CI), then the run's findings and root causes, every failure with its requirement, Expected:, Actual:
 * and a replay command, known deviations and blocked rows, then the counts.
 */
import type { Requirement } from '../spec/requirements/types.ts';
import type { CaseResult } from './model/case-result.ts';
import type { Outcome } from './model/outcomes.ts';
import type { RunReport, Summary } from './model/run-report.ts';
import { blockedLines, deviationText, findingLines, groupLine } from './lines.ts';

const SYMBOL: Record<Outcome, string> = {
  pass: '✓',
  fail: '✗',
  'non-strict': '!',
  skipped: '-',
  unimplemented: '○',
  informational: 'i',
  blocked: '⊘',
  'expected-fail': 'x',
  fixed: '★',
};
const WORD: Record<Outcome, string> = {
  pass: 'PASS',
  fail: 'FAIL',
  'non-strict': 'NONSTRICT',
  skipped: 'SKIP',
  unimplemented: 'UNIMPL',
  informational: 'INFO',
  blocked: 'BLOCKED',
  'expected-fail': 'XFAIL',
  fixed: 'FIXED',
};
const COLOR: Record<Outcome, string> = {
  pass: '\x1b[32m',
  fail: '\x1b[31m',
  'non-strict': '\x1b[33m',
  skipped: '\x1b[90m',
  unimplemented: '\x1b[36m',
  informational: '\x1b[34m',
  blocked: '\x1b[35m',
  'expected-fail': '\x1b[33m',
  fixed: '\x1b[1;32m',
};

export interface ProgressStyle {
  /** Plain words, no colour (CI logs, pipes). */
  plain: boolean;
}

/** The word a row's outcome prints as in plain output (`XFAIL`, `BLOCKED`…). */
export const outcomeWord = (o: Outcome): string => WORD[o];

export function progressLine(r: CaseResult, style: ProgressStyle): string {
  const why = r.reason && r.outcome !== 'pass' ? ` — ${r.reason}` : r.outcome === 'fixed' ? ` — ${deviationText(r)}, but passed` : '';
  const text = `${r.id}  ${r.desc}${why} (${r.durationMs} ms)`;
  if (style.plain) return `${WORD[r.outcome].padEnd(9)} ${text}`;
  return `${COLOR[r.outcome]}${SYMBOL[r.outcome]}\x1b[0m ${text}`;
}

/** `Expected:` / `Actual:` / `Replay:` block for one failed, non-strict or expected-fail row. */
export function failureBlock(r: CaseResult, req: Pick<Requirement, 'text'> | undefined): string {
  const head = r.outcome === 'fail' ? 'FAIL' : r.outcome === 'expected-fail' ? 'XFAIL' : 'NON-STRICT';
  const lines = [`${head} ${r.id}  ${r.desc}`, `  Requirement ${r.requirement} (${r.level}): ${req?.text ?? '(not in the registry)'}`];
  if (r.outcome === 'expected-fail') lines.push(`  Known:    ${deviationText(r)}`);
  if (r.reason) lines.push(`  Reason:   ${r.reason}`);
  lines.push(`  Expected: ${r.expected ?? '(see requirement)'}`);
  lines.push(`  Actual:   ${r.actual ?? r.reason ?? '(nothing recorded)'}`);
  if (r.counterexample !== undefined) lines.push(`  Counterexample: ${clipJson(r.counterexample)}`);
  if (r.seed !== undefined) lines.push(`  Seed: ${r.seed}${r.path ? `  Path: ${r.path}` : ''}`);
  if (r.replay) lines.push(`  Replay:   ${r.replay}`);
  return lines.join('\n');
}

/** A listed deviation that passed: said loudly, so the list gets pruned. */
export function fixedBlock(r: CaseResult): string {
  return `FIXED ${r.id}  ${r.desc}\n  ${deviationText(r)}, but it passed: remove it from the list`;
}

export function summaryLine(s: Summary): string {
  const more = (['blocked', 'expected-fail', 'fixed'] as const).filter((o) => s[o] > 0).map((o) => `, ${s[o]} ${o}`);
  return `conformance: ${s.pass} passed, ${s.fail} failed, ${s.skipped} skipped${more.join('')}`;
}

/** `seed` undefined: a run without properties (`hubproof client`). */
export function detailLine(s: Summary, seed: number | undefined, durationMs: number): string {
  return `${s.total} cases · ${s['non-strict']} non-strict · ${s.unimplemented} unimplemented · ${s.informational} informational${seed === undefined ? '' : ` · seed ${seed}`} · ${(durationMs / 1000).toFixed(1)} s`;
}

/**
 * Everything after the per-row lines: findings first (a crash leads), root causes, failure blocks,
 * fixed and known deviations, blocked rows by blocker, then the counts.
 */
export function runEndText(report: RunReport, requirement: (id: string) => Pick<Requirement, 'text'> | undefined): string {
  const parts: string[] = [];
  const lead = findingLines(report.findings);
  if (lead.length) parts.push(lead.join('\n'));
  if (report.groups.length)
    parts.push(['Root causes:', ...report.groups.flatMap((g) => [`  ${groupLine(g)}`, `    ${g.cases.join(' ')}`])].join('\n'));
  const misses = report.results.filter((r) => r.outcome === 'fail' || r.outcome === 'non-strict');
  if (misses.length) parts.push(misses.map((r) => failureBlock(r, requirement(r.requirement))).join('\n\n'));
  const fixed = report.results.filter((r) => r.outcome === 'fixed');
  if (fixed.length) parts.push(fixed.map(fixedBlock).join('\n\n'));
  const known = report.results.filter((r) => r.outcome === 'expected-fail');
  if (known.length) parts.push(known.map((r) => failureBlock(r, requirement(r.requirement))).join('\n\n'));
  const blocked = blockedLines(report.results);
  if (blocked.length) parts.push([`Blocked (${report.summary.blocked}), not judged:`, ...blocked.map((l) => `  ${l}`)].join('\n'));
  parts.push(`${detailLine(report.summary, report.client ? undefined : report.seed, report.durationMs)}\n${summaryLine(report.summary)}`);
  return parts.map((p) => `\n${p}\n`).join('');
}

function clipJson(v: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(v);
  } catch {
    text = String(v);
  }
  return text.length > 600 ? `${text.slice(0, 600)}…` : text;
}
