/**
 * Starts the reference hub: one HTTP server on loopback carrying the Pusher WebSocket endpoint, the
 * Pusher HTTP API, the agent-sync API and the agent-presence stream, over one SQLite database.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TargetFile } from '../spec/target.ts';
import { HubproofError } from '../spec/errors.ts';
import { parseHubConfig, type HubConfig, type HubConfigInput } from './config.ts';
import type { HubContext } from './context.ts';
import { Router } from './http/router.ts';
import { openDatabase, openSnapshotDatabase } from './store/db.ts';
import { mountPusher } from './pusher/mount.ts';
import { mountSync } from './sync/mount.ts';
import { mountAgentPresence } from './agent-presence/mount.ts';
import { ClusterNode } from './cluster/cluster-node.ts';
import { installHttpGate } from './cluster/http-gate.ts';
import { connectRedis } from './cluster/redis-link.ts';

export interface RunningHub {
  config: HubConfig;
  port: number;
  httpUrl: string;
  wsUrl: string;
  /** A target file that points the harness at this hub. */
  target(): TargetFile;
  /** Graceful shutdown: closes every socket with a 4200-range code, then the database. */
  close(): Promise<void>;
  /**
   * Stops like a killed process (for tests of an in-process cluster node): no goodbye to the cluster,
   * sockets dropped without a close frame.
   */
  crash(): Promise<void>;
  server: Server;
}

export async function startHub(input: HubConfigInput | HubConfig = {}): Promise<RunningHub> {
  const config = parseHubConfig(input);
  // A cluster node keeps its copy of the shared state in memory; Redis holds the durable log.
  const node = config.redis === undefined ? undefined : await joinCluster(config);
  const snapshot = await node?.prepare().catch(async (err: unknown) => {
    await node.stop();
    throw err;
  });
  const db = node === undefined ? openDatabase(config.dataDir) : openSnapshotDatabase(snapshot?.sqlite);
  if (node !== undefined) node.snapshots.db = db;
  const router = new Router(config.limits.maxBodyBytes);
  const ctx: HubContext = {
    config,
    router,
    db,
    upgrades: [],
    broadcaster: { publish: () => undefined, subscriberCount: () => 0 },
    onClose: [],
    now: node === undefined ? () => Date.now() : () => node.now(),
    log: config.verbose ? (m) => process.stderr.write(`[hub] ${m}\n`) : () => undefined,
    ...(node === undefined ? {} : { cluster: node }),
  };
  ctx.broadcaster = mountPusher(ctx);
  mountSync(ctx);
  mountAgentPresence(ctx);
  if (node !== undefined) {
    installHttpGate(node, router);
    try {
      await node.start(snapshot);
    } catch (err) {
      await node.stop();
      throw err;
    }
  }

  const server = createServer((req, res) => void router.handle(req, res));
  server.on('upgrade', (req, socket, head) => {
    for (const claim of ctx.upgrades) if (claim(req, socket, head)) return;
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new HubproofError('HUBPROOF_ERR_PORT_IN_USE', `port ${config.port} on ${config.host} is in use; pass --port 0 for a free one`)
          : err,
      ),
    );
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const httpUrl = `http://${host}:${port}`;
  const wsUrl = `ws://${host}:${port}`;

  let closing: Promise<void> | undefined;
  const crash = async () => {
    closing ??= (async () => {
      await node?.halt();
      ctx.cluster = undefined; // what still runs on shutdown stays on this node
      for (const fn of [...ctx.onClose].reverse()) await fn();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      db.close();
    })();
    return closing;
  };
  return {
    config,
    port,
    httpUrl,
    wsUrl,
    server,
    target: () => ({
      name: config.name,
      profiles: ['pusher', 'sync', 'agent-presence'],
      nodes: [{ ws: wsUrl, http: httpUrl }],
      app: { ...config.app },
      agents: config.agents.map((a) => ({ ...a })),
      // Also advertised at GET /api/hub; written here so a Pusher-only client of the file adapts too.
      timings: {
        activity_timeout_s: config.timings.activityTimeoutS,
        pong_timeout_ms: config.timings.pongTimeoutMs,
        heartbeat_timeout_ms: config.timings.heartbeatTimeoutMs,
        stale_grace_ms: config.timings.staleGraceMs,
        idle_after_ms: config.timings.idleAfterMs,
        offline_after_ms: config.timings.offlineAfterMs,
        conflict_budget_ms: config.timings.conflictBudgetMs,
      },
      process: { pid: process.pid },
    }),
    crash,
    close: () =>
      (closing ??= (async () => {
        // A cluster node says goodbye first, so the other nodes drop its members at once.
        await node?.stop();
        for (const fn of [...ctx.onClose].reverse()) await fn();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        db.close();
      })()),
  };
}

/** Connects to the hub's Redis; cluster messages (lost Redis, dead nodes) always go to stderr. */
async function joinCluster(config: HubConfig): Promise<ClusterNode> {
  const redis = config.redis!;
  const link = await connectRedis(redis.url);
  return new ClusterNode(link, {
    // implements: pusher/cluster/8
    prefix: redis.prefix ?? `hubproof:${config.app.id}`,
    leaseMs: redis.leaseMs,
    snapshotEvery: redis.snapshotEvery,
    log: (m) => process.stderr.write(`[hub] ${m}\n`),
  });
}
