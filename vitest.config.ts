import { defineConfig } from 'vitest/config';

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
  'test/conformance/sync/sync-cases.test.ts',
  'test/conformance/pusher/cluster.test.ts',
  'test/package/installed-package.test.ts',
];

export default defineConfig({
  test: {
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
