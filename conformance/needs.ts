/**
 * Setup steps a case relies on but does not test (a public subscription, a publish, a pong): when one
 * fails and the case's requirement depends on the requirement that step belongs to, the case is
 * `blocked` by it instead of failing for something it is not about. When the case's requirement does not
 * depend on it (the step is what the case tests), the failure stands as it is.
 */
import { REQUIREMENTS } from '../spec/requirements/index.ts';
import { transitiveDependencies } from '../spec/requirements/dependencies.ts';
import { CheckFailure, DependencyUnmet, type CaseContext } from './types.ts';

const closure = new Map<string, readonly string[]>();

/** Whether the case's first requirement relies on `dependency` (directly or through others). */
export function reliesOn(ctx: Pick<CaseContext, 'requirements'>, dependency: string): boolean {
  const own = ctx.requirements[0];
  if (own === undefined) return false;
  let deps = closure.get(own);
  if (!deps) closure.set(own, (deps = transitiveDependencies(REQUIREMENTS, own)));
  return deps.includes(dependency);
}

/**
 * Runs `step`; a check failure in it becomes "blocked by `dependency`: <what failed>" when the case
 * relies on that requirement, keeping the failure's root cause. Other errors pass through.
 */
export async function needs<T>(ctx: Pick<CaseContext, 'requirements'>, dependency: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (err instanceof CheckFailure && !(err instanceof DependencyUnmet) && reliesOn(ctx, dependency)) {
      throw new DependencyUnmet(dependency, err.message, err.rootCause ? { rootCause: err.rootCause } : {});
    }
    throw err;
  }
}
