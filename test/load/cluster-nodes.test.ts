/**
 * Load against a cluster target: subscribers are spread over the nodes, every event is published through
 * the first, and the report gives latency and reach per node, so a node that does not get the other
 * nodes' events shows as that node's loss. Two hubs that are not clustered are that broken cluster.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedTarget, type EmbeddedTarget } from '../../cli/embedded-target.ts';
import { runLoad } from '../../load/run-load.ts';
import type { TargetFile } from '../../spec/target.ts';
import { expectPublishedReport } from '../helpers/published-schema.ts';

const RELAXED = { maxLoopLagMs: 5000, maxSendLagMs: 5000, maxCpuShare: 2, maxMachineShare: 2 };
const SMALL = ['channels=2', 'subscribersPerChannel=3', 'warmupS=0.5', 'workers=1'];
const fanout = async (target: TargetFile) => {
  const report = await runLoad({
    target,
    scenarios: 'fanout',
    overrides: { durationS: 2, rate: 50, set: SMALL },
    driverLimits: RELAXED,
    progress: false,
  });
  expectPublishedReport('load', report);
  return report;
};

describe('fanout across the nodes of a cluster', () => {
  let cluster: EmbeddedTarget;
  let other: EmbeddedTarget;
  beforeAll(async () => {
    cluster = await startEmbeddedTarget({ cluster: 2, mode: 'in-process', timers: 'default' });
    other = await startEmbeddedTarget({ mode: 'in-process', timers: 'default' });
  }, 60_000);
  afterAll(async () => {
    await cluster?.dispose();
    await other?.dispose();
  });

  it('reports latency and reach per node, every node reached', async () => {
    const s = (await fanout(cluster.target)).scenarios[0]!;
    expect(s.nodes?.map((n) => [n.node, n.ws, n.subscribers])).toEqual([
      [1, cluster.target.nodes[0]!.ws, 3],
      [2, cluster.target.nodes[1]!.ws, 3],
    ]);
    for (const n of s.nodes!) {
      expect(n.delivery).toMatchObject({ reach: 1, lost: 0, duplicated: 0 });
      expect(n.latency.count).toBe(n.delivery.received);
    }
    expect(s.nodes!.reduce((a, n) => a + n.delivery.received, 0)).toBe(s.delivery.received);
    expect(s.delivery.reach).toBe(1);
  }, 60_000);

  it('charges the loss to the node that missed the events when the nodes are not one hub', async () => {
    const target = { ...other.target, nodes: [other.target.nodes[0]!, cluster.target.nodes[0]!] };
    const s = (await fanout(target)).scenarios[0]!;
    expect(s.nodes?.map((n) => n.delivery.reach)).toEqual([1, 0]);
    expect(s.delivery.reach).toBeCloseTo(0.5, 1);
    expect(s.status).toBe('fail');
  }, 60_000);
});
