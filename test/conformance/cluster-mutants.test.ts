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
import { CLUSTER_MUTANTS } from '../../selftest/mutants/index.ts';
import { MUTANT_SEED } from '../../selftest/mutants/score-run.ts';
import type { RunningMutant } from '../../selftest/mutants/types.ts';
import type { TargetFile } from '../../spec/target.ts';

const run = (target: TargetFile, selectors: string[]) => runConformance({ target, selectors, seed: MUTANT_SEED, progress: null });

describe('cluster mutants', () => {
  let cluster: EmbeddedTarget;
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
    const report = await against(reorderingCluster.wrap, (x) => run(x.target, reorderingCluster.selectors));
    // No webhooks on this cluster (cluster/7 unimplemented) and no node control (cluster/9 skipped): every other case passes.
    expect(report.results.map((r) => `${r.id} ${r.outcome} ${r.reason ?? ''}`.trim())).toEqual(
      report.results.map((r) =>
        r.requirement === 'pusher/cluster/7'
          ? `${r.id} unimplemented hub advertises capability webhooks: false (GET /api/hub)`
          : r.requirement === 'pusher/cluster/9'
            ? `${r.id} skipped ${r.reason}`
            : `${r.id} pass`,
      ),
    );
    expect(report.results.filter((r) => r.outcome === 'pass')).toHaveLength(report.results.length - 2);
  }, 60_000);

  for (const m of CLUSTER_MUTANTS as ClusterMutant[]) {
    it(`fail ${m.breaks} and nothing else against ${m.name} (${m.describe})`, async () => {
      const report = await against(m.wrap, (x) => run(x.target, m.selectors));
      const failed = report.results.filter((r) => r.outcome === 'fail');
      expect(failed.map((r) => r.requirement)).toEqual([m.breaks]);
      expect(report.results.filter((r) => r.outcome !== 'fail' && r.outcome !== 'pass').map((r) => `${r.id} ${r.outcome}`)).toEqual([]);
      console.log(`${m.name}: ${report.results.map((r) => `${r.id} ${r.outcome}`).join(', ')} — ${failed[0]!.reason}`);
    }, 60_000);
  }
});
