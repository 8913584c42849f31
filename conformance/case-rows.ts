/**
 * How one run of a case judges each requirement it proves. A failed check is charged to the requirement
 * it names (default: the case's first); requirements the failing check judged alongside it passed; any
 * other requirement was not reached and is blocked by the one that failed, never failed nor passed.
 * A check that could not judge because another requirement went unmet (DependencyUnmet) blocks its row
 * by that requirement instead, provided the registry lists it among the row's dependencies: a case may
 * not excuse itself with a requirement its own does not rely on.
 */
import { REQUIREMENTS } from '../spec/requirements/index.ts';
import { transitiveDependencies } from '../spec/requirements/dependencies.ts';
import { CheckFailure, DependencyUnmet } from './types.ts';

export type RowVerdict =
  | { requirement: string; verdict: 'pass' }
  | { requirement: string; verdict: 'miss'; failure: CheckFailure }
  | { requirement: string; verdict: 'blocked'; by: string; failure: CheckFailure; reason: string };

/** Every requirement `id` relies on, directly or through others (the registry's `dependsOn`). */
export type DependencyLookup = (id: string) => readonly string[];

const registryDependencies: DependencyLookup = (id) => transitiveDependencies(REQUIREMENTS, id);

/**
 * `requirements` in declaration order (first = the case's own); `failure` what the run threw, if
 * anything; `dependencies` the registry's dependency closure (tests pass their own).
 */
export function rowVerdicts(
  requirements: readonly string[],
  failure: CheckFailure | undefined,
  dependencies: DependencyLookup = registryDependencies,
): RowVerdict[] {
  if (!failure) return requirements.map((requirement) => ({ requirement, verdict: 'pass' }));
  const charge = (f: CheckFailure) =>
    f.requirement !== undefined && requirements.includes(f.requirement) ? f.requirement : requirements[0]!;
  const failed = new Map<string, CheckFailure>();
  for (const f of [failure, ...(failure.more ?? [])])
    if (!failed.has(charge(f))) failed.set(charge(f), excuseChecked(f, charge(f), dependencies));
  const first = charge(failure);
  const root = failed.get(first)!;
  const judged = new Set([...(failure.judged ?? []), ...failed.keys()]);
  return requirements.map((requirement): RowVerdict => {
    const f = failed.get(requirement);
    if (f instanceof DependencyUnmet)
      return { requirement, verdict: 'blocked', by: f.dependency, failure: f, reason: `blocked by ${f.dependency}: ${f.message}` };
    if (f) return { requirement, verdict: 'miss', failure: f };
    if (judged.has(requirement)) return { requirement, verdict: 'pass' };
    // Not reached: the run stopped at the first failure (or at an unmet dependency, the root of it).
    const by = root instanceof DependencyUnmet ? root.dependency : first;
    return {
      requirement,
      verdict: 'blocked',
      by,
      failure: root,
      reason: `not judged: ${by} ${root instanceof DependencyUnmet ? 'was not met' : 'failed first'} in this run (${clip(root.message, 160)})`,
    };
  });
}

/**
 * A DependencyUnmet naming a requirement `requirement` does not depend on is a bug of the case: it is
 * charged as a miss that says so, so the test suite (and any reader) sees it at once.
 */
function excuseChecked(f: CheckFailure, requirement: string, dependencies: DependencyLookup): CheckFailure {
  if (!(f instanceof DependencyUnmet) || dependencies(requirement).includes(f.dependency)) return f;
  return new CheckFailure(
    `case error: ${requirement} cannot be blocked by ${f.dependency}, which is not among its dependsOn (${f.message})`,
    `a blocker among ${requirement}'s dependencies: ${dependencies(requirement).join(', ') || 'none'}`,
    f.dependency,
    undefined,
    { requirement },
  );
}

function clip(text: string, n: number): string {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}
