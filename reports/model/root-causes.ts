/**
 * The story of a run: which rows one observed behaviour failed (root-cause groups), and which rows could
 * not be judged because a requirement they rely on went unmet (the blocked tree, each root requirement
 * once with its dependants under it). Pure functions of the result rows; the runner calls them once the
 * rows are in, every renderer prints what they return.
 */
import type { CaseResult } from './case-result.ts';
import { isMiss } from './outcomes.ts';
import type { RootCauseGroup } from './run-report.ts';

/** A row that missed or could not judge: what a root cause can explain. */
const explained = (r: CaseResult) => isMiss(r.outcome) || r.outcome === 'blocked';

/** The row that judged `requirement` in this run: its first miss, else its first row. */
function judgingRow(results: readonly CaseResult[], requirement: string): CaseResult | undefined {
  const rows = results.filter((r) => r.requirement === requirement);
  return rows.find((r) => isMiss(r.outcome)) ?? rows.find((r) => r.outcome === 'blocked') ?? rows[0];
}

/**
 * Rows blocked by a requirement another case judged get that case's row id (`blockedBy.case`), and,
 * when the check that blocked them named no behaviour, the blocker's root cause: a hub that never pings
 * fails heartbeat/3 and every row waiting on a ping lands in the same group. Follows chains
 * (presence/7 ← heartbeat/4 ← heartbeat/3). Returns new rows; others are returned as they are.
 */
export function linkBlockers(results: readonly CaseResult[]): CaseResult[] {
  const linked = results.map((r) => ({ ...r }));
  const causeOf = (r: CaseResult, seen: Set<string>): CaseResult['rootCause'] => {
    if (r.rootCause || r.blockedBy?.kind !== 'requirement' || seen.has(r.id)) return r.rootCause;
    seen.add(r.id);
    const blocker = judgingRow(linked, r.blockedBy.id);
    return blocker && blocker.id !== r.id ? causeOf(blocker, seen) : undefined;
  };
  for (const r of linked) {
    if (r.outcome !== 'blocked' || r.blockedBy?.kind !== 'requirement') continue;
    const blocker = judgingRow(linked, r.blockedBy.id);
    if (blocker && !r.blockedBy.case && blocker.requirement !== r.requirement) r.blockedBy = { ...r.blockedBy, case: blocker.id };
  }
  for (const r of linked) {
    if (r.outcome !== 'blocked' || r.rootCause) continue;
    const cause = causeOf(r, new Set());
    if (cause) r.rootCause = cause;
  }
  return linked;
}

/**
 * Rows (misses and blocks) sharing a root-cause fingerprint, two or more to a group: one behaviour behind
 * many lines. Largest first; equal sizes in the order their first row appears.
 */
export function groupRootCauses(results: readonly CaseResult[]): RootCauseGroup[] {
  const groups = new Map<string, RootCauseGroup>();
  for (const r of results) {
    if (!explained(r) || !r.rootCause) continue;
    const g = groups.get(r.rootCause.fingerprint) ?? { fingerprint: r.rootCause.fingerprint, cause: r.rootCause.cause, cases: [] };
    g.cases.push(r.id);
    groups.set(g.fingerprint, g);
  }
  return [...groups.values()].filter((g) => g.cases.length > 1).sort((a, b) => b.cases.length - a.cases.length);
}

/** One node of the blocked tree: a requirement (or a crash) and the rows it blocked, each with its own dependants. */
export interface BlockedNode {
  /** The requirement id or crash id that blocked the rows below. */
  blocker: string;
  /** The row that judged the blocker in this run (absent: not selected, or a crash). */
  row?: Pick<CaseResult, 'id' | 'outcome' | 'level' | 'reason'>;
  dependants: Array<{ row: Pick<CaseResult, 'id' | 'requirement' | 'reason'>; below: BlockedNode[] }>;
}

/**
 * Blocked rows as a forest: each root is a requirement that was not met (failed, missed, skipped or not
 * run) or a crash, listed once, with the rows it blocked under it and, under each of those, the rows
 * blocked by that row's requirement in turn.
 */
export function blockedTree(results: readonly CaseResult[]): BlockedNode[] {
  const blocked = results.filter((r) => r.outcome === 'blocked' && r.blockedBy);
  const byBlocker = new Map<string, CaseResult[]>();
  for (const r of blocked) byBlocker.set(r.blockedBy!.id, [...(byBlocker.get(r.blockedBy!.id) ?? []), r]);
  // A blocker that is itself only blocked sits under its own blocker, not at the root.
  const blockedRequirements = new Set(blocked.map((r) => r.requirement));
  const node = (blocker: string, path: Set<string>): BlockedNode => {
    const row = blocked.some((r) => r.blockedBy!.kind === 'crash' && r.blockedBy!.id === blocker)
      ? undefined
      : judgingRow(results, blocker);
    const next = new Set([...path, blocker]);
    const dependants = (byBlocker.get(blocker) ?? [])
      .filter((r) => r.requirement !== blocker)
      .map((r) => ({
        row: { id: r.id, requirement: r.requirement, reason: r.reason },
        below:
          byBlocker.has(r.requirement) && !next.has(r.requirement) && firstBlockedRowOf(blocked, r.requirement) === r
            ? [node(r.requirement, next)]
            : [],
      }));
    return { blocker, ...(row ? { row: { id: row.id, outcome: row.outcome, level: row.level, reason: row.reason } } : {}), dependants };
  };
  const roots = [...byBlocker.keys()].filter((b) => !blockedRequirements.has(b) || byBlocker.get(b)!.every((r) => r.requirement === b));
  return roots.map((b) => node(b, new Set()));
}

function firstBlockedRowOf(blocked: readonly CaseResult[], requirement: string): CaseResult | undefined {
  return blocked.find((r) => r.requirement === requirement);
}
