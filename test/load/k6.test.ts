/**
 * Runs the k6 scripts on a real k6 (v2 or later, for k6/websockets: ../shared/tools/k6/k6 beside the
 * project, else k6 on PATH): fanout and presence against the bare ws server, agents against the reference
 * hub; each writes the Node driver's report shape to OUT. Without k6 every case is skipped, saying why; the
 * same scripts run under a k6 stand-in in k6-scripts.test.ts either way.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBareServer } from '../../bench/bare-ws-server.ts';
import type { LoadReport } from '../../load/report-types.ts';
import { startHub } from '../../reference-server/hub.ts';
import type { TargetFile } from '../../spec/target.ts';
import { K6_ENV, k6Bin, k6SkipNote as SKIP } from '../helpers/k6-binary.ts';

const hasK6 = k6Bin !== undefined;
const K6_DIR = join(import.meta.dirname, '..', '..', 'load', 'k6');
const SHORT = { CONNECT_S: '1', WARMUP: '1', DURATION: '3', DRAIN_S: '2' };
/**
 * The cases about delivery accounting lift the receive-lag limit (the shared test machine's timers
 * jitter); the case about a generator keeping up keeps the default (20 ms).
 */
const LAG = { MAX_LAG_MS: '250' };

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function k6(
  script: string,
  target: TargetFile,
  env: Record<string, string>,
): Promise<{ code: number; out: string; report: LoadReport }> {
  const dir = mkdtempSync(join(tmpdir(), 'hubproof-k6-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const targetFile = join(dir, 'target.json');
  const out = join(dir, 'report.json');
  writeFileSync(targetFile, JSON.stringify(target));
  const args = [
    'run',
    '--quiet',
    '-e',
    `TARGET=${targetFile}`,
    '-e',
    `OUT=${out}`,
    ...Object.entries({ ...SHORT, ...LAG, ...env }).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
    join(K6_DIR, script),
  ];
  const { code, text } = await new Promise<{ code: number; text: string }>((resolve) =>
    execFile(k6Bin!, args, { timeout: 90_000, cwd: dir, env: { ...process.env, ...K6_ENV } }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? -1) : 0, text: stdout + stderr }),
    ),
  );
  return { code, out: text, report: JSON.parse(readFileSync(out, 'utf8')) as LoadReport };
}

describe('k6 scripts on a real k6', () => {
  it.skipIf(!hasK6)(`fanout.ts delivers every event against the bare server${SKIP}`, async () => {
    const bare = await startBareServer();
    cleanups.push(() => bare.close());
    const r = await k6('fanout.ts', bare.target(), { RATE: '50', CHANNELS: '2', SUBSCRIBERS: '3', P99_MS: '1000' });
    expect(r.code, r.out).toBe(0);
    expect(r.report).toMatchObject({ tool: 'hubproof', kind: 'load', generator: 'k6', verdict: 'pass' });
    expect(r.report.scenarios[0]!.delivery.reach).toBe(1);
  });

  it.skipIf(!hasK6)(`fanout.ts exits non-zero and reports FAIL when the server drops events${SKIP}`, async () => {
    const bare = await startBareServer({ dropEvery: 5 });
    cleanups.push(() => bare.close());
    const r = await k6('fanout.ts', bare.target(), { RATE: '50', CHANNELS: '2', SUBSCRIBERS: '3', P99_MS: '1000' });
    expect(r.code).not.toBe(0);
    expect(r.report.verdict).toBe('fail');
    expect(r.report.scenarios[0]!.delivery.reach).toBeLessThan(1);
  });

  it.skipIf(!hasK6)(
    `fanout.ts at RATE=500 CHANNELS=1 SUBSCRIBERS=100 keeps up with reach 1, or says INVALID, never PASS with losses${SKIP}`,
    async () => {
      const bare = await startBareServer();
      cleanups.push(() => bare.close());
      const r = await k6('fanout.ts', bare.target(), { RATE: '500', CHANNELS: '1', SUBSCRIBERS: '100', MAX_LAG_MS: '20' });
      const s = r.report.scenarios[0]!;
      if (r.report.verdict === 'pass') expect(s.delivery.reach).toBe(1);
      else expect(r.report.verdict, r.out).toBe('invalid');
    },
  );

  it.skipIf(!hasK6)(`presence.ts reaches every dashboard on the bare server${SKIP}`, async () => {
    const bare = await startBareServer();
    cleanups.push(() => bare.close());
    const r = await k6('presence.ts', bare.target(), {
      RATE: '50',
      PUBLISHERS: '3',
      CHANNELS: '2',
      SUBSCRIBERS: '2',
      P99_MS: '1000',
      SET: 'thresholds.minRate=40',
    });
    expect(r.code, r.out).toBe(0);
    expect(r.report.scenarios[0]!.delivery.reach).toBe(1);
  });

  it.skipIf(!hasK6)(`agents.ts times conflict resolution on the reference hub${SKIP}`, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hubproof-k6-hub-'));
    const hub = await startHub({ port: 0, dataDir });
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    cleanups.push(() => hub.close());
    const r = await k6('agents.ts', hub.target(), {
      CHANNELS: '2',
      SUBSCRIBERS: '3',
      RATE: '5',
      SET: 'burstsPerS=1,todosPerS=1',
      P99_MS: '1000',
      CONFLICT_P99_MS: '2000',
    });
    expect(r.code, r.out).toBe(0);
    expect(r.report.scenarios[0]!.conflicts!.latency.count).toBeGreaterThan(0);
  });
});
