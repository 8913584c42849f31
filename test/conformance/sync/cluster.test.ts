/**
 * The cluster cases have no multi-node reference hub to run against, so this proves they can pass and
 * fail: two nodes that are one hub (both URLs point at it) behave as a perfect cluster; two independent
 * hubs sharing credentials are a "cluster" that propagates nothing between nodes.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type RunningHub } from '../../../reference-server/hub.ts';
import { runConformance } from '../../../conformance/runner.ts';
import type { TargetFile } from '../../../spec/target.ts';

const FAST = { heartbeatTimeoutMs: 5_000, sweepIntervalMs: 200 };

describe('sync/cluster cases', () => {
  let a: RunningHub;
  let b: RunningHub;
  beforeAll(async () => {
    a = await startHub({ port: 0, dataDir: mkdtempSync(join(tmpdir(), 'hubproof-cluster-a-')), timings: FAST });
    b = await startHub({ port: 0, dataDir: mkdtempSync(join(tmpdir(), 'hubproof-cluster-b-')), timings: FAST });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  const run = (target: TargetFile) => runConformance({ target, selectors: ['sync/cluster'], progress: null, seed: 7, numRuns: 3 });

  it('pass when both nodes are one hub', async () => {
    const node = a.target().nodes[0]!;
    const report = await run({ ...a.target(), nodes: [node, node] });
    expect(report.results.map((r) => `${r.id} ${r.outcome} ${r.reason ?? ''}`)).toEqual(report.results.map((r) => `${r.id} pass `));
    expect(report.results.length).toBeGreaterThanOrEqual(3);
  });

  it('fail on cross-node delivery, shared history and idempotency when the nodes are independent hubs', async () => {
    const report = await run({ ...a.target(), nodes: [a.target().nodes[0]!, b.target().nodes[0]!] });
    const failed = report.results.filter((r) => r.outcome === 'fail').map((r) => r.requirement);
    expect(failed).toEqual(expect.arrayContaining(['sync/cluster/1', 'sync/cluster/2', 'sync/cluster/3']));
  });
});
