/**
 * Case ids `<requirement>#<n>`: n counts the cases of one requirement from 1, in list order, so ids are
 * stable while cases are appended. Shared by the hub cases (cases/index.ts) and the client cases, and
 * kept apart from either catalogue so that numbering one does not load the other.
 */
import type { Case } from './types.ts';

export interface IdentifiedCase {
  /** The case's id: its first row's. */
  id: string;
  case: Case;
  /** One per requirement the case proves, its first requirement first: `<requirement>#<n>`. */
  rows: Array<{ id: string; requirement: string }>;
}

/** `[requirement, ...alsoProves]` */
export function provedBy(c: Case): string[] {
  return [c.requirement, ...(c.alsoProves ?? [])];
}

/**
 * Ids per requirement count first the cases that name it as their `requirement`, in list order, then
 * those that name it in `alsoProves`: a case proving an extra requirement never renumbers the cases
 * that already held that requirement's ids.
 */
export function assignCaseIds(cases: readonly Case[]): IdentifiedCase[] {
  const counts = new Map<string, number>();
  const next = (req: string) => {
    const n = (counts.get(req) ?? 0) + 1;
    counts.set(req, n);
    return `${req}#${n}`;
  };
  const primary = cases.map((c) => next(c.requirement));
  const also = cases.map((c) => (c.alsoProves ?? []).map((req) => ({ id: next(req), requirement: req })));
  return cases.map((c, i) => ({ id: primary[i]!, case: c, rows: [{ id: primary[i]!, requirement: c.requirement }, ...also[i]!] }));
}
