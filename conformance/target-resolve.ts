/**
 * Resolves what the suite runs against: the given target, or an embedded reference hub with fast
 * timings (so heartbeat and idle rules run in seconds) that the runner owns and can restart. Then probes
 * reachability and reads GET /api/hub where the target's profiles promise it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HubproofError } from '../spec/errors.ts';
import { HubInfo } from '../spec/schemas/sync.ts';
import type { TargetFile } from '../spec/target.ts';
import type { HubConfigInput } from '../reference-server/config.ts';

/** Timings of the embedded hub: short enough for a full run in minutes, long enough for a busy machine. */
export const FAST_HUB_TIMINGS = {
  activityTimeoutS: 2,
  pongTimeoutMs: 1000,
  heartbeatIntervalMs: 1000,
  heartbeatTimeoutMs: 2000,
  sweepIntervalMs: 200,
  staleGraceMs: 2000,
  idleAfterMs: 1500,
  offlineAfterMs: 3000,
} as const;

export interface ResolvedTarget {
  target: TargetFile;
  /** Present when the runner owns the hub (embedded) or the target file says how to restart. */
  restart?: () => Promise<void>;
  embedded: boolean;
  /** Stops an embedded hub and removes its data dir; no-op otherwise. */
  dispose(): Promise<void>;
}

/** Starts the embedded reference hub on a free loopback port with a temporary data dir. */
export async function startEmbeddedHub(overrides: HubConfigInput = {}): Promise<ResolvedTarget> {
  const { startHub } = await import('../reference-server/hub.ts');
  const dataDir = mkdtempSync(join(tmpdir(), 'hubproof-conform-'));
  // Webhooks go to a loopback port reserved now; webhook cases listen there while they run.
  const webhookUrl = `http://127.0.0.1:${await freePort()}/webhooks`;
  const config: HubConfigInput = {
    port: 0,
    dataDir,
    webhooks: { url: webhookUrl, vacatedDelayMs: 500 },
    ...overrides,
    timings: { ...FAST_HUB_TIMINGS, ...(overrides.timings ?? {}) },
  };
  let hub = await startHub(config);
  const port = hub.port;
  const target: TargetFile = {
    ...hub.target(),
    ...(hub.config.webhooks ? { webhooks: { listen: hub.config.webhooks.url } } : {}),
  };
  let disposed = false;
  return {
    target,
    embedded: true,
    restart: async () => {
      await hub.close();
      // Same port and data dir: clients reconnect to the same URLs and find the same SQLite file.
      hub = await startHub({ ...config, port });
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await hub.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A free loopback port (bound, read, released). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** A target file's `restart.command` run through the shell, then wait until the hub answers again. */
export function commandRestart(target: TargetFile): (() => Promise<void>) | undefined {
  const command = target.restart?.command;
  if (!command) return undefined;
  return async () => {
    const { spawn } = await import('node:child_process');
    await new Promise<void>((resolve, reject) => {
      const child = spawn(command, { shell: true, stdio: 'ignore' });
      const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`restart command did not finish within 60 s: ${command}`))), 60_000);
      child.once('exit', (code) => (clearTimeout(timer), code === 0 ? resolve() : reject(new Error(`restart command exited ${code}: ${command}`))));
    });
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        await probeTarget(target, 1000);
        return;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  };
}

function tcpProbe(host: string, port: number, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const sock = connect({ host, port });
    const done = (err?: string) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(err);
    };
    const timer = setTimeout(() => done(`no answer within ${timeoutMs} ms`), timeoutMs);
    sock.once('connect', () => done());
    sock.once('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
  });
}

function hostPort(url: string): { host: string; port: number } {
  const u = new URL(url);
  const secure = u.protocol === 'https:' || u.protocol === 'wss:';
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port: u.port ? Number(u.port) : secure ? 443 : 80 };
}

/** Every node's HTTP and WebSocket endpoint must accept a TCP connection; else one coded error. */
export async function probeTarget(target: TargetFile, timeoutMs = 3000): Promise<void> {
  const seen = new Set<string>();
  for (const node of target.nodes) {
    for (const url of [node.http, node.ws]) {
      const { host, port } = hostPort(url);
      const key = `${host}:${port}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const err = await tcpProbe(host, port, timeoutMs);
      if (err) {
        throw new HubproofError(
          'HUBPROOF_ERR_TARGET_UNREACHABLE',
          `target "${target.name}" did not answer at ${url} (${err}); check that the hub runs and the URLs in the target file`,
        );
      }
    }
  }
}

/** GET {http}/api/hub for targets with the sync or agent-presence profile; undefined otherwise or on any problem. */
export async function fetchHubInfo(target: TargetFile, warn: (m: string) => void): Promise<HubInfo | undefined> {
  if (!target.profiles.includes('sync') && !target.profiles.includes('agent-presence')) return undefined;
  const url = `${target.nodes[0]!.http.replace(/\/+$/, '')}/api/hub`;
  const token = target.agents[0]?.token;
  try {
    const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(5000) });
    if (res.status !== 200) {
      warn(`GET ${url} answered ${res.status}; using the target file's timings and defaults`);
      return undefined;
    }
    const parsed = HubInfo.safeParse(await res.json());
    if (!parsed.success) {
      warn(`GET ${url} does not match the HubInfo schema (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}); using defaults`);
      return undefined;
    }
    return parsed.data;
  } catch (err) {
    warn(`GET ${url} failed (${(err as Error).message}); using the target file's timings and defaults`);
    return undefined;
  }
}
