/**
 * A Node shard and a k6 instance of one test, on a real k6 when there is one (test/helpers/k6-binary.ts):
 * `hubproof load --shard 0/2` and `k6 run --execution-segment 1/2:1 --execution-segment-sequence 0,1/2,1
 * -e SHARD=1/2` started together against a bare server meet on it, send their halves of one schedule, each
 * receive the other's events on the agreed schedule, and `hubproof merge` makes one report whose counts
 * are the whole test's.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBareServer, type BareServer } from '../../bench/bare-ws-server.ts';
import type { LoadReport } from '../../load/report-types.ts';
import { K6_ENV, k6Bin, k6SkipNote } from '../helpers/k6-binary.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'hubproof.js');

function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  return new Promise((resolve) =>
    execFile(cmd, args, { timeout: 90_000, env: { ...process.env, ...env } }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? -1) : 0, out: stdout + stderr }),
    ),
  );
}

describe.skipIf(!k6Bin)(`a Node shard and a k6 instance of one fanout test${k6SkipNote}`, () => {
  let server: BareServer;
  let dir: string;
  let node: { code: number; out: string };
  let k6: { code: number; out: string };
  const file = (name: string): string => join(dir, name);
  const read = (name: string): LoadReport => JSON.parse(readFileSync(file(name), 'utf8')) as LoadReport;

  beforeAll(async () => {
    server = await startBareServer();
    dir = mkdtempSync(join(tmpdir(), 'hubproof-k6-shard-'));
    writeFileSync(file('target.json'), JSON.stringify(server.target()));
    // The counts are the point; latency and generator lag on a shared test machine are not (limits lifted).
    [node, k6] = await Promise.all([
      run(process.execPath, [
        BIN,
        'load',
        '--target',
        file('target.json'),
        '--scenario',
        'fanout',
        '--shard',
        '0/2',
        '--rate',
        '40',
        '--duration',
        '2',
        ...['channels=2', 'subscribersPerChannel=3', 'warmupS=0.5', 'thresholds.p99Ms=2000'].flatMap((a) => ['--set', a]),
        ...['--max-driver-lag', '5000', '--max-driver-cpu', '2', '--max-machine-cpu', '2'],
        '--quiet',
        '--json',
        file('node.json'),
      ]),
      run(
        k6Bin!,
        [
          'run',
          '--quiet',
          '--execution-segment',
          '1/2:1',
          '--execution-segment-sequence',
          '0,1/2,1',
          ...Object.entries({
            SHARD: '1/2',
            TARGET: file('target.json'),
            OUT: file('k6.json'),
            RATE: '40',
            DURATION: '2',
            CHANNELS: '2',
            SUBSCRIBERS: '3',
            WARMUP: '0.5',
            P99_MS: '2000',
            CONNECT_S: '1',
            DRAIN_S: '1',
            MAX_LAG_MS: '250',
          }).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
          join(ROOT, 'load', 'k6', 'fanout.ts'),
        ],
        K6_ENV,
      ),
    ]);
  }, 90_000);
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('both pass their own share, each holding its half of the subscribers and sending its half of the schedule', () => {
    expect(node.code, node.out).toBe(0);
    expect(k6.code, k6.out).toBe(0);
    const [n, k] = [read('node.json'), read('k6.json')];
    expect([n.generator, n.shard, k.generator, k.shard]).toEqual(['node', { index: 0, count: 2 }, 'k6', { index: 1, count: 2 }]);
    // 40/s for 2 s measured over 2 channels of 3: each shard sends every other event and holds 3 of the 6 sockets.
    for (const r of [n, k]) {
      const s = r.scenarios[0]!;
      expect(s.throughput.sent).toBe(40);
      expect(s.subscribers).toBe(3);
      // Every socket got every event of its channel, the other shard's as well as its own.
      expect(s.delivery).toMatchObject({ expected: 120, received: 120, lost: 0, duplicated: 0, unexpected: 0, reach: 1 });
    }
  });

  it('merge into one report of the whole test, counts adding up', async () => {
    const m = await run(process.execPath, [BIN, 'merge', file('node.json'), file('k6.json'), '--json', file('merged.json')]);
    expect(m.code, m.out).toBe(0);
    const merged = read('merged.json');
    expect(merged).toMatchObject({ generator: 'mixed', verdict: 'pass' });
    const s = merged.scenarios[0]!;
    expect(s.throughput.sent).toBe(80);
    expect(s.subscribers).toBe(6);
    expect(s.delivery).toMatchObject({ expected: 240, received: 240, lost: 0, reach: 1 });
    expect(s.latency.count).toBe(240);
    // Both stamp each send with its time on the agreed schedule: had the k6 instance not waited for the
    // agreed start (its subscribers connect for CONNECT_S = 1 s first), half the events would be ~1 s late.
    expect(s.latency.p90).toBeLessThan(500);
  });
});
