/**
 * A server in its own process that announces itself by writing a target file (`hubproof hub
 * --target-out f`, the bench's bare server): spawn it, wait for the file, stop it (SIGTERM, then SIGKILL).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HubproofError } from '../spec/errors.ts';
import { parseTarget, type TargetFile } from '../spec/target.ts';

/** How long a server may take to write its target file. */
export const READY_TIMEOUT_MS = 20_000;
/** After SIGTERM (a graceful close), how long before SIGKILL. */
const STOP_GRACE_MS = 5_000;

export interface HubProcess {
  child: ChildProcess;
  /** As the process wrote it, with `process.pid` set to the child's pid. */
  target: TargetFile;
  /** Graceful stop; resolves once the process has exited. */
  stop(): Promise<void>;
}

/** Runs `node <args> --target-out <targetOut>` and waits for the file (an old one is removed first). */
export async function startHubProcess(args: string[], targetOut: string, timeoutMs = READY_TIMEOUT_MS): Promise<HubProcess> {
  rmSync(targetOut, { force: true });
  return ready(launch([...args, '--target-out', targetOut], 'ignore'), targetOut, timeoutMs);
}

/** A `hubproof` process loaded and held (cli/hub-standby.ts) until `start()`. */
export interface StandbyHub {
  /** Lets it run and waits for its target file. */
  start(timeoutMs?: number): Promise<HubProcess>;
  /** Lets it exit without running. */
  discard(): void;
}

const STANDBY_ENTRY = fileURLToPath(new URL('./hub-standby.ts', import.meta.url));

/** Spawns `hubproof <hubproofArgs> --target-out <targetOut>` now, held before it runs. */
export function standbyHubProcess(hubproofArgs: string[], targetOut: string): StandbyHub {
  const launched = launch(['--import', import.meta.resolve('tsx'), STANDBY_ENTRY, ...hubproofArgs, '--target-out', targetOut], 'pipe');
  return {
    start(timeoutMs = READY_TIMEOUT_MS) {
      rmSync(targetOut, { force: true });
      launched.child.stdin!.end('start\n');
      return ready(launched, targetOut, timeoutMs);
    },
    discard: () => void launched.child.stdin!.end(),
  };
}

interface Launched {
  child: ChildProcess;
  stderr(): string;
}

function launch(args: string[], stdin: 'ignore' | 'pipe'): Launched {
  const child = spawn(process.execPath, args, { stdio: [stdin, 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2000)));
  // Writing to a standby that died is reported by its exit code, not as an uncaught EPIPE.
  child.stdin?.on('error', () => undefined);
  // A harness that exits without stopping its hub (an uncaught error) takes the hub along.
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  child.once('exit', () => process.off('exit', orphanGuard));
  return { child, stderr: () => stderr };
}

async function ready({ child, stderr }: Launched, targetOut: string, timeoutMs: number): Promise<HubProcess> {
  const target = await waitForTargetFile(child, targetOut, timeoutMs, stderr);
  return { child, target: { ...target, process: { pid: child.pid! } }, stop: () => stopChild(child) };
}

/** A server process and its target; `close` stops it and removes its directory. */
export interface SpawnedTarget {
  target: TargetFile;
  pid: number;
  close(): Promise<void>;
}

/** `startHubProcess` in a temporary directory `args(dir)` may use (data dirs). */
export async function spawnTargetProcess(prefix: string, args: (dir: string) => string[], timeoutMs = READY_TIMEOUT_MS): Promise<SpawnedTarget> {
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

/** SIGTERM (graceful close), SIGKILL after STOP_GRACE_MS. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}
