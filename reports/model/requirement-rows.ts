/**
 * Case rows rolled up per requirement (the certification matrix and the report's requirement table) and
 * per section (`pusher/auth`). A requirement's outcome is its worst row's (requirementOutcome).
 */
import { requirementById, type Level, type Requirement } from '../../spec/requirements/index.ts';
import type { BlockedBy, CaseResult, Deviation } from './case-result.ts';
import { isMiss, requirementOutcome, type Outcome } from './outcomes.ts';

export interface RequirementRow {
  id: string;
  level: Level;
  section: string;
  text: string;
  /** The worst outcome among the requirement's rows. */
  outcome: Outcome;
  /** Row ids, in report order. */
  cases: string[];
  /** The row that decided the outcome (the first with the worst outcome). */
  worstCase: string;
  /** That row's one-line reason, unless it passed. */
  reason?: string;
  replay?: string;
  blockedBy?: BlockedBy;
  deviation?: Deviation;
  /** SLO rows (`presence/p99Ms`) that certify this requirement's figures, when the load run measured any. */
  slos?: string[];
}

/** `pusher/auth/4` → `pusher/auth`. */
export function sectionOf(requirement: string): string {
  return requirement.split('/').slice(0, 2).join('/');
}

export function requirementRows(
  results: readonly CaseResult[],
  lookup: (id: string) => Pick<Requirement, 'text'> | undefined = requirementById,
): RequirementRow[] {
  const byReq = new Map<string, CaseResult[]>();
  for (const r of results) byReq.set(r.requirement, [...(byReq.get(r.requirement) ?? []), r]);
  return [...byReq].map(([id, rows]) => {
    const outcome = requirementOutcome(rows.map((r) => r.outcome));
    const worst = rows.find((r) => r.outcome === outcome)!;
    return {
      id,
      level: rows[0]!.level,
      section: sectionOf(id),
      text: lookup(id)?.text ?? '(not in the registry)',
      outcome,
      cases: rows.map((r) => r.id),
      worstCase: worst.id,
      ...(outcome !== 'pass' && worst.reason ? { reason: worst.reason } : {}),
      ...(worst.replay && isMiss(outcome) ? { replay: worst.replay } : {}),
      ...(worst.blockedBy ? { blockedBy: worst.blockedBy } : {}),
      ...(worst.deviation ? { deviation: worst.deviation } : {}),
    };
  });
}

/** Per level within a section: how many requirements passed of how many, and whether any ran at all. */
export interface LevelCount {
  total: number;
  passed: number;
  missed: number;
  /** Every requirement of this level was skipped (e.g. SHOULDs without --strict). */
  notRun: boolean;
}

export interface SectionRow {
  section: string;
  MUST: LevelCount;
  SHOULD: LevelCount;
  MAY: LevelCount;
  outcome: Outcome;
  /** Requirement rows that missed (fail, non-strict, expected-fail), for links. */
  missed: RequirementRow[];
}

const passed = (o: Outcome) => o === 'pass' || o === 'fixed';

/**
 * A section's outcome: its worst miss; else `pass` when every MUST passed and something passed (SHOULDs
 * not run do not count against it); else `blocked` when a MUST could not be judged; else why nothing ran.
 */
export function sectionOutcome(rows: readonly RequirementRow[]): Outcome {
  for (const o of ['fail', 'non-strict', 'expected-fail'] as const) if (rows.some((r) => r.outcome === o)) return o;
  const must = rows.filter((r) => r.level === 'MUST');
  if (rows.some((r) => passed(r.outcome)) && must.every((r) => passed(r.outcome)))
    return rows.some((r) => r.outcome === 'fixed') ? 'fixed' : 'pass';
  for (const o of ['blocked', 'unimplemented', 'informational', 'skipped'] as const) if (rows.some((r) => r.outcome === o)) return o;
  return 'pass';
}

export function sectionRows(rows: readonly RequirementRow[]): SectionRow[] {
  const sections = new Map<string, RequirementRow[]>();
  for (const r of rows) sections.set(r.section, [...(sections.get(r.section) ?? []), r]);
  const count = (rs: RequirementRow[], level: Level): LevelCount => {
    const of = rs.filter((r) => r.level === level);
    return {
      total: of.length,
      passed: of.filter((r) => passed(r.outcome)).length,
      missed: of.filter((r) => isMiss(r.outcome)).length,
      notRun: of.length > 0 && of.every((r) => r.outcome === 'skipped'),
    };
  };
  return [...sections].map(([section, rs]) => ({
    section,
    MUST: count(rs, 'MUST'),
    SHOULD: count(rs, 'SHOULD'),
    MAY: count(rs, 'MAY'),
    outcome: sectionOutcome(rs),
    missed: rs.filter((r) => isMiss(r.outcome)),
  }));
}
