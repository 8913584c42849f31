/**
 * Two shards of one fanout test on loopback, started 1.5 s apart: they meet on the hub, run the schedule
 * together, and their reports merge into one whose counts are the single-machine test's.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBareServer, type BareServer } from '../../bench/bare-ws-server.ts';
import { owns, parseShard } from '../../load/driver/shard.ts';
import { mergeReports } from '../../load/merge/merge-reports.ts';
import type { LoadReport } from '../../load/report-types.ts';
import { runLoad, type LoadOptions } from '../../load/run-load.ts';
import { HubproofError } from '../../spec/errors.ts';
import { expectPublishedReport } from '../helpers/published-schema.ts';

const RELAXED = { maxLoopLagMs: 5000, maxSendLagMs: 5000, maxCpuShare: 2, maxMachineShare: 2 };
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'hubproof.js');

describe('shard plan', () => {
  it('reads I/N and refuses what is not a shard of N', () => {
    expect(parseShard('1/4')).toEqual({ index: 1, count: 4 });
    for (const bad of ['4/4', '1', '-1/2', 'a/b', '0/0']) expect(() => parseShard(bad), bad).toThrow(HubproofError);
  });

  it('gives every connection and every send to exactly one shard', () => {
    for (const count of [1, 2, 3, 7]) {
      for (let k = 0; k < 50; k++)
        expect(Array.from({ length: count }, (_, index) => owns({ index, count }, k)).filter(Boolean)).toHaveLength(1);
    }
  });
});

describe('two shards on loopback', () => {
  let server: BareServer;
  let dir: string;
  let shards: LoadReport[];
  const options = (): LoadOptions => ({
    target: server.target(),
    scenarios: 'fanout',
    // The counts are the point here; latency on a shared test machine is not (p99 limit lifted).
    overrides: {
      durationS: 2,
      rate: 40,
      set: ['channels=2', 'subscribersPerChannel=3', 'warmupS=0.5', 'workers=1', 'thresholds.p99Ms=2000'],
    },
    driverLimits: RELAXED,
    progress: false,
  });

  beforeAll(async () => {
    server = await startBareServer();
    dir = mkdtempSync(join(tmpdir(), 'hubproof-shard-'));
    shards = await Promise.all([
      runLoad({ ...options(), shard: { index: 0, count: 2 } }),
      new Promise((r) => setTimeout(r, 1500)).then(() => runLoad({ ...options(), shard: { index: 1, count: 2 } })),
    ]);
    shards.forEach((r, i) => writeFileSync(join(dir, `shard-${i}.json`), JSON.stringify(r)));
  }, 40_000);
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs each shard on its share of the connections and sends', () => {
    for (const [i, r] of shards.entries()) {
      expect(r.errors).toEqual([]);
      expect(r.shard).toEqual({ index: i, count: 2 });
      const s = r.scenarios[0]!;
      expect(s.subscribers).toBe(3);
      expect(s.throughput.sent).toBe(40);
      expect(s.delivery).toMatchObject({ reach: 1, lost: 0, duplicated: 0, outOfOrder: 0, unexpected: 0 });
      expectPublishedReport('load', r);
    }
  });

  it('merges into one report whose counts are the whole test: 40/s for 2 s to 3 subscribers of each channel', () => {
    const merged = mergeReports(shards.map((report, i) => ({ file: `shard-${i}.json`, report })));
    const s = merged.scenarios[0]!;
    expect(s.throughput.sent).toBe(80);
    expect(s.subscribers).toBe(6);
    expect(s.delivery).toMatchObject({ expected: 240, received: 240, lost: 0, reach: 1 });
    expect(s.delivery.expected).toBe(shards[0]!.scenarios[0]!.delivery.expected + shards[1]!.scenarios[0]!.delivery.expected);
    expect(s.latency.count).toBe(240);
    expect(merged.mergedFrom?.map((m) => m.shard)).toEqual([
      { index: 0, count: 2 },
      { index: 1, count: 2 },
    ]);
    expect(merged.verdict, merged.breaches.join('; ')).toBe('pass');
  });

  it('hubproof merge writes the merged report and exits 0; a missing shard exits 2 with one Error: line', async () => {
    const ok = await cli(['merge', join(dir, 'shard-0.json'), join(dir, 'shard-1.json'), '--json', join(dir, 'merged.json')]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/merged from 2 reports/);
    const merged = JSON.parse(readFileSync(join(dir, 'merged.json'), 'utf8'));
    expect(merged.scenarios[0].delivery.expected).toBe(240);
    expectPublishedReport('load', merged);
    const missing = await cli(['merge', join(dir, 'shard-0.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/^Error: shard 1\/2 missing/);
  });

  it('gives up with exit-2 HUBPROOF_ERR_SHARD when the other shards never come', async () => {
    await expect(runLoad({ ...options(), shard: { index: 0, count: 3 }, shardWaitS: 1 })).rejects.toMatchObject({
      code: 'HUBPROOF_ERR_SHARD',
      message: expect.stringMatching(/only shards \[0\] of 3/),
    });
  });
});

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: number }).code ?? -1) : 0;
      resolve({ code: typeof code === 'number' ? code : -1, stdout, stderr });
    });
  });
}
