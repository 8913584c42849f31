/**
 * The node's two Redis connections (@redis/client): `cmd` for commands, `reader` for the blocking
 * XREAD of the shared log. Both fail fast while Redis is away (`disableOfflineQueue`): nothing is
 * buffered silently, so a request that needs Redis gets a 503 instead of hanging and landing later.
 * Commands already written when a connection drops are rejected (they may or may not have run), never
 * re-sent by the client; the log's append script makes our own re-sends idempotent (command-log.ts).
 */
import { createClient } from '@redis/client';
import { HubproofError } from '../../spec/errors.ts';

/** The part of a client this module's users need: raw commands (every reply parsed as RESP2). */
export interface RedisCommands {
  sendCommand(args: string[]): Promise<unknown>;
}

export type LinkStatus = 'connected' | 'disconnected';

export interface RedisLink {
  /** The URL with any password masked, for messages. */
  readonly shownUrl: string;
  readonly cmd: RedisCommands;
  readonly reader: RedisCommands;
  status(): LinkStatus;
  /** Milliseconds since the command connection last became ready (0 while disconnected). */
  connectedForMs(): number;
  /** Called on every change of status. */
  onStatus(fn: (status: LinkStatus) => void): void;
  /** Resolves when the command connection is ready again. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** How long the first connection may take before `hub --redis` gives up with exit 2. */
const CONNECT_TIMEOUT_MS = 3_000;

export function maskRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

/** Connects both clients; a Redis that cannot be reached now is HUBPROOF_ERR_REDIS_UNREACHABLE. */
export async function connectRedis(url: string): Promise<RedisLink> {
  const shownUrl = maskRedisUrl(url);
  let everReady = false;
  const make = () =>
    createClient({
      url,
      RESP: 2,
      disableOfflineQueue: true,
      socket: {
        connectTimeout: CONNECT_TIMEOUT_MS,
        // Before the first success: give up at once (exit 2). After: retry forever, backing off to 1 s.
        reconnectStrategy: (retries: number, cause: Error) => (everReady ? Math.min(50 + retries * 100, 1_000) : cause),
      },
    });
  const cmd = make();
  const reader = make();
  const listeners: Array<(s: LinkStatus) => void> = [];
  let status: LinkStatus = 'disconnected';
  let readySince = 0;
  let waiters: Array<() => void> = [];
  let closing = false;
  const set = (next: LinkStatus) => {
    if (closing) return;
    if (next === 'connected') readySince = Date.now();
    if (next === status) return;
    status = next;
    if (next === 'connected') {
      for (const w of waiters) w();
      waiters = [];
    }
    for (const fn of listeners) fn(next);
  };
  // Errors are reported through status changes; without a listener node-redis would throw them.
  for (const c of [cmd, reader]) c.on('error', () => undefined);
  cmd.on('ready', () => set('connected'));
  cmd.on('reconnecting', () => set('disconnected'));
  cmd.on('end', () => set('disconnected'));
  try {
    await cmd.connect();
    await reader.connect();
  } catch (err) {
    cmd.destroy();
    reader.destroy();
    throw new HubproofError(
      'HUBPROOF_ERR_REDIS_UNREACHABLE',
      `cannot reach Redis at ${shownUrl} (${(err as Error).message}); start redis-server there or fix --redis`,
    );
  }
  everReady = true;
  set('connected');
  return {
    shownUrl,
    cmd: cmd as unknown as RedisCommands,
    reader: reader as unknown as RedisCommands,
    status: () => status,
    connectedForMs: () => (status === 'connected' ? Date.now() - readySince : 0),
    onStatus: (fn) => void listeners.push(fn),
    ready: () => (status === 'connected' ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve))),
    close: async () => {
      closing = true;
      for (const c of [reader, cmd]) {
        if (c.isOpen) c.destroy();
      }
    },
  };
}

/** Persistence as Redis reports it; `unknown` when CONFIG GET is refused (managed Redis often does). */
export async function persistenceOf(client: RedisCommands): Promise<'aof' | 'rdb' | 'off' | 'unknown'> {
  try {
    const aof = (await client.sendCommand(['CONFIG', 'GET', 'appendonly'])) as string[];
    if (aof[1] === 'yes') return 'aof';
    const save = (await client.sendCommand(['CONFIG', 'GET', 'save'])) as string[];
    return save[1] !== undefined && save[1].trim() !== '' ? 'rdb' : 'off';
  } catch {
    return 'unknown';
  }
}
