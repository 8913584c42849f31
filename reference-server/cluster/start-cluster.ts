/**
 * Starts a whole reference cluster: a private redis-server (unless `redisUrl` names one) and N hub
 * nodes sharing it, each its own process on its own loopback port (`mode: 'child'`, the default: a
 * node can be SIGKILLed like a real one) or all in this process (`'in-process'`: quicker, for tests
 * that kill no node). The result is one target with N `nodes`, and dispose() stops everything it
 * started. Child nodes are tied to this process over IPC and redis-server to it over a pipe, so none
 * outlives it even when it is killed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TargetFile } from '../../spec/target.ts';
import type { HubConfigInput } from '../config.ts';
import { startHub, type RunningHub } from '../hub.ts';
import { freePort, startRedisServer, type RedisServer } from './redis-server.ts';

export interface ClusterOptions {
  nodes: number;
  /** Use this Redis instead of starting one. */
  redisUrl?: string;
  /** Config of every node (timings, app, webhooks…); `redis.url` and `port` are set here. */
  hub?: HubConfigInput;
  /** Ports of the nodes; default free ones. */
  ports?: number[];
  mode?: 'child' | 'in-process';
  /** How long a node may take to come up. */
  startTimeoutMs?: number;
}

export interface ClusterNodeHandle {
  http: string;
  ws: string;
  port: number;
  /** The node's process id (this process for in-process nodes). */
  pid: number;
}

export interface RunningCluster {
  redisUrl: string;
  /** The private redis-server, when this starter started one. */
  redis: RedisServer | undefined;
  nodes: ClusterNodeHandle[];
  /** One target whose `nodes` are all the nodes. */
  target(): TargetFile;
  /** Kills node `i` without a goodbye (SIGKILL for a child; an in-process node is closed abruptly). */
  kill(i: number): Promise<void>;
  /**
   * Brings node `i` back on its port as a new node to the cluster (same URLs, fresh node id): a live
   * child restarts in place (SIGHUP: graceful close, then it joins again in the same process, in tens of
   * milliseconds), a killed one is started again; an in-process node is closed and started again.
   */
  restart(i: number): Promise<void>;
  dispose(): Promise<void>;
}

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'hubproof.js');

interface NodeProc {
  handle: ClusterNodeHandle;
  target: TargetFile;
  stop(graceful: boolean): Promise<void>;
  /** Restarts the node inside its process, when it can (a child: `hubproof hub` restarts on SIGHUP). */
  hangup?(): Promise<void>;
}

/** Waits for the target file a starting node writes; fails when the process exits or takes too long. */
async function waitForTarget(child: ChildProcess, path: string, i: number, timeoutMs: number, stderr: () => string): Promise<TargetFile> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`cluster node ${i} exited with ${child.exitCode}: ${stderr().trim()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`cluster node ${i} did not start within ${timeoutMs} ms: ${stderr().trim()}`);
    }
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as TargetFile;
    } catch {
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

async function startChildNode(config: HubConfigInput, port: number, dir: string, i: number, timeoutMs: number): Promise<NodeProc> {
  const configPath = join(dir, `node-${i}.json`);
  const targetPath = join(dir, `node-${i}.target.json`);
  rmSync(targetPath, { force: true });
  writeFileSync(configPath, JSON.stringify({ ...config, port }));
  const child: ChildProcess = spawn(process.execPath, [BIN, 'hub', '--config', configPath, '--target-out', targetPath], {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const target = await waitForTarget(child, targetPath, i, timeoutMs, () => stderr);
  const node = target.nodes[0]!;
  return {
    handle: { http: node.http, ws: node.ws, port, pid: child.pid! },
    target,
    stop: async (graceful) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(graceful ? 'SIGTERM' : 'SIGKILL');
      await exited;
    },
    // A new process takes seconds to start on a busy machine; in place it is back in milliseconds.
    hangup: async () => {
      rmSync(targetPath, { force: true });
      child.kill('SIGHUP');
      await waitForTarget(child, targetPath, i, timeoutMs, () => stderr);
    },
  };
}

async function startInProcessNode(config: HubConfigInput, port: number): Promise<NodeProc> {
  const hub: RunningHub = await startHub({ ...config, port });
  return {
    handle: { http: hub.httpUrl, ws: hub.wsUrl, port: hub.port, pid: process.pid },
    target: hub.target(),
    stop: async (graceful) => {
      if (graceful) return hub.close();
      // No goodbye: the others must notice the missing lease, as after a crash.
      hub.server.closeAllConnections();
      await hub.crash();
    },
  };
}

export async function startCluster(options: ClusterOptions): Promise<RunningCluster> {
  if (!Number.isInteger(options.nodes) || options.nodes < 1)
    throw new TypeError(`options.nodes must be a positive integer, got ${options.nodes}`);
  const redis = options.redisUrl === undefined ? await startRedisServer() : undefined;
  const redisUrl = options.redisUrl ?? redis!.url;
  const dir = mkdtempSync(join(tmpdir(), 'hubproof-cluster-'));
  const base = options.hub ?? {};
  const config: HubConfigInput = { ...base, redis: { ...(base.redis ?? {}), url: redisUrl } };
  const mode = options.mode ?? 'child';
  const timeoutMs = options.startTimeoutMs ?? 30_000;
  const ports = options.ports ?? (await Promise.all(Array.from({ length: options.nodes }, () => freePort())));
  const start = (i: number) =>
    mode === 'child' ? startChildNode(config, ports[i]!, dir, i, timeoutMs) : startInProcessNode(config, ports[i]!);

  const procs: Array<NodeProc | undefined> = [];
  // One kill or restart of a node at a time: a restart still starting a killed node (seconds on a busy
  // machine) must not race a second one into starting another process on the same port.
  const busy: Array<Promise<void> | undefined> = [];
  const serial = (i: number, fn: () => Promise<void>): Promise<void> => {
    const run = (busy[i] ?? Promise.resolve()).catch(() => undefined).then(fn);
    busy[i] = run;
    return run;
  };
  const dispose = async () => {
    await Promise.all(busy.map((p) => p?.catch(() => undefined)));
    await Promise.all(procs.map((p) => p?.stop(true).catch(() => undefined)));
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // Together: each replays the log and joins on its own; the slow part of a child is Node starting.
    const started = await Promise.allSettled(Array.from({ length: options.nodes }, (_, i) => start(i)));
    for (const r of started) procs.push(r.status === 'fulfilled' ? r.value : undefined);
    const failed = started.find((r) => r.status === 'rejected');
    if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
  } catch (err) {
    await dispose();
    throw err;
  }
  const nodes = procs.map((p) => p!.handle);
  return {
    redisUrl,
    redis,
    nodes,
    target: () => {
      const first = procs[0]!.target;
      return { ...first, nodes: nodes.map((n) => ({ ws: n.ws, http: n.http, process: { pid: n.pid } })), process: { pid: nodes[0]!.pid } };
    },
    kill: (i) =>
      serial(i, async () => {
        await procs[i]?.stop(false);
        procs[i] = undefined;
      }),
    restart: (i) =>
      serial(i, async () => {
        const proc = procs[i];
        if (proc?.hangup !== undefined) return proc.hangup();
        await proc?.stop(true);
        procs[i] = await start(i);
        nodes[i] = procs[i]!.handle;
      }),
    dispose,
  };
}
