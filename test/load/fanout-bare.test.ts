/**
 * Short real runs of the fanout scenario against the bare ws broadcast server: a healthy server passes with
 * reach 1, a slow one fails on p99 and a lossy one fails on reach, through the real CLI and exit codes.
 * Driver-saturation limits are relaxed here: on a shared test machine the driver may lag, and these tests
 * are about the hub's faults, not the driver's health.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBareServer, type BareServer } from '../../bench/bare-ws-server.ts';
import { exitCodeFor, runLoad } from '../../load/run-load.ts';
import { expectPublishedReport } from '../helpers/published-schema.ts';

const RELAXED = { maxLoopLagMs: 5000, maxSendLagMs: 5000, maxCpuShare: 2, maxMachineShare: 2 };
const SMALL = ['channels=2', 'subscribersPerChannel=3', 'warmupS=0.5', 'workers=1'];
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'hubproof.js');

let server: BareServer | undefined;
let dir: string | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: number }).code ?? -1) : 0;
      resolve({ code: typeof code === 'number' ? code : -1, stdout, stderr });
    });
  });
}

async function targetFile(options: Parameters<typeof startBareServer>[0]): Promise<string> {
  server = await startBareServer(options);
  dir = mkdtempSync(join(tmpdir(), 'hubproof-load-test-'));
  const file = join(dir, 'target.json');
  writeFileSync(file, JSON.stringify(server.target()));
  return file;
}

describe('fanout against the bare ws server', () => {
  it('delivers every event to every subscriber and reports the figures', async () => {
    server = await startBareServer();
    const report = await runLoad({
      target: server.target(),
      scenarios: 'fanout',
      overrides: { durationS: 2, rate: 50, set: SMALL },
      driverLimits: RELAXED,
      progress: false,
    });
    expect(report.errors).toEqual([]);
    const s = report.scenarios[0]!;
    expect(s.delivery).toMatchObject({ reach: 1, lost: 0, duplicated: 0, outOfOrder: 0, publishErrors: 0, connectFailures: 0 });
    expect(s.delivery.expected).toBe(s.throughput.sent * 3);
    expect(s.throughput.sent).toBeGreaterThan(50);
    expect(s.latency.count).toBe(s.delivery.received);
    expect(Object.keys(s.latency)).toEqual(expect.arrayContaining(['p50', 'p90', 'p99', 'p999', 'max', 'curve']));
    expect(s.timeline.length).toBeGreaterThan(1);
    expect(s.driver).toHaveProperty('cpuPct');
    expect(s.thresholds.map((t) => t.name)).toEqual(['p99Ms', 'minReach', 'maxPublishErrors']);
    expect(report.verdict, report.breaches.join('; ')).toBe('pass');
    expect(exitCodeFor(report)).toBe(0);
    expectPublishedReport('load', report);
  });

  /** `hubproof load` of the small fanout against `file`, the driver's own guards lifted (the server is what is judged). */
  const smallFanout = (file: string) =>
    cli([
      'load',
      '--target',
      file,
      '--scenario',
      'fanout',
      '--duration',
      '2',
      '--rate',
      '50',
      ...SMALL.flatMap((s) => ['--set', s]),
      '--max-driver-lag',
      '5000',
      '--max-driver-cpu',
      '2',
      '--max-machine-cpu',
      '2',
      '--quiet',
      '--json',
      join(dir!, 'r.json'),
    ]);

  it('exits 1 naming the p99 threshold when the server holds every broadcast 120 ms', async () => {
    const file = await targetFile({ delayMs: 120 });
    const r = await smallFanout(file);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/fanout: p99Ms breached/);
    const report = JSON.parse(readFileSync(join(dir!, 'r.json'), 'utf8'));
    expect(report.scenarios[0].latency.p50).toBeGreaterThanOrEqual(120);
    expect(report.scenarios[0].delivery.reach).toBe(1);
    expectPublishedReport('load', report);
  });

  it('exits 1 naming the reach threshold when the server drops every 7th event', async () => {
    const file = await targetFile({ dropEvery: 7 });
    const r = await smallFanout(file);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/fanout: minReach breached/);
    const report = JSON.parse(readFileSync(join(dir!, 'r.json'), 'utf8'));
    expect(report.scenarios[0].delivery.lost).toBeGreaterThan(0);
    expect(report.scenarios[0].delivery.reach).toBeLessThan(1);
    expectPublishedReport('load', report);
  });

  it('exits 2 with one Error: line when the target does not answer', async () => {
    dir = mkdtempSync(join(tmpdir(), 'hubproof-load-test-'));
    const file = join(dir, 'target.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'gone',
        profiles: ['pusher'],
        nodes: [{ ws: 'ws://127.0.0.1:9', http: 'http://127.0.0.1:9' }],
        app: { id: '1', key: 'k', secret: 's' },
      }),
    );
    const r = await cli(['load', '--target', file, '--scenario', 'fanout', '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^Error: .*did not answer/m);
  });
});
