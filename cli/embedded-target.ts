/**
 * The embedded reference hub: what `conform`, `load` and `certify` run against without `--target`, and
 * what the self-test's broken hubs wrap. The one place harness code starts a reference hub; runners are
 * handed the result as a target (target/handle.ts) and never start hubs themselves.
 *
 * Modes are a table (STARTERS), so another way to run the hub — e.g. N processes behind one Redis — is
 * one more entry with the same result shape, not a change to the callers.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HubConfigInput } from '../reference-server/config.ts';
import { HubproofError } from '../spec/errors.ts';
import type { TargetFile } from '../spec/target.ts';
import type { EmbeddedMode, HubOutage, NodeControl, TargetHandle } from '../target/handle.ts';
import { findRedisServer } from '../reference-server/cluster/redis-server.ts';
import { missingTool, missingToolText } from '../load/optional-tool.ts';
import { FAST_LEASE_MS, startEmbeddedCluster } from './embedded-cluster.ts';
import { startHubProcess, type HubProcess } from './hub-process.ts';

export type { EmbeddedMode } from '../target/handle.ts';

/** Timings of the hub the checks run against: heartbeat, idle and stale rules in seconds, with room for a busy machine. */
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

/** How long a webhook `channel_vacated`/`member_removed` is held back on the fast hub (the hub's default is 3 s). */
const FAST_VACATED_DELAY_MS = 500;

export interface EmbeddedTargetOptions {
  /** 'fast' (default): FAST_HUB_TIMINGS, so timing rules run in seconds. 'default': the hub's own timings. */
  timers?: 'fast' | 'default';
  /** 'child' (default): `hubproof hub` in its own process, so its CPU and RSS are its own. */
  mode?: EmbeddedMode;
  /** Sign and POST webhooks to a reserved loopback port the target file names (default: with fast timers). */
  webhooks?: boolean;
  /** Extra reference hub config, merged over the above (tests switch features off with it). */
  hubConfig?: HubConfigInput;
  /** What a restart comes back with: 'same-data' (default) or 'empty-data', a hub that lost its disk. */
  restartWith?: 'same-data' | 'empty-data';
  /**
   * Nodes of a cluster sharing a private redis-server (cli/embedded-cluster.ts); absent (default): a
   * single hub on SQLite. A cluster's data lives in Redis, so it restarts with the same data only.
   */
  cluster?: number;
}

export interface EmbeddedTarget {
  /** Points at the hub; with webhooks, `webhooks.listen` is where it POSTs them. */
  target: TargetFile;
  /**
   * Closes the hub (connections get 4200) and starts it again on the same port and data dir; a child
   * restarts inside its process (SIGHUP). With restartWith 'empty-data' the data dir is a new one (and a
   * child a new process: `target.process.pid` follows it). A cluster restarts every node.
   */
  restart(): Promise<void>;
  /** A cluster's: kills or restarts one node. */
  nodeControl?: NodeControl;
  /**
   * A deploy with downtime (the storm scenario): stops the hub (`signal`: SIGTERM closes every connection
   * with 4200, SIGKILL is a crash), keeps the port closed for `downMs`, then starts it again on the same
   * port and data. Absent on a cluster.
   */
  outage?: HubOutage;
  mode: EmbeddedMode;
  /** The hub's pid (the harness's own in-process). */
  readonly pid: number;
  /** Where its SQLite file lives (under a temp dir dispose removes). */
  readonly dataDir: string;
  /** Stops the hub and removes its data; idempotent. */
  dispose(): Promise<void>;
}

