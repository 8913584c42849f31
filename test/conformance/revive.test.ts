/**
 * What the run restarts after a crash (conformance/revive.ts): a cluster node that went down while
 * another answers is restarted with its own restart; the hub's restart serves when every node is down or
 * a down node has none; without either the run waits.
 */
import { describe, expect, it } from 'vitest';
import type { HubProbe } from '../../conformance/liveness.ts';
import { planText, revivePlan, whatWentDown, type Restarts } from '../../conformance/revive.ts';

const probe = (downNodes: number[] | undefined, nodeCount?: number): HubProbe => ({
  up: false,
  at: 0,
  doneAt: 0,
  summary: 'down',
  ...(downNodes ? { downNodes } : {}),
  ...(nodeCount ? { nodeCount } : {}),
});
const hub = async () => undefined;
const onlyNode = (has: number[]): Restarts['node'] => ({ can: (i) => has.includes(i), restart: async () => undefined });

describe('revivePlan', () => {
  it('restarts a down node with its own restart while another node answers, even when the hub has a restart', () => {
    expect(revivePlan(probe([1], 2), { hub, node: onlyNode([0, 1]) })).toEqual({ kind: 'nodes', nodes: [1] });
    expect(revivePlan(probe([0], 2), { node: onlyNode([0]) })).toEqual({ kind: 'nodes', nodes: [0] });
  });

  it('restarts the hub when every node is down and it has a restart; else every node with its own', () => {
    expect(revivePlan(probe([0, 1], 2), { hub, node: onlyNode([0, 1]) })).toEqual({ kind: 'hub' });
    expect(revivePlan(probe([0, 1], 2), { node: onlyNode([0, 1]) })).toEqual({ kind: 'nodes', nodes: [0, 1] });
  });

  it('falls back to the hub restart, then to waiting, when a down node has no restart of its own', () => {
    expect(revivePlan(probe([1], 2), { hub, node: onlyNode([0]) })).toEqual({ kind: 'hub' });
    expect(revivePlan(probe([1], 2), { node: onlyNode([0]) })).toEqual({ kind: 'wait' });
    expect(revivePlan(probe(undefined), {})).toEqual({ kind: 'wait' });
  });

  it('names a node, never "the hub", when another still answers', () => {
    expect(whatWentDown(probe([1], 2))).toBe('node 2 of 2');
    expect(whatWentDown(probe([0, 2], 3))).toBe('nodes 1 and 3 of 3');
    expect(whatWentDown(probe([0, 1], 2))).toBe('the hub');
    expect(whatWentDown(probe([0]))).toBe('the hub');
    expect(planText({ kind: 'wait' }, 'node 2 of 2', 30)).toBe(
      "node 2 of 2 down; no restart command for it (nodes[i].restart.command) nor the hub's, waiting up to 30 s for it to come back",
    );
  });
});
