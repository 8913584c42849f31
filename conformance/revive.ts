/**
 * Bringing the hub back after a crash. On a cluster one node may die while the others answer: that node
 * is restarted with its own restart (`nodes[i].restart.command`, or the embedded cluster's), never
 * mistaken for the whole hub. The hub's `restart.command` serves when every node is down, or when a down
 * node has no restart of its own; without either the run waits for the hub to come back by itself.
 */
import type { NodeRestart } from '../target/handle.ts';
import type { HubProbe } from './liveness.ts';

export interface Restarts {
  /** Restarts the whole hub (`restart.command`, the embedded hub's). */
  hub?: () => Promise<void>;
  /** Restarts single nodes. */
  node?: NodeRestart;
}

/** How the run brings back what a probe found down. */
export type RevivePlan = { kind: 'nodes'; nodes: number[] } | { kind: 'hub' } | { kind: 'wait' };

/** The down nodes of a probe (every node when it names none: a one-node hub, or a probe of the whole hub). */
function downNodes(probe: HubProbe): number[] {
  return probe.downNodes ?? Array.from({ length: probe.nodeCount ?? 1 }, (_, i) => i);
}

/**
 * A node restart when every down node has one and another node still answers (or the hub has no restart
 * of its own); else the hub's restart; else a wait.
 */
export function revivePlan(probe: HubProbe, restarts: Restarts): RevivePlan {
  const nodes = downNodes(probe);
  const others = nodes.length < (probe.nodeCount ?? 1);
  const byNode = restarts.node !== undefined && nodes.length > 0 && nodes.every((i) => restarts.node!.can(i));
  if (byNode && (others || !restarts.hub)) return { kind: 'nodes', nodes };
  if (restarts.hub) return { kind: 'hub' };
  return { kind: 'wait' };
}

/** `node 2 of 3` / `nodes 1 and 2 of 3` / `the hub` (one node, or all of them). */
export function whatWentDown(probe: HubProbe): string {
  const count = probe.nodeCount ?? 1;
  const nodes = downNodes(probe);
  if (count === 1 || nodes.length === count) return 'the hub';
  const names = nodes.map((i) => String(i + 1));
  const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
  return `node${names.length > 1 ? 's' : ''} ${list} of ${count}`;
}

/** One line for the progress note: what is done to bring it back. */
export function planText(plan: RevivePlan, down: string, waitS: number): string {
  if (plan.kind === 'nodes') return `restarting ${down} with its own restart`;
  if (plan.kind === 'hub') return `restarting the hub`;
  return down === 'the hub'
    ? `hub down; no restart.command, waiting up to ${waitS} s for it to come back`
    : `${down} down; no restart command for it (nodes[i].restart.command) nor the hub's, waiting up to ${waitS} s for it to come back`;
}

/** Carries out `plan`; a restart that throws is reported through `warn`, and the caller still waits for the hub. */
export async function carryOut(plan: RevivePlan, restarts: Restarts, warn: (message: string) => void): Promise<void> {
  try {
    if (plan.kind === 'nodes') await Promise.all(plan.nodes.map((i) => restarts.node!.restart(i)));
    else if (plan.kind === 'hub') await restarts.hub!();
  } catch (err) {
    warn((err as Error).message);
  }
}
