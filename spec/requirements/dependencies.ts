/**
 * The `dependsOn` edges of the registry as a graph: checks that keep it a DAG of known ids, and the
 * queries a report needs to show one unmet requirement with the requirements it blocks under it.
 */
import type { Requirement } from './types.ts';

/** Every problem of the graph: unknown ids, self-edges, repeated edges, cycles (each cycle once). */
export function dependencyProblems(reqs: readonly Requirement[]): string[] {
  const byId = new Map(reqs.map((r) => [r.id, r]));
  const problems: string[] = [];
  for (const r of reqs) {
    const deps = r.dependsOn ?? [];
    for (const d of deps) {
      if (d === r.id) problems.push(`${r.id} depends on itself`);
      else if (!byId.has(d)) problems.push(`${r.id} depends on ${d}, which is not in the registry`);
    }
    const repeated = deps.filter((d, i) => deps.indexOf(d) !== i);
    if (repeated.length > 0) problems.push(`${r.id} lists ${repeated.join(', ')} twice`);
  }
  // Depth-first search; a grey node met again closes a cycle.
  const state = new Map<string, 'grey' | 'black'>();
  const stack: string[] = [];
  const visit = (id: string): void => {
    state.set(id, 'grey');
    stack.push(id);
    for (const d of byId.get(id)?.dependsOn ?? []) {
      if (d === id || !byId.has(d)) continue;
      if (state.get(d) === 'grey') problems.push(`cycle: ${[...stack.slice(stack.indexOf(d)), d].join(' → ')}`);
      else if (!state.has(d)) visit(d);
    }
    stack.pop();
    state.set(id, 'black');
  };
  for (const r of reqs) if (!state.has(r.id)) visit(r.id);
  return problems;
}

/** Every requirement `id` depends on, directly or through others, nearest first. */
export function transitiveDependencies(reqs: readonly Requirement[], id: string): string[] {
  const byId = new Map(reqs.map((r) => [r.id, r]));
  const seen = new Set<string>();
  const queue = [...(byId.get(id)?.dependsOn ?? [])];
  while (queue.length > 0) {
    const d = queue.shift()!;
    if (seen.has(d) || d === id) continue;
    seen.add(d);
    queue.push(...(byId.get(d)?.dependsOn ?? []));
  }
  return [...seen];
}

/** The requirements that list `id` in their `dependsOn`, in registry order. */
export function directDependants(reqs: readonly Requirement[], id: string): string[] {
  return reqs.filter((r) => r.dependsOn?.includes(id)).map((r) => r.id);
}
