/**
 * The shared log: one Redis stream per hub that every node appends its commands to and reads in full,
 * in order. Applying the same commands in the same order gives every node the same state, so ordering
 * and "exactly once" questions (per-channel seq, one member_added per user, one stale report) are
 * answered by the log's order, not by locks.
 *
 * Appending is one Lua script: XADD guarded by a per-node high-water counter, so a command re-sent after
 * its reply was lost (Redis dropped the connection after running it) is appended once, not twice.
 * Commands that may wait for Redis (a WebSocket client's subscribe, a closed socket) queue in order
 * while Redis is away; requests that a client is waiting on (HTTP) fail at once with 503 instead.
 */
import { HttpError } from '../http/router.ts';
import type { RedisLink } from './redis-link.ts';

export interface Command {
  /** Type, e.g. `http`, `sub`, `dead` (cluster/commands.ts lists them). */
  t: string;
  /** Origin node id. */
  o: string;
  /** The origin's counter, strictly increasing per node. */
  n: number;
  /** The origin's clock when it submitted: the time every node uses while applying. */
  now: number;
  [k: string]: unknown;
}

export type Apply = (command: Command, entryId: string) => unknown;

const APPEND_SCRIPT = `
local hw = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
if tonumber(ARGV[2]) <= hw then return false end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return redis.call('XADD', KEYS[1], '*', 'c', ARGV[3])`;

/** How many queued commands go out pipelined in one batch. */
const BATCH = 256;
/** Entries per XREAD. */
const READ_COUNT = 512;

export const clusterUnavailable = (url: string, what = 'nothing was done') =>
  new HttpError(503, 'cluster_unavailable', `the hub's Redis (${url}) is unreachable; ${what}, retry later`);

interface Outgoing {
  command: Command;
  /** Queue across an outage (true) or fail at once (false). */
  queue: boolean;
}

/** Compares two stream ids `ms-seq`. */
export function compareIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(Number) as [number, number];
  const [bm, bs] = b.split('-').map(Number) as [number, number];
  return am !== bm ? am - bm : as - bs;
}

export class CommandLog {
  private counter = 0;
  private lastId = '0-0';
  private sha: string | undefined;
  private sending = false;
  private closed = false;
  private readonly outbox: Outgoing[] = [];
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private barriers: Array<{ id: string; resolve: () => void }> = [];
  private reading: Promise<void> | undefined;

  constructor(
    private readonly link: RedisLink,
    private readonly key: string,
    private readonly nodeId: string,
    private readonly apply: Apply,
    private readonly log: (message: string) => void,
  ) {
    link.onStatus((s) => {
      if (s === 'disconnected')
        this.sha = undefined; // a restarted Redis has no scripts
      else void this.pump();
    });
  }

  /** Id of the last entry applied here. */
  get applied(): string {
    return this.lastId;
  }

  /** Starts applying from `afterId` and resolves once everything already in the log is applied. */
  async start(afterId = '0-0'): Promise<void> {
    this.lastId = afterId;
    this.reading = this.readLoop();
    await this.barrier();
  }

  /** Appends a command; resolves with what applying it returned on this node. */
  submit(body: { t: string; [k: string]: unknown }, opts: { queue?: boolean } = {}): Promise<unknown> {
    if (this.closed) return Promise.reject(clusterUnavailable(this.link.shownUrl, 'the node is shutting down'));
    const queue = opts.queue ?? false;
    if (!queue && this.link.status() !== 'connected') return Promise.reject(clusterUnavailable(this.link.shownUrl));
    const command: Command = { ...body, o: this.nodeId, n: ++this.counter, now: Date.now() };
    const done = new Promise<unknown>((resolve, reject) => this.pending.set(command.n, { resolve, reject }));
    this.outbox.push({ command, queue });
    void this.pump();
    return done;
  }

