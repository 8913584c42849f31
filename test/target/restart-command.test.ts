/**
 * A target file's `restart.command` as vendors write it: `kill -HUP <pid>` returns before the hub has
 * restarted. The restart waits for the hub to close a connection opened before the command and then to
 * welcome a new one, so the cases after it never meet the gap (pusher/shutdown/1 once found
 * ECONNREFUSED there against `hubproof hub` with its default timers).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConformance } from '../../conformance/runner.ts';
import { commandRestart } from '../../target/restart-command.ts';
import type { TargetFile } from '../../spec/target.ts';
import WebSocket from 'ws';

const ROOT = join(import.meta.dirname, '..', '..');
let dir: string;
let child: ChildProcess;
let target: TargetFile;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hubproof-restart-'));
  const out = join(dir, 'target.json');
  child = spawn(process.execPath, ['bin/hubproof.js', 'hub', '--port', '0', '--data-dir', join(dir, 'data'), '--target-out', out], {
    cwd: ROOT,
    stdio: 'ignore',
  });
  const deadline = Date.now() + 20_000;
  while (!existsSync(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const written = JSON.parse(readFileSync(out, 'utf8')) as TargetFile;
  target = { ...written, restart: { command: `kill -HUP ${child.pid}` } };
}, 30_000);

afterAll(() => {
  child?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

describe('restart.command', () => {
  it('returns only once the hub has closed an earlier connection and welcomes a new one', async () => {
    const restart = commandRestart(target)!;
    const before = new WebSocket(`${target.nodes[0]!.ws}/app/${target.app.key}?protocol=7`);
    await new Promise((r) => before.once('open', r));
    const closed = new Promise<number>((r) => before.once('close', (code) => r(code)));
    await restart();
    // Closed by the restart (4200), not still open behind a hub that had not acted yet.
    expect(before.readyState).toBe(WebSocket.CLOSED);
    expect(await closed).toBe(4200);
  }, 60_000);

  it('lets the shutdown and persistence cases run against a hub restarted by kill -HUP', async () => {
    const report = await runConformance({
      target,
      selectors: ['pusher/shutdown', 'sync/delivery/2', 'sync/delivery/3', 'agent-presence/persistence/1'],
      strict: true,
      progress: null,
      seed: 1,
    });
    expect(report.results.map((r) => `${r.id} ${r.outcome}${r.reason ? `: ${r.reason}` : ''}`)).toEqual([
      'pusher/shutdown/1#1 pass',
      'pusher/shutdown/2#1 pass',
      'sync/delivery/2#1 pass',
      'sync/delivery/3#1 pass',
      'agent-presence/persistence/1#1 pass',
    ]);
  }, 120_000);
});
