/**
 * The cluster mutants (selftest/mutants/cluster-mutants.ts) against one 2-node cluster, each behind its
 * own relays: the suite fails exactly the requirement each breaks, and passes the same selectors on the
 * same cluster behind faithful relays. One cluster for the file (CI time).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedTarget } from '../../cli/embedded-target.ts';
import { runConformance } from '../../conformance/runner.ts';
import { startMutantCluster, wrapClusterControl, type ClusterMutant } from '../../selftest/mutants/cluster-mutant.ts';
import { reorderingCluster } from '../../selftest/mutants/fair-mutants.ts';
import { nodeLocalPresence } from '../../selftest/mutants/cluster-mutants.ts';
import { wrapAnnouncing } from '../../selftest/mutants/cluster-state-mutants.ts';
import { CLUSTER_MUTANTS } from '../../selftest/mutants/index.ts';
import { MUTANT_SEED } from '../../selftest/mutants/score-run.ts';
import type { RunningMutant } from '../../selftest/mutants/types.ts';
import type { TargetFile } from '../../spec/target.ts';

describe('cluster mutants', () => {
  let cluster: EmbeddedTarget;
  // The cluster's node control (the relays stay up while a node behind them is killed), for the dead-node case;
  // three tries of the webhook race (the default count, as many as fit its budget, is unit-tested).
  const run = (target: TargetFile, selectors: string[]) =>
    runConformance({ target, selectors, seed: MUTANT_SEED, progress: null, nodeControl: cluster.nodeControl, raceTries: 3 });
  beforeAll(async () => {
    cluster = await startMutantCluster();
  }, 60_000);
  afterAll(() => cluster?.dispose());

  async function against<T>(wrap: (t: TargetFile) => Promise<RunningMutant>, fn: (m: RunningMutant) => Promise<T>): Promise<T> {
    const relayed = await wrap(cluster.target);
    try {
      return await fn(relayed);
    } finally {
      await relayed.close();
    }
  }

  it('pass their selectors on the cluster behind faithful relays', async () => {
    const report = await against(wrapClusterControl, (c) =>
      run(
        c.target,
        CLUSTER_MUTANTS.flatMap((m) => m.selectors),
      ),
    );
    expect(report.results.map((r) => `${r.id} ${r.outcome} ${r.reason ?? ''}`.trim())).toEqual(report.results.map((r) => `${r.id} pass`));
    expect(report.results.map((r) => r.requirement).sort()).toEqual(CLUSTER_MUTANTS.map((m) => m.breaks).sort());
  }, 60_000);

  it('pass every cluster case they reach against the fair mutant that reorders keys and sets on every node', async () => {
    // Without the node control (CI time): the dead-node case compares user ids only, and skips here saying why.
    const report = await against(reorderingCluster.wrap, (x) =>
      runConformance({ target: x.target, selectors: reorderingCluster.selectors, seed: MUTANT_SEED, progress: null, raceTries: 3 }),
    );
    expect(report.results.map((r) => `${r.id} ${r.outcome}`)).toEqual(
      report.results.map((r) => `${r.id} ${r.requirement === 'pusher/cluster/9' ? 'skipped' : 'pass'}`),
    );
    expect(report.results.filter((r) => r.outcome === 'pass').length).toBeGreaterThanOrEqual(10);
  }, 60_000);

  it('block pusher/cluster/9 by pusher/cluster/3 against node-local-presence, whose member events never leave their node', async () => {
    const report = await against(nodeLocalPresence.wrap, (x) => run(x.target, ['pusher/cluster/9']));
    expect(report.results.map((r) => `${r.id} ${r.outcome} ${r.blockedBy?.id ?? ''}`)).toEqual([
      'pusher/cluster/9#1 blocked pusher/cluster/3',
    ]);
    expect(report.results[0]!.reason).toMatch(
      /^blocked by pusher\/cluster\/3: the subscriber on node 1 got no pusher_internal:member_added for gone/,
    );
  }, 30_000);

  it('pass pusher/cluster/9 on a Pusher-only cluster announcing 4 s that removes a dead node’s members in time, naming the announcement as the bound’s source', async () => {
    const report = await against(wrapAnnouncing('announces 4 s, removes in time', 0), (x) => run(x.target, ['pusher/cluster/9']));
    expect(report.results.map((r) => `${r.id} ${r.outcome} ${r.reason ?? ''}`.trim())).toEqual(['pusher/cluster/9#1 pass']);
    const notes = report.results[0]!.wire.filter((w) => w.dir === 'note').map((w) => w.text);
    expect(notes).toContainEqual(
      expect.stringMatching(/^dead-node bound 5000 ms from activity_timeout 4 s announced in pusher:connection_established/),
    );
  }, 30_000);

  for (const m of CLUSTER_MUTANTS as ClusterMutant[]) {
    it(`fail ${m.breaks} and nothing else against ${m.name} (${m.describe})`, async () => {
      const report = await against(m.wrap, (x) => run(x.target, m.selectors));
      const failed = report.results.filter((r) => r.outcome === 'fail');
      expect(failed.map((r) => r.requirement)).toEqual([m.breaks]);
      // What else its failure must say (every node that answered wrong, where the bound came from).
      expect(m.judge?.(report) ?? []).toEqual([]);
      expect(report.results.filter((r) => r.outcome !== 'fail' && r.outcome !== 'pass').map((r) => `${r.id} ${r.outcome}`)).toEqual([]);
      console.log(`${m.name}: ${report.results.map((r) => `${r.id} ${r.outcome}`).join(', ')} — ${failed[0]!.reason}`);
    }, 60_000);
  }
});
