/**
 * The embedded reference hub as a cluster: a private redis-server and N nodes sharing it
 * (reference-server/cluster/start-cluster.ts), plus a neighbour, a one-node hub of another app on the
 * same Redis (its own key prefix), so the cross-talk case has someone to not talk to. One target with N
 * `nodes`; a restart restarts every node, and the node control kills or restarts one.
 */
import type { HubConfigInput } from '../reference-server/config.ts';
import { startCluster, type RunningCluster } from '../reference-server/cluster/start-cluster.ts';
import type { TargetFile } from '../spec/target.ts';
import type { EmbeddedMode, NodeControl } from '../target/handle.ts';

/** The neighbour's app: another id (so another default key prefix), key and secret. */
const NEIGHBOUR_APP = { id: '2', key: 'hubproof-neighbour-key', secret: 'hubproof-neighbour-secret' } as const;

/**
 * Lease of the checks cluster: a killed node's members leave within 2.5 s (lease + lease/4) instead of
 * 5 s, while a busy machine still renews it in time (every 667 ms).
 */
export const FAST_LEASE_MS = 2_000;

export interface EmbeddedCluster {
  target: TargetFile;
  /** Every node restarts (in place for a child: same process, same URLs, back in milliseconds). */
  restart(): Promise<void>;
  nodeControl: NodeControl;
  /** The first node's pid. */
  pid(): number;
  /** Where redis-server keeps its append-only file. */
  dataDir(): string;
  stop(): Promise<void>;
}

export interface EmbeddedClusterSpec {
  nodes: number;
  mode: EmbeddedMode;
  /** Config of every node (timings, webhooks…); `redis.url` is the private redis-server's. */
  config: HubConfigInput;
  /** `redis.leaseMs` (default the hub's own). */
  leaseMs?: number;
}

export async function startEmbeddedCluster(spec: EmbeddedClusterSpec): Promise<EmbeddedCluster> {
  // startCluster puts its redis-server's URL in place of this one.
  const redis = { url: 'redis://127.0.0.1:0', ...(spec.leaseMs === undefined ? {} : { leaseMs: spec.leaseMs }) };
  const cluster = await startCluster({ nodes: spec.nodes, mode: spec.mode, hub: { ...spec.config, redis } });
  let neighbour: RunningCluster;
  try {
    const { webhooks: _own, ...config } = spec.config;
    neighbour = await startCluster({
      nodes: 1,
      mode: spec.mode,
      redisUrl: cluster.redisUrl,
      hub: { ...config, app: { ...NEIGHBOUR_APP }, redis },
    });
  } catch (err) {
    await cluster.dispose();
    throw err;
  }
  const target: TargetFile = { ...cluster.target(), neighbour: { app: { ...NEIGHBOUR_APP }, nodes: neighbour.target().nodes } };
  // A node started again is a new process: the pids the load driver samples must be the live ones.
  const livePids = () => {
    target.process = { pid: cluster.nodes[0]!.pid };
    cluster.nodes.forEach((n, i) => (target.nodes[i]!.process = { pid: n.pid }));
  };
  return {
    target,
    restart: async () => {
      await Promise.all(cluster.nodes.map((_, i) => cluster.restart(i)));
      livePids();
    },
    nodeControl: {
      kill: (i) => cluster.kill(checkNode(cluster, i)),
      restart: async (i) => {
        await cluster.restart(checkNode(cluster, i));
        livePids();
      },
    },
    pid: () => cluster.nodes[0]!.pid,
    dataDir: () => cluster.redis!.dir,
    async stop() {
      await neighbour.dispose();
      await cluster.dispose();
    },
  };
}

function checkNode(cluster: RunningCluster, i: number): number {
  if (!Number.isInteger(i) || i < 0 || i >= cluster.nodes.length)
    throw new RangeError(`no node ${i}: the cluster has nodes 0-${cluster.nodes.length - 1}`);
  return i;
}
