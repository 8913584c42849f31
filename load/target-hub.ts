/**
 * Where `hubproof load` sends its load: a target file (external hub), or the reference hub started for
 * the run. The reference hub runs as a child process by default (`hubproof hub --port 0 --target-out f`),
 * so its CPU is not the driver's and its RSS is its own; `--hub in-process` runs it inside the driver,
 * and the report says so.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { HubproofError } from '../spec/errors.ts';
import { loadTargetFile, parseTarget, type TargetFile } from '../spec/target.ts';

export type HubMode = 'child' | 'in-process' | 'external';

export interface LoadTarget {
  target: TargetFile;
  mode: HubMode;
  pid?: number;
  close(): Promise<void>;
}

export interface ResolveOptions {
  /** Path of a target file; absent = start the reference hub. */
  targetFile?: string;
  /** Already-parsed target (programmatic callers such as certify). */
  target?: TargetFile;
  /** How to run the reference hub: 'auto'/'child' = its own process (default), 'in-process' = inside the driver. */
  hub?: 'auto' | 'child' | 'in-process';
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export async function resolveLoadTarget(o: ResolveOptions = {}): Promise<LoadTarget> {
  if (o.target) return { target: o.target, mode: 'external', pid: o.target.process?.pid, close: async () => undefined };
  if (o.targetFile) {
    const target = loadTargetFile(o.targetFile);
    return { target, mode: 'external', pid: target.process?.pid, close: async () => undefined };
  }
  return o.hub === 'in-process' ? startInProcessHub() : startChildHub();
}

async function startInProcessHub(): Promise<LoadTarget> {
  const { startHub } = await import('../reference-server/hub.ts');
  const dataDir = mkdtempSync(join(tmpdir(), 'hubproof-load-'));
  const hub = await startHub({ port: 0, dataDir });
  return {
    target: hub.target(),
    mode: 'in-process',
    pid: process.pid,
    close: async () => {
      await hub.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Spawns `node bin/hubproof.js hub --port 0 --data-dir tmp --target-out tmp/target.json` and waits for the target file. */
export async function startChildHub(timeoutMs = 20_000): Promise<LoadTarget> {
  return spawnTargetProcess('hubproof-load-', (dir) => {
    const dataDir = join(dir, 'data');
    mkdirSync(dataDir);
    return [join(ROOT, 'bin', 'hubproof.js'), 'hub', '--port', '0', '--data-dir', dataDir];
  }, timeoutMs);
}

/**
 * Runs a server in its own process (so its CPU and RSS are its own): `args(dir)` plus `--target-out
 * <dir>/target.json`, then waits for that file. Closing stops the process and removes `dir`.
 */
export async function spawnTargetProcess(prefix: string, args: (dir: string) => string[], timeoutMs = 20_000): Promise<LoadTarget> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const targetOut = join(dir, 'target.json');
  const child = spawn(process.execPath, [...args(dir), '--target-out', targetOut], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2000)));
  const target = await waitForTargetFile(child, targetOut, timeoutMs, () => stderr);
  return {
    target: { ...target, process: { pid: child.pid! } },
    mode: 'child',
    pid: child.pid,
    close: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function waitForTargetFile(child: ChildProcess, path: string, timeoutMs: number, stderr: () => string): Promise<TargetFile> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new HubproofError('HUBPROOF_ERR_TARGET_UNREACHABLE', `the hub process exited with ${child.exitCode} before it was ready: ${stderr().trim().split('\n').at(-1) ?? ''}`);
    }
    if (existsSync(path)) {
      try {
        return parseTarget(JSON.parse(readFileSync(path, 'utf8')), `target written by the hub (${path})`);
      } catch {
        // Being written; try again.
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new HubproofError('HUBPROOF_ERR_TIMEOUT', `the hub process did not write ${path} within ${timeoutMs} ms`);
}

/** SIGTERM (graceful close), SIGKILL after 5 s. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Every node's HTTP and WebSocket endpoint must accept a TCP connection within `timeoutMs`; else exit-2 error. */
export async function probeTarget(target: TargetFile, timeoutMs = 3000): Promise<void> {
  for (const node of target.nodes) {
    for (const url of [node.http, node.ws]) {
      const u = new URL(url);
      const secure = u.protocol === 'https:' || u.protocol === 'wss:';
      const host = u.hostname.replace(/^\[|\]$/g, '');
      const port = Number(u.port || (secure ? 443 : 80));
      const err = await new Promise<string | undefined>((resolve) => {
        const sock = connect({ host, port });
        const timer = setTimeout(() => done(`no answer within ${timeoutMs} ms`), timeoutMs);
        function done(e?: string): void {
          clearTimeout(timer);
          sock.destroy();
          resolve(e);
        }
        sock.once('connect', () => done());
        sock.once('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
      });
      if (err) {
        throw new HubproofError('HUBPROOF_ERR_TARGET_UNREACHABLE', `target "${target.name}" did not answer at ${url} (${err}); check that the hub runs and the URLs in the target file`);
      }
    }
  }
}
