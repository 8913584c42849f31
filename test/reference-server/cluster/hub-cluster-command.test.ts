/**
 * `hubproof hub --cluster N` and `hub --redis` as a user runs them: real child processes through
 * bin/hubproof.js. Start, one N-node target, stop on SIGTERM, nothing left running (nor after the
 * parent is SIGKILLed), and the exit-2 lines for a Redis that cannot be reached or installed.
 */
import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../../reference-server/cluster/redis-server.ts';
import { HubInfo } from '../../../spec/schemas/sync.ts';
import { parseTarget } from '../../../spec/target.ts';
import { hubProcesses } from '../hub-process.ts';
import { NO_REDIS, until } from './helpers.ts';

const { tempDir, spawnHub: run } = hubProcesses();

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The pids of the nodes and redis-server from the banner. */
function pids(out: string): number[] {
  return [...out.matchAll(/pid (\d+)/g)].map((m) => Number(m[1]));
}

describe('hubproof hub with Redis', () => {
  it('exits 2 with one Error: line naming the URL when --redis cannot be reached', async () => {
    const port = await freePort();
    const hub = run(['--redis', `redis://127.0.0.1:${port}`, '--port', '0']);
    expect(await hub.exited).toBe(2);
    const lines = hub.err().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^Error: cannot reach Redis at redis://127\\.0\\.0\\.1:${port}\\b`));
  }, 30_000);

  it('exits 2 telling how to install redis-server when --cluster finds none on PATH', async () => {
    const bin = tempDir();
    symlinkSync(process.execPath, join(bin, 'node'));
    symlinkSync('/bin/sh', join(bin, 'sh'));
    const hub = run(['--cluster', '2', '--port', '0'], { ...process.env, PATH: bin });
    expect(await hub.exited).toBe(2);
    expect(hub.err().trim().split('\n')).toHaveLength(1);
    expect(hub.err()).toMatch(/^Error: .*apt-get install redis-server/);
  }, 30_000);

  describe.skipIf(NO_REDIS !== undefined)(`--cluster${NO_REDIS ? ` — skipped: ${NO_REDIS}` : ''}`, () => {
    it('starts redis-server and two nodes behind one target, and stops all of them on SIGTERM', async () => {
      const targetPath = join(tempDir(), 'cluster.json');
      const hub = run(['--cluster', '2', '--port', '0', '--target-out', targetPath]);
      await until(
        () => hub.out().includes('Press Ctrl+C') || hub.child.exitCode !== null,
        40_000,
        `the cluster banner (stderr: ${hub.err()})`,
      );
      const target = parseTarget(JSON.parse(readFileSync(targetPath, 'utf8')));
      expect(target.nodes).toHaveLength(2);
      for (const node of target.nodes) {
        const info = HubInfo.parse(await (await fetch(`${node.http}/api/hub`)).json());
        expect(info.cluster).toMatchObject({ nodes: 2, status: 'connected', persistence: 'aof' });
      }
      const started = pids(hub.out());
      expect(started).toHaveLength(3); // redis-server and two nodes
      hub.child.kill('SIGTERM');
      expect(await hub.exited).toBe(0);
      expect(hub.out()).toContain('cluster stopped');
      await until(() => started.every((pid) => !alive(pid)), 5_000, 'every process it started to exit');
    }, 60_000);

    it('leaves nothing running when the parent is killed with SIGKILL', async () => {
      const hub = run(['--cluster', '2', '--port', '0']);
      await until(
        () => hub.out().includes('Press Ctrl+C') || hub.child.exitCode !== null,
        40_000,
        `the cluster banner (stderr: ${hub.err()})`,
      );
      const started = pids(hub.out());
      expect(started).toHaveLength(3);
      hub.child.kill('SIGKILL');
      await hub.exited;
      await until(
        () => started.every((pid) => !alive(pid)),
        10_000,
        `the nodes and redis-server (${started.join(', ')}) to exit with their parent`,
      );
    }, 60_000);
  });
});