/** Starts the reference hub on a free loopback port with a temporary data dir. */
export async function startEmbeddedTarget(options: EmbeddedTargetOptions = {}): Promise<EmbeddedTarget> {
  const timers = options.timers ?? 'fast';
  const mode = options.mode ?? 'child';
  const webhooks = options.webhooks ?? timers === 'fast';
  const nodes = options.cluster;
  if (nodes !== undefined && !(Number.isInteger(nodes) && nodes >= 1))
    throw new TypeError(`options.cluster must be a number of nodes, got ${nodes}`);
  if (nodes !== undefined && options.restartWith === 'empty-data')
    throw new TypeError("options.restartWith 'empty-data' and options.cluster: a cluster keeps its data in Redis");
  const dir = mkdtempSync(join(tmpdir(), 'hubproof-hub-'));
  try {
    const config: HubConfigInput = {
      ...(webhooks ? { webhooks: { url: `http://127.0.0.1:${await freePort()}/webhooks`, vacatedDelayMs: FAST_VACATED_DELAY_MS } } : {}),
      ...options.hubConfig,
      timings: { ...(timers === 'fast' ? FAST_HUB_TIMINGS : {}), ...options.hubConfig?.timings },
    };
    const spec: StartSpec = { config, dir, restartWith: options.restartWith ?? 'same-data' };
    const hub = nodes !== undefined ? await startCluster(spec, nodes, mode, timers) : await STARTERS[mode](spec);
    const url = config.webhooks?.url;
    // Webhooks go to a port reserved now; webhook cases listen there while they run.
    if (url !== undefined) hub.target.webhooks = { listen: url };
    return hub;
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

interface StartSpec {
  /** Everything but port and data dir. */
  config: HubConfigInput;
  /** Owned by the hub from here on: data dirs live under it, dispose removes it. */
  dir: string;
  restartWith: 'same-data' | 'empty-data';
}

const STARTERS: Record<EmbeddedMode, (spec: StartSpec) => Promise<EmbeddedTarget>> = {
  'in-process': startInProcess,
  child: startChild,
};

/** The data dir a restart comes back with: the first one, or a new empty one per restart. */
function dataDirs(spec: StartSpec): { first: string; forRestart(): string } {
  let n = 0;
  const fresh = () => {
    const d = join(spec.dir, `data-${n++}`);
    mkdirSync(d);
    return d;
  };
  const first = fresh();
  return { first, forRestart: () => (spec.restartWith === 'empty-data' ? fresh() : first) };
}

/** How one mode runs the hub; `embedded()` adds what every mode shares. */
interface StartedHub {
  mode: EmbeddedMode;
  target: TargetFile;
  pid(): number;
  dataDir(): string;
  restart(): Promise<void>;
  outage?: HubOutage;
  stop(): Promise<void>;
}

/** One restart at a time (a second caller shares the one in flight); dispose is idempotent and waits for it. */
function embedded(spec: StartSpec, hub: StartedHub & { nodeControl?: NodeControl }): EmbeddedTarget {
  let restarting: Promise<void> | undefined;
  let disposed = false;
  return {
    target: hub.target,
    mode: hub.mode,
    ...(hub.nodeControl === undefined ? {} : { nodeControl: hub.nodeControl }),
    ...(hub.outage === undefined ? {} : { outage: (o) => (restarting ??= hub.outage!(o).finally(() => (restarting = undefined))) }),
    get pid() {
      return hub.pid();
    },
    get dataDir() {
      return hub.dataDir();
    },
    restart: () => (restarting ??= hub.restart().finally(() => (restarting = undefined))),
    async dispose() {
      if (disposed) return;
      disposed = true;
      await restarting?.catch(() => undefined);
      await hub.stop();
      rmSync(spec.dir, { recursive: true, force: true });
    },
  };
}

async function startInProcess(spec: StartSpec): Promise<EmbeddedTarget> {
  const { startHub } = await import('../reference-server/hub.ts');
  const data = dataDirs(spec);
  let dataDir = data.first;
  let hub = await startHub({ ...spec.config, port: 0, dataDir });
  const port = hub.port;
  return embedded(spec, {
    mode: 'in-process',
    target: hub.target(),
    pid: () => process.pid,
    dataDir: () => dataDir,
    async restart() {
      await hub.close();
      dataDir = data.forRestart();
      hub = await startHub({ ...spec.config, port, dataDir });
    },
    // In-process there is no crash to stage: both signals close the hub gracefully.
    async outage({ downMs }) {
      const down = performance.now();
      await hub.close();
      await sleep(downMs - (performance.now() - down));
      dataDir = data.forRestart();
      hub = await startHub({ ...spec.config, port, dataDir });
    },
    stop: () => hub.close(),
  });
}

/** N nodes and a private redis-server; with fast timers a short lease, so a killed node leaves quickly. */
async function startCluster(spec: StartSpec, nodes: number, mode: EmbeddedMode, timers: 'fast' | 'default'): Promise<EmbeddedTarget> {
  const cluster = await startEmbeddedCluster({
    nodes,
    mode,
    config: spec.config,
    ...(timers === 'fast' ? { leaseMs: FAST_LEASE_MS } : {}),
  });
  return embedded(spec, {
    mode,
    target: cluster.target,
    pid: cluster.pid,
    dataDir: cluster.dataDir,
    restart: cluster.restart,
    stop: cluster.stop,
    nodeControl: cluster.nodeControl,
  });
}

const HUBPROOF_BIN = fileURLToPath(new URL('../bin/hubproof.js', import.meta.url));

/**
 * `node bin/hubproof.js hub --port P --config F --data-dir D --target-out T`. A restart is a SIGHUP: the
 * hub closes and starts again inside its process, on the same port and data, in tens of milliseconds. A
 * new process would take seconds to start on a busy machine, longer than the fast hub's heartbeat
 * timeout, and every participant would come back stale. Only restartWith 'empty-data' starts a new
 * process (on a new data dir).
 */
async function startChild(spec: StartSpec): Promise<EmbeddedTarget> {
  const data = dataDirs(spec);
  const configFile = join(spec.dir, 'hub.json');
  writeFileSync(configFile, JSON.stringify(spec.config));
  const targetOut = join(spec.dir, 'target.json');
  const launch = (port: number, dir: string) =>
    startHubProcess([HUBPROOF_BIN, 'hub', '--port', String(port), '--config', configFile, '--data-dir', dir], targetOut);
  let dataDir = data.first;
  let proc: HubProcess = await launch(0, dataDir);
  const target = proc.target;
  const port = Number(new URL(target.nodes[0]!.http).port);
  return embedded(spec, {
    mode: 'child',
    target,
    pid: () => proc.child.pid!,
    dataDir: () => dataDir,
    async restart() {
      if (spec.restartWith === 'same-data') return proc.hangup();
      await proc.stop();
      dataDir = data.forRestart();
      proc = await launch(port, dataDir);
      // The runners hold this object: the pid they sample must be the live process's.
      target.process = { pid: proc.child.pid! };
    },
    async outage({ downMs, signal }) {
      const down = performance.now();
      await proc.stop(signal);
      await sleep(downMs - (performance.now() - down));
      dataDir = data.forRestart();
      proc = await launch(port, dataDir);
      target.process = { pid: proc.child.pid! };
    },
    stop: () => proc.stop(),
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));

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

/** Most nodes `--cluster` starts (as `hubproof hub --cluster`). */
const MAX_CLUSTER_NODES = 16;

/**
 * `--cluster N` of conform, load and certify: the embedded hub as N nodes sharing a private
 * redis-server; undefined without the flag. With --target it is a usage error (the target is the hub).
 */
export function clusterOption(value: string | undefined, targetPath: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (targetPath !== undefined)
    throw new HubproofError(
      'HUBPROOF_ERR_USAGE',
      '--cluster starts an embedded cluster; drop it when you pass --target (list the nodes in the target file)',
    );
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > MAX_CLUSTER_NODES)
    throw new HubproofError('HUBPROOF_ERR_USAGE', `--cluster must be a number of nodes from 1 to ${MAX_CLUSTER_NODES}, got "${value}"`);
  return n;
}

/**
 * `--cluster N` of conform, load and certify without redis-server on PATH: the run goes on with one node
 * (a missing tool of the harness's is not the hub's failure) and says why, with the command that installs
 * it, on stderr and in every cluster case's skip reason. Undefined when the cluster can start.
 */
function clusterWithoutRedis(nodes: number | undefined): string | undefined {
  if (nodes === undefined || findRedisServer() !== undefined) return undefined;
  const why = `--cluster ${nodes} ran one node: ${missingToolText(missingTool('redis-server', 'redis-server is not on PATH'))}`;
  process.stderr.write(`hubproof: ${why}\n`);
  return why;
}

/** The embedded hub conformance and certify run against: timing rules in seconds, the hub in its own process. */
export const CHECKS_HUB: EmbeddedTargetOptions = { timers: 'fast', mode: 'child' };

/**
 * Runs `fn` against the user's target, or against an embedded hub started with `embedded` and stopped
 * afterwards (also when `fn` throws).
 */
export async function withTarget<T>(
  target: TargetFile | undefined,
  embedded: EmbeddedTargetOptions,
  fn: (hub: TargetHandle) => Promise<T>,
): Promise<T> {
  if (target) return fn({ target });
  const singleNodeBecause = clusterWithoutRedis(embedded.cluster);
  const hub = await startEmbeddedTarget(singleNodeBecause ? { ...embedded, cluster: undefined } : embedded);
  try {
    return await fn({
      target: hub.target,
      restart: hub.restart,
      embedded: hub.mode,
      ...(hub.outage === undefined ? {} : { outage: hub.outage }),
      ...(hub.nodeControl === undefined ? {} : { nodeControl: hub.nodeControl }),
      ...(singleNodeBecause ? { singleNodeBecause } : {}),
    });
  } finally {
    await hub.dispose();
  }
}
