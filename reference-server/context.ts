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
}
