/**
 * A server in its own process that announces itself by writing a target file (`hubproof hub
 * --target-out f`, the bench's bare server): spawn it, wait for the file, stop it (SIGTERM, then SIGKILL).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HubproofError } from '../spec/errors.ts';
import { parseTarget, type TargetFile } from '../spec/target.ts';

/** How long a server may take to write its target file. */
export const READY_TIMEOUT_MS = 20_000;
/** How often to look for the target file (a restart's downtime counts against the hub's participants). */
const POLL_MS = 20;
/** After SIGTERM (a graceful close), how long before SIGKILL. */
const STOP_GRACE_MS = 5_000;

export interface HubProcess {
  child: ChildProcess;
  /** As the process wrote it, with `process.pid` set to the child's pid. */
  target: TargetFile;
  /** Graceful stop (SIGTERM; SIGKILL: a crash, no goodbye); resolves once the process has exited. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** SIGHUP (`hubproof hub` restarts in place), then waits for the target file written again. */
  hangup(timeoutMs?: number): Promise<void>;
}

/**
 * Runs `node <args> --target-out <targetOut>` and waits for the file (an old one is removed first). The
 * process is tied to this one over IPC: `hubproof hub` stops when its parent goes away, even killed.
 */
export async function startHubProcess(args: string[], targetOut: string, timeoutMs = READY_TIMEOUT_MS): Promise<HubProcess> {
  rmSync(targetOut, { force: true });
  const child = spawn(process.execPath, [...args, '--target-out', targetOut], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2000)));
  // A harness that exits without stopping its server (an uncaught error) takes it along.
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  child.once('exit', () => process.off('exit', orphanGuard));
  const target = await waitForTargetFile(child, targetOut, timeoutMs, () => stderr);
  return {
    child,
    target: { ...target, process: { pid: child.pid! } },
    stop: (signal) => stopChild(child, signal),
    async hangup(timeoutMs = READY_TIMEOUT_MS) {
      rmSync(targetOut, { force: true });
      child.kill('SIGHUP');
      await waitForTargetFile(child, targetOut, timeoutMs, () => stderr);
    },
  };
}

/** A server process and its target; `close` stops it and removes its directory. */
export interface SpawnedTarget {
  target: TargetFile;
  pid: number;
  close(): Promise<void>;
}

/** `startHubProcess` in a temporary directory `args(dir)` may use (data dirs). */
export async function spawnTargetProcess(
  prefix: string,
  args: (dir: string) => string[],
  timeoutMs = READY_TIMEOUT_MS,
): Promise<SpawnedTarget> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    const proc = await startHubProcess(args(dir), join(dir, 'target.json'), timeoutMs);
    return {
      target: proc.target,
      pid: proc.child.pid!,
      close: async () => {
        await proc.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

async function waitForTargetFile(child: ChildProcess, path: string, timeoutMs: number, stderr: () => string): Promise<TargetFile> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new HubproofError(
        'HUBPROOF_ERR_TARGET_UNREACHABLE',
        `the hub process exited with ${child.exitCode} before it was ready: ${stderr().trim().split('\n').at(-1) ?? ''}`,
      );
    }
    if (existsSync(path)) {
      try {
        return parseTarget(JSON.parse(readFileSync(path, 'utf8')), `target written by the hub (${path})`);
      } catch {
        // Being written; try again.
      }
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  child.kill('SIGKILL');
  throw new HubproofError('HUBPROOF_ERR_TIMEOUT', `the hub process did not write ${path} within ${timeoutMs} ms`);
}

/** SIGTERM (graceful close), SIGKILL after STOP_GRACE_MS. */
async function stopChild(child: ChildProcess, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}
