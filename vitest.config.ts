import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Test files that judge latency or a load generator keeping up (real sockets, real k6 and k6 stand-in
 * VUs, real Chromium): they run alone, after the rest, so a neighbour file cannot make their verdict
 * INVALID or their p99 slow on two cores. Their bounds stay as they are.
 */
const SOLO = [
  'test/load/k6-scripts.test.ts',
  'test/load/k6.test.ts',
  'test/load/k6-shard.test.ts',
  'test/load/fanout-bare.test.ts',
  'test/load/browser/browser-scenario.test.ts',
  'test/certify/certify-browser.test.ts',
  'test/conformance/sync/sync-cases.test.ts',
  'test/conformance/pusher/cluster.test.ts',
  'test/package/installed-package.test.ts',
];

/**
 * The shared files that take longest, slowest first (seconds in a clean-clone CI run on 2 cores,
 * 2026-12-07). A fresh clone has no timing cache, so without this a 3-minute file can start last and
 * run alone at the end while the other worker idles; starting the longest first keeps both busy.
 */
const SLOWEST_FIRST = [
  'test/conformance/mutants.test.ts', // 177
  'test/conformance/client/client-mutants.test.ts', // 40
  'test/certify/certify.test.ts', // 38
  'test/conformance/client/dashboard/dashboard-cases.test.ts', // 34
  'test/certify/missing-tools.test.ts', // 32
  'test/load/storm/storm-mutants.test.ts', // 31
  'test/conformance/client/agent-cases.test.ts', // 30
  'test/conformance/mutant-messages.test.ts', // 29
  'test/conformance/cluster-mutants.test.ts', // 25
  'test/load/soak/soak-reference.test.ts', // 23
  'test/conformance/sync/publish-property.test.ts', // 21
  'test/selftest/soak-mutants.test.ts', // 21
  'test/conformance/fair-mutants.test.ts', // 20
];

class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const base = await super.sort(files);
    const rank = (f: TestSpecification): number => {
      const i = SLOWEST_FIRST.findIndex((p) => f.moduleId.endsWith(p));
      return i < 0 ? SLOWEST_FIRST.length : i;
    };
    const order = new Map(base.map((f, i) => [f, i]));
    // Projects keep their order (shared before solo); inside one, the listed files first.
    const group = (f: TestSpecification): number => f.project.config.sequence.groupOrder;
    return [...base].sort((a, b) => group(a) - group(b) || rank(a) - rank(b) || order.get(a)! - order.get(b)!);
  }
}

export default defineConfig({
  test: {
    sequence: { sequencer: SlowestFirst },
    setupFiles: ['test/setup/fast-check.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        // Two cores: the real-socket suites interfere when too many run at once.
        test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: SOLO, maxWorkers: 2, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'solo', include: SOLO, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
