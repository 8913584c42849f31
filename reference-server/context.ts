/**
 * What the hub's profile modules share. Each profile mounts itself with `mount(ctx)`: it adds HTTP routes
 * to `router`, claims WebSocket upgrade paths in `upgrades`, and registers shutdown work in `onClose`.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Database } from 'better-sqlite3';
import type { HubConfig } from './config.ts';
import type { Router } from './http/router.ts';

/** Publishes to Pusher channels. Implemented by the pusher profile; used by sync. */
export interface Broadcaster {
  /**
   * Sends `event` with `data` (already a string, usually JSON) to every subscriber of `channel`,
   * except the connection `exceptSocketId`. The frame is encoded once for all subscribers.
   */
  publish(channel: string, event: string, data: string, exceptSocketId?: string): void;
  /** Number of connections subscribed to `channel`. */
  subscriberCount(channel: string): number;
}

/** Claims a WebSocket upgrade for a path prefix; return false to let the next claimant try. */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => boolean;

/**
 * Present only when the hub runs as one node of a Redis-backed cluster. Every state change is a command
 * in one shared log that every node applies in the same order (reference-server/cluster/), so the
 * profiles' single-node code runs unchanged on each node; these hooks are the few places it must know.
 */
export interface ClusterContext {
  readonly nodeId: string;
  /** False while applying a command another node appended: side effects outside the hub (webhooks) are the origin's. */
  isOrigin(): boolean;
  /** A UUID that is the same on every node for the command being applied. */
  uuid(): string;
  /**
   * Runs `fn` every `intervalMs` as a logged command, so time-driven state changes (stale participants,
   * idle agents) happen once, at one instant, identically on every node.
   */
  repeat(name: string, intervalMs: number, fn: () => void): void;
  /** Appends a command of a profile (see cluster/commands.ts) and resolves with its result on this node. */
  submit(command: { t: string; [k: string]: unknown }, opts?: { queue?: boolean }): Promise<unknown>;
  /** Registers how a profile applies its commands. */
  on(type: string, apply: (command: { t: string; o: string; [k: string]: unknown }) => unknown): void;
  /** Whether commands from `node` may change node-bound state (its sockets, its dashboards). */
  isLive(node: string): boolean;
  /** Runs while applying the command that removes a node (shutdown, or its lease lapsed). */
  onNodeDead(fn: (node: string) => void): void;
  /** The `cluster` object of GET /api/hub. */
  info(): ClusterInfo;
  /** Adds a profile's state outside SQLite to the snapshots that let the log be trimmed. */
  snapshotPart(name: string, part: { save(): unknown; load(data: unknown): void }): void;
}

export interface ClusterInfo {
  node_id: string;
  nodes: number;
  /** `disconnected`: Redis is away, this node serves its own connections only (HTTP API: 503). */
  status: 'connected' | 'disconnected' | 'state_lost';
  redis: string;
  prefix: string;
  persistence: 'aof' | 'rdb' | 'off' | 'unknown';
  lease_ms: number;
  /** Bound on removing a dead node's members and dashboards cluster-wide. */
  dead_node_removal_ms: number;
}

export interface HubContext {
  config: HubConfig;
  router: Router;
  db: Database;
  upgrades: UpgradeHandler[];
  /** Set by the pusher profile when it mounts; sync mounts after it. */
  broadcaster: Broadcaster;
  /** Runs on shutdown, in reverse order of registration. */
  onClose: Array<() => void | Promise<void>>;
  /** Milliseconds since epoch; one clock for the whole hub. */
  now(): number;
  log(message: string): void;
  /** Absent on a single node. */
  cluster?: ClusterContext;
}

/** Runs `fn` every `intervalMs`: a plain timer on one node, a logged command in a cluster. */
export function repeat(ctx: HubContext, name: string, intervalMs: number, fn: () => void): void {
  if (ctx.cluster) return ctx.cluster.repeat(name, intervalMs, fn);
  const timer = setInterval(fn, intervalMs);
  timer.unref();
  ctx.onClose.push(() => clearInterval(timer));
}
