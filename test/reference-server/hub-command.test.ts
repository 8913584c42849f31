/**
 * `hubproof hub` as a user runs it: a real child process through bin/hubproof.js.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTarget } from '../../spec/target.ts';
import { hubProcesses } from './hub-process.ts';
import { TestClient } from './pusher/helpers.ts';

const { tempDir, spawnHub } = hubProcesses();

async function until<T>(fn: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

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
