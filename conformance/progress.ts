/**
 * What a person sees while the suite runs: one line per case (symbols on a terminal, words in CI),
 * then every failure with its requirement, Expected:, Actual: and a replay command, then the counts.
 */
import type { Requirement } from '../spec/requirements/types.ts';
import type { CaseResult, Outcome } from './types.ts';

export const OUTCOMES: readonly Outcome[] = ['pass', 'fail', 'non-strict', 'skipped', 'unimplemented', 'informational'];

const SYMBOL: Record<Outcome, string> = {
  pass: '✓',
  fail: '✗',
  'non-strict': '!',
  skipped: '-',
  unimplemented: '○',
  informational: 'i',
};
const WORD: Record<Outcome, string> = {
  pass: 'PASS',
  fail: 'FAIL',
  'non-strict': 'NONSTRICT',
  skipped: 'SKIP',
  unimplemented: 'UNIMPL',
  informational: 'INFO',
};
const COLOR: Record<Outcome, string> = {
  pass: '\x1b[32m',
  fail: '\x1b[31m',
  'non-strict': '\x1b[33m',
  skipped: '\x1b[90m',
  unimplemented: '\x1b[36m',
  informational: '\x1b[34m',
};

export interface ProgressStyle {
  /** Plain words, no colour (CI logs, pipes). */
  plain: boolean;
}

export function progressLine(r: CaseResult, style: ProgressStyle): string {
  const why = r.reason && r.outcome !== 'pass' ? ` — ${r.reason}` : '';
  const text = `${r.id}  ${r.desc}${why} (${r.durationMs} ms)`;
  if (style.plain) return `${WORD[r.outcome].padEnd(9)} ${text}`;
  return `${COLOR[r.outcome]}${SYMBOL[r.outcome]}\x1b[0m ${text}`;
}

export type Summary = Record<Outcome, number> & { total: number };

export function summarize(results: readonly CaseResult[]): Summary {
  const s = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Summary;
  for (const r of results) s[r.outcome]++;
  s.total = results.length;
  return s;
}

/** `Expected:` / `Actual:` / `Replay:` block for one failed or non-strict case. */
export function failureBlock(r: CaseResult, req: Requirement | undefined): string {
  const lines = [
    `${r.outcome === 'fail' ? 'FAIL' : 'NON-STRICT'} ${r.id}  ${r.desc}`,
    `  Requirement ${r.requirement} (${r.level}): ${req?.text ?? '(not in the registry)'}`,
  ];
  if (r.reason) lines.push(`  Reason:   ${r.reason}`);
  lines.push(`  Expected: ${r.expected ?? '(see requirement)'}`);
  lines.push(`  Actual:   ${r.actual ?? r.reason ?? '(nothing recorded)'}`);
  if (r.counterexample !== undefined) lines.push(`  Counterexample: ${clipJson(r.counterexample)}`);
  if (r.seed !== undefined) lines.push(`  Seed: ${r.seed}${r.path ? `  Path: ${r.path}` : ''}`);
  if (r.replay) lines.push(`  Replay:   ${r.replay}`);
  return lines.join('\n');
}

export function summaryLine(s: Summary): string {
  return `conformance: ${s.pass} passed, ${s.fail} failed, ${s.skipped} skipped`;
}

export function detailLine(s: Summary, seed: number, durationMs: number): string {
  return `${s.total} cases · ${s['non-strict']} non-strict · ${s.unimplemented} unimplemented · ${s.informational} informational · seed ${seed} · ${(durationMs / 1000).toFixed(1)} s`;
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
