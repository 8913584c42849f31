/**
 * `hubproof hub` as a user runs it: a real child process through bin/hubproof.js.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTarget } from '../../spec/target.ts';
import { TestClient } from './pusher/helpers.ts';

const BIN = join(import.meta.dirname, '../../bin/hubproof.js');
const dirs: string[] = [];
const children: ChildProcess[] = [];

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'hubproof-cli-'));
  dirs.push(d);
  return d;
}

function spawnHub(args: string[]) {
  const child = spawn(process.execPath, [BIN, 'hub', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

async function until<T>(fn: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('hubproof hub', () => {
  it('starts, writes a target file, serves it, and closes sockets with 4200 on SIGTERM', async () => {
    const dir = tempDir();
    const targetPath = join(dir, 'out', 'target.json');
    const hub = spawnHub(['--port', '0', '--data-dir', join(dir, 'data'), '--target-out', targetPath]);
    await until(() => (hub.out().includes('Press Ctrl+C') ? true : undefined), 20_000, `the hub banner (stderr: ${hub.err()})`);
    expect(existsSync(targetPath)).toBe(true);
    const target = parseTarget(JSON.parse(readFileSync(targetPath, 'utf8')));
    expect(target.process?.pid).toBe(hub.child.pid);
    expect(target.profiles).toContain('pusher');
    expect(hub.out()).toContain(`key=${target.app.key}`);
    expect(hub.out()).toContain(`secret=${target.app.secret}`);
    expect(hub.out()).toContain(target.agents[0]!.token);

    const client = await TestClient.connect({ wsUrl: target.nodes[0]!.ws, config: { app: target.app } });
    await client.subscribed('cli-check');
    hub.child.kill('SIGTERM');
    const closed = await client.closed;
    expect(closed.code).toBeGreaterThanOrEqual(4200);
    expect(closed.code).toBeLessThanOrEqual(4299);
    expect(await hub.exited).toBe(0);
    expect(hub.out()).toContain('hub stopped');
  }, 40_000);

  it('exits 2 with an Error: line naming the bad field of the config file', async () => {
    const dir = tempDir();
    const config = join(dir, 'hub.json');
    writeFileSync(config, JSON.stringify({ app: { id: '1', key: 'k', secret: 'short' } }));
    const hub = spawnHub(['--config', config, '--port', '0', '--data-dir', join(dir, 'data')]);
    expect(await hub.exited).toBe(2);
    expect(hub.err()).toMatch(/^Error: .*app\.secret/m);
  }, 30_000);

  it('exits 2 for a port that is not a number', async () => {
    const hub = spawnHub(['--port', 'eighty']);
    expect(await hub.exited).toBe(2);
    expect(hub.err()).toMatch(/^Error: --port/m);
  }, 30_000);
});
