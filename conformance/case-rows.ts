/**
 * How one run of a case judges each requirement it proves. A failed check is charged to the requirement
 * it names (default: the case's first); requirements the failing check judged alongside it passed; any
 * other requirement was not reached and is blocked by the one that failed, never failed nor passed.
 */
import { CheckFailure } from './types.ts';

export type RowVerdict =
  | { requirement: string; verdict: 'pass' }
  | { requirement: string; verdict: 'miss'; failure: CheckFailure }
  | { requirement: string; verdict: 'blocked'; by: string; failure: CheckFailure };

/** `requirements` in declaration order (first = the case's own); `failure` what the run threw, if anything. */
export function rowVerdicts(requirements: readonly string[], failure: CheckFailure | undefined): RowVerdict[] {
  if (!failure) return requirements.map((requirement) => ({ requirement, verdict: 'pass' }));
  const charge = (f: CheckFailure) => (f.requirement !== undefined && requirements.includes(f.requirement) ? f.requirement : requirements[0]!);
  const failed = new Map<string, CheckFailure>();
  for (const f of [failure, ...(failure.more ?? [])]) if (!failed.has(charge(f))) failed.set(charge(f), f);
  const first = charge(failure);
  const judged = new Set([...(failure.judged ?? []), ...failed.keys()]);
  return requirements.map((requirement) => {
    const f = failed.get(requirement);
    if (f) return { requirement, verdict: 'miss', failure: f };
    if (judged.has(requirement)) return { requirement, verdict: 'pass' };
    return { requirement, verdict: 'blocked', by: first, failure };
  });
}