  /** Resolves once this node has applied every entry that was in the log when it was called. */
  async barrier(): Promise<void> {
    let top: string | undefined;
    try {
      const last = (await this.link.cmd.sendCommand(['XREVRANGE', this.key, '+', '-', 'COUNT', '1'])) as Array<[string, string[]]>;
      top = last[0]?.[0];
    } catch {
      throw clusterUnavailable(this.link.shownUrl, 'the answer would not reflect the whole cluster');
    }
    if (top === undefined || compareIds(this.lastId, top) >= 0) return;
    await new Promise<void>((resolve) => this.barriers.push({ id: top, resolve }));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.pending.values()) p.reject(clusterUnavailable(this.link.shownUrl, 'the node is shutting down'));
    this.pending.clear();
    for (const b of this.barriers) b.resolve();
    this.barriers = [];
  }

  /** Awaited by the shutdown after close() and the link's close, so nothing reads a closed client. */
  stopped(): Promise<void> {
    return this.reading ?? Promise.resolve();
  }

  private async pump(): Promise<void> {
    if (this.sending || this.outbox.length === 0 || this.link.status() !== 'connected') return;
    this.sending = true;
    try {
      while (this.outbox.length > 0 && this.link.status() === 'connected' && !this.closed) {
        this.sha ??= String(await this.link.cmd.sendCommand(['SCRIPT', 'LOAD', APPEND_SCRIPT]));
        const batch = this.outbox.splice(0, BATCH);
        const results = await Promise.allSettled(
          batch.map(({ command }) =>
            this.link.cmd.sendCommand([
              'EVALSHA',
              this.sha!,
              '2',
              this.key,
              `${this.key}:hw`,
              command.o,
              String(command.n),
              JSON.stringify(command),
            ]),
          ),
        );
        // Replies arrive in order: what failed is a suffix of the batch (the connection dropped).
        const failedAt = results.findIndex((r) => r.status === 'rejected');
        if (failedAt === -1) continue;
        const reason = (results[failedAt] as PromiseRejectedResult).reason as Error;
        if (/NOSCRIPT/.test(reason.message)) this.sha = undefined;
        const retry = batch.slice(failedAt).filter((o) => {
          if (o.queue) return true;
          this.settle(o.command.n, clusterUnavailable(this.link.shownUrl, 'the request may not have been applied'));
          return false;
        });
        this.outbox.unshift(...retry);
        if (!/NOSCRIPT/.test(reason.message)) break;
      }
    } catch (err) {
      // SCRIPT LOAD failed: the link is down; the status listener pumps again when it is back.
      this.log(`cluster: append failed: ${(err as Error).message}`);
    } finally {
      this.sending = false;
    }
    if (this.outbox.length > 0 && this.link.status() === 'connected' && !this.closed) setTimeout(() => void this.pump(), 50).unref();
  }

  private settle(n: number, result: unknown): void {
    const p = this.pending.get(n);
    if (p === undefined) return;
    this.pending.delete(n);
    if (result instanceof Error) p.reject(result);
    else p.resolve(result);
  }

  private async readLoop(): Promise<void> {
    while (!this.closed) {
      let reply: Array<[string, Array<[string, string[]]>]> | null;
      try {
        reply = (await this.link.reader.sendCommand([
          'XREAD',
          'COUNT',
          String(READ_COUNT),
          'BLOCK',
          '0',
          'STREAMS',
          this.key,
          this.lastId,
        ])) as typeof reply;
      } catch {
        if (this.closed) return;
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      for (const [id, fields] of reply?.[0]?.[1] ?? []) {
        await this.applyEntry(id, fields);
        if (this.closed) return;
      }
      if (this.barriers.length > 0) {
        const due = this.barriers.filter((b) => compareIds(this.lastId, b.id) >= 0);
        this.barriers = this.barriers.filter((b) => compareIds(this.lastId, b.id) < 0);
        for (const b of due) b.resolve();
      }
    }
  }

  private async applyEntry(id: string, fields: string[]): Promise<void> {
    let command: Command;
    try {
      command = JSON.parse(fields[1] ?? '') as Command;
    } catch {
      this.lastId = id;
      this.log(`cluster: log entry ${id} is not a command; skipped`);
      return;
    }
    let result: unknown;
    try {
      result = this.apply(command, id);
      if (result instanceof Promise) result = await result;
    } catch (err) {
      // Deterministic: the same command throws on every node, so skipping it keeps them equal.
      this.log(`cluster: applying ${command.t} from ${command.o} failed: ${(err as Error).stack ?? String(err)}`);
      result = err instanceof Error ? err : new Error(String(err));
    }
    // Only now: a read behind a barrier must not see an entry whose (async) apply is still running.
    this.lastId = id;
    if (command.o === this.nodeId) this.settle(command.n, result);
  }
}
