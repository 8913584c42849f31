/**
 * `hubproof load --engine k6`: exit 2 with one Error: line when k6 is missing or too old (a fake `k6` that
 * prints v1.3.0), and a full run through a `k6` on PATH backed by the k6 stand-in: the standard terminal
 * summary, JSON and HTML, exit code from the report's verdict.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBareServer, type BareServer } from '../../bench/bare-ws-server.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'hubproof.js');
let dir: string;
let server: BareServer;
let target: string;

/** A folder holding only a `k6` executable with this body (PATH is set to it alone). */
function fakeK6(name: string, body: string): string {
  const bin = join(dir, name);
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'k6'), `#!/bin/sh\n${body}\n`);
  chmodSync(join(bin, 'k6'), 0o755);
  return bin;
}

function hubproof(
  args: string[],
  path: string,
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { timeout: 60_000, cwd: dir, env: { ...process.env, PATH: path, ...env } },
      (err, stdout, stderr) => {
        const code = err ? ((err as { code?: number }).code ?? -1) : 0;
        resolve({ code: typeof code === 'number' ? code : -1, stdout, stderr });
      },
    );
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hubproof-k6-engine-'));
  server = await startBareServer();
  target = join(dir, 'target.json');
  writeFileSync(target, JSON.stringify(server.target()));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('hubproof load --engine k6', () => {
  it('exits 2 with one Error: line when k6 is not on PATH', async () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty, { recursive: true });
    const r = await hubproof(['load', '--engine', 'k6', '--target', target, '--scenario', 'fanout'], empty);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Error: k6 is not on PATH; install k6 v2 or later/)]);
  });

  it('exits 2 with one Error: line when the k6 on PATH is v1 (no k6/websockets)', async () => {
    const r = await hubproof(
      ['load', '--engine', 'k6', '--target', target, '--scenario', 'fanout'],
      fakeK6('old', 'echo "k6 v1.3.0 (go1.24.4, linux/amd64)"'),
    );
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^Error: k6 v1\.3\.0 is too old: the hubproof scripts need k6 v2\.0\.0 or later .*unknown module: k6\/websockets/,
      ),
    ]);
  });

  it('runs the scenario with k6 and renders the standard summary, JSON and HTML', async () => {
    const shim = fakeK6(
      'shim',
      `exec "${process.execPath}" --import "${import.meta.resolve('tsx')}" "${join(ROOT, 'test', 'load', 'k6-shim', 'k6-cli.ts')}" "$@"`,
    );
    const r = await hubproof(
      [
        'load',
        '--engine',
        'k6',
        '--target',
        target,
        '--scenario',
        'fanout,connections',
        '--rate',
        '40',
        '--duration',
        '2',
        '--set',
        'channels=2',
        '--set',
        'subscribersPerChannel=3',
        '--set',
        'warmupS=0.5',
        '--set',
        'thresholds.p99Ms=1000',
        '--json',
        join(dir, 'r.json'),
        '--html',
        join(dir, 'html'),
        '--quiet',
      ],
      shim,
      { CONNECT_S: '0.5', DRAIN_S: '0.7', MAX_LAG_MS: '250' },
    );
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^scenario\s+status/);
    expect(r.stdout).toMatch(/fanout\s+PASS/);
    expect(r.stdout).toMatch(/connections: skipped — no k6 script for the connections scenario/);
    const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    expect(report).toMatchObject({ generator: 'k6', verdict: 'pass', driver: { node: 'k6 v2.2.0' } });
    expect(report.scenarios[0].scenario).toMatchObject({ rate: 40, durationS: 2, channels: 2, subscribersPerChannel: 3 });
    expect(report.scenarios[0].delivery).toMatchObject({ expected: 240, received: 240, reach: 1 });
    expect(existsSync(join(dir, 'html', 'load.html'))).toBe(true);
  });
});
