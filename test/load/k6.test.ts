/**
 * Runs the k6 scripts for real when k6 is installed: fanout and presence against the bare ws server, agents
 * against the reference hub; each must exit 0 and write a summary in the Node driver's report shape.
 * Without k6 on PATH every case is skipped (reason: "k6 not on PATH").
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBareServer } from '../../bench/bare-ws-server.ts';
import { startHub } from '../../reference-server/hub.ts';
import type { TargetFile } from '../../spec/target.ts';

const hasK6 = spawnSync('sh', ['-c', 'command -v k6'], { stdio: 'ignore' }).status === 0;
const SKIP = hasK6 ? '' : ' (skipped: k6 not on PATH)';
const K6_DIR = join(import.meta.dirname, '..', '..', 'load', 'k6');

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function k6(script: string, target: TargetFile, env: Record<string, string>): Promise<{ code: number; out: string; summary: Record<string, any> }> {
  const dir = mkdtempSync(join(tmpdir(), 'hubproof-k6-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const targetFile = join(dir, 'target.json');
  const summaryFile = join(dir, 'summary.json');
  writeFileSync(targetFile, JSON.stringify(target));
  const args = ['run', '--quiet', '-e', `TARGET=${targetFile}`, '-e', `SUMMARY_OUT=${summaryFile}`, ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]), join(K6_DIR, script)];
  const { code, out } = await new Promise<{ code: number; out: string }>((resolve) =>
    execFile('k6', args, { timeout: 90_000 }, (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? -1) : 0, out: stdout + stderr })),
  );
  return { code, out, summary: JSON.parse(readFileSync(summaryFile, 'utf8')) };
}

describe('k6 scripts', () => {
  it.skipIf(!hasK6)(`fanout.ts delivers every event against the bare server${SKIP}`, async () => {
    const bare = await startBareServer();
    cleanups.push(() => bare.close());
    const r = await k6('fanout.ts', bare.target(), { RATE: '50', CHANNELS: '2', SUBSCRIBERS: '3', DURATION: '3', WARMUP: '2', P99_MS: '1000' });
    expect(r.code, r.out).toBe(0);
    expect(r.summary).toMatchObject({ tool: 'hubproof', kind: 'load', generator: 'k6', verdict: 'pass' });
    expect(r.summary.scenarios[0].delivery.reach).toBe(1);
  });

  it.skipIf(!hasK6)(`fanout.ts exits non-zero when the server drops events${SKIP}`, async () => {
    const bare = await startBareServer({ dropEvery: 5 });
    cleanups.push(() => bare.close());
    const r = await k6('fanout.ts', bare.target(), { RATE: '50', CHANNELS: '2', SUBSCRIBERS: '3', DURATION: '3', WARMUP: '2', P99_MS: '1000' });
    expect(r.code).not.toBe(0);
    expect(r.summary.scenarios[0].delivery.reach).toBeLessThan(1);
  });

  it.skipIf(!hasK6)(`presence.ts reaches every dashboard on the bare server${SKIP}`, async () => {
    const bare = await startBareServer();
    cleanups.push(() => bare.close());
    const r = await k6('presence.ts', bare.target(), { RATE: '50', AGENTS: '3', DASHBOARDS: '4', DURATION: '3', WARMUP: '2', P99_MS: '1000' });
    expect(r.code, r.out).toBe(0);
    expect(r.summary.scenarios[0].delivery.reach).toBe(1);
  });

  it.skipIf(!hasK6)(`agents.ts times conflict resolution on the reference hub${SKIP}`, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hubproof-k6-hub-'));
    const hub = await startHub({ port: 0, dataDir });
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    cleanups.push(() => hub.close());
    const r = await k6('agents.ts', hub.target(), { SESSIONS: '2', PARTICIPANTS: '3', BURSTS: '2', HEARTBEATS: '5', DURATION: '3', WARMUP: '2', P99_MS: '1000', CONFLICT_P99_MS: '2000' });
    expect(r.code, r.out).toBe(0);
    expect(r.summary.scenarios[0].conflicts.latency.count).toBeGreaterThan(0);
  });
});
