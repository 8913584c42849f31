/**
 * One node of a Redis-backed hub: applies the shared log (command-log.ts), keeps the list of live
 * nodes, renews this node's lease and declares nodes whose lease lapsed dead, so their members and
 * dashboards leave cluster-wide within `leaseMs + leaseMs/4` (plus one log round trip).
 *
 * Core commands: `hello` (a node joins), `dead` (a node left: graceful shutdown, or its lease lapsed),
 * `tick` (a timer fired on the leader: stale sweeps happen once, at one instant, on every node).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ClusterContext } from '../context.ts';
import { CommandLog, type Command } from './command-log.ts';
import { persistenceOf, type LinkStatus, type RedisLink } from './redis-link.ts';
import { Snapshots, type Snapshot, type SnapshotPart } from './snapshots.ts';

export interface ClusterNodeOptions {
  prefix: string;
  leaseMs: number;
  snapshotEvery: number;
  log(message: string): void;
}

export type ClusterStatus = 'connected' | 'disconnected' | 'state_lost';

type Applier = (command: Command) => unknown;

/** A UUID (version 4 layout) derived from `seed`, so every node computes the same one. */
export function seededUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest();
  h[6] = (h[6]! & 0x0f) | 0x40;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

export class ClusterNode implements ClusterContext {
  readonly nodeId = randomBytes(6).toString('hex');
  readonly log: CommandLog;
  readonly snapshots: Snapshots;
  /** Live nodes in the order they joined; the first is the leader (runs the timers). */
  readonly nodes: string[] = [];
  private readonly appliers = new Map<string, Applier>();
  private readonly ticks = new Map<string, () => void>();
  private readonly deadHooks: Array<(node: string) => void> = [];
  private applying: { command: Command; entryId: string; uuids: number } | undefined;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly reaping = new Set<string>();
  private epoch: string | undefined;
  private stateLost = false;
  private persistence: Awaited<ReturnType<typeof persistenceOf>> = 'unknown';

  constructor(
    readonly link: RedisLink,
    private readonly opts: ClusterNodeOptions,
  ) {
    this.log = new CommandLog(link, `${opts.prefix}:log`, this.nodeId, (c, id) => this.applyCommand(c, id), opts.log);
    this.snapshots = new Snapshots(link.cmd, opts.prefix, opts.snapshotEvery, opts.log);
    this.snapshotPart('nodes', {
      save: () => [...this.nodes],
      load: (data) => void this.nodes.splice(0, this.nodes.length, ...(data as string[])),
    });
    this.on('hello', (c) => {
      if (!this.nodes.includes(c.o)) this.nodes.push(c.o);
    });
    this.on('dead', (c) => this.removeNode(String(c.x)));
    this.on('tick', (c) => this.ticks.get(String(c.name))?.());
    let lostAt = 0;
    link.onStatus((s: LinkStatus) => {
      if (s === 'disconnected') {
        lostAt = Date.now();
        opts.log(`cluster: lost Redis at ${link.shownUrl}; serving local connections only, HTTP API answers 503 until it is back`);
      } else {
        opts.log(`cluster: Redis at ${link.shownUrl} is back after ${Date.now() - lostAt} ms; resynchronising`);
        void this.afterReconnect();
      }
    });
  }

  // ---- ClusterContext ----

  isOrigin(): boolean {
    return this.applying === undefined || this.applying.command.o === this.nodeId;
  }

  /** The time of the command being applied, else the wall clock. */
  now(): number {
    return this.applying?.command.now ?? Date.now();
  }

  uuid(): string {
    if (this.applying === undefined) return seededUuid(randomBytes(16).toString('hex'));
    return seededUuid(`${this.opts.prefix}/${this.applying.entryId}/${this.applying.uuids++}`);
  }

  snapshotPart(name: string, part: SnapshotPart): void {
    this.snapshots.add(name, part);
  }

  on(type: string, apply: Applier): void {
    this.appliers.set(type, apply);
  }

  submit(command: { t: string; [k: string]: unknown }, opts?: { queue?: boolean }): Promise<unknown> {
    return this.log.submit(command, opts);
  }

  repeat(name: string, intervalMs: number, fn: () => void): void {
    this.ticks.set(name, fn);
    let inFlight = false;
    this.every(intervalMs, () => {
      if (inFlight || !this.isLeader() || this.link.status() !== 'connected') return;
      inFlight = true;
      this.submit({ t: 'tick', name }).then(
        () => (inFlight = false),
        () => (inFlight = false),
      );
    });
  }

  // ---- node lifecycle ----

  isLeader(): boolean {
    return this.nodes[0] === this.nodeId;
  }

  /** Called with a node id when a node leaves (its lease lapsed or it said goodbye). */
  onNodeDead(fn: (node: string) => void): void {
    this.deadHooks.push(fn);
  }

  /**
   * Before the profiles mount: holds the log (a lease at position 0-0 stops trimming) and fetches the
   * latest snapshot, whose SQLite image the hub opens as its database.
   */
  async prepare(): Promise<Snapshot | undefined> {
    this.epoch = await this.claimEpoch();
    this.persistence = await persistenceOf(this.link.cmd);
    if (this.persistence === 'off') {
      this.opts.log(
        `cluster: WARNING Redis at ${this.link.shownUrl} has persistence off (no AOF, no RDB): a Redis restart loses the hub's sessions, todos and event log; run it with appendonly yes`,
      );
    }
    await this.renewLease();
    return this.snapshots.fetch();
  }

  /** After the profiles mount: restores their snapshot parts, catches up with the log, joins, and starts the lease and the reaper. */
  async start(snapshot?: Snapshot): Promise<void> {
    if (snapshot !== undefined) {
      // Restoring is applying what the log said, not this node acting: no webhooks, no acks.
      this.applying = { command: { t: 'restore', o: '', n: 0, now: Date.now() }, entryId: snapshot.id, uuids: 0 };
      try {
        this.snapshots.restore(snapshot);
      } finally {
        this.applying = undefined;
      }
    }
    await this.log.start(snapshot?.id);
    await this.renewLease();
    await this.submit({ t: 'hello' });
    this.every(Math.max(100, Math.floor(this.opts.leaseMs / 3)), () => void this.renewLease());
    this.every(this.reapIntervalMs(), () => void this.reap());
  }

  /** Stops without a goodbye, as a crash would: the other nodes remove ours when the lease lapses. */
  async halt(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    await this.log.close();
    await this.link.close();
    await this.log.stopped();
  }

  /** Says goodbye (members leave at once, no lease wait) and stops. */
  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    if (this.link.status() === 'connected') {
      await Promise.race([this.submit({ t: 'dead', x: this.nodeId }).catch(() => undefined), new Promise((r) => setTimeout(r, 1_000))]);
      await this.link.cmd.sendCommand(['DEL', this.leaseKey(this.nodeId)]).catch(() => undefined);
    }
    await this.log.close();
    await this.link.close();
    await this.log.stopped();
  }

  reapIntervalMs(): number {
    return Math.max(50, Math.floor(this.opts.leaseMs / 4));
  }

  /** What GET /api/hub reports under `cluster`. */
  info() {
    return {
      node_id: this.nodeId,
      nodes: this.nodes.length,
      status: (this.stateLost ? 'state_lost' : this.link.status()) as ClusterStatus,
      redis: this.link.shownUrl,
      prefix: this.opts.prefix,
      persistence: this.persistence,
      lease_ms: this.opts.leaseMs,
      dead_node_removal_ms: this.opts.leaseMs + this.reapIntervalMs(),
    };
  }

  // ---- internals ----

  private applyCommand(command: Command, entryId: string): unknown {
    const apply = this.appliers.get(command.t);
    if (apply === undefined) {
      this.opts.log(`cluster: unknown command type ${command.t} from ${command.o}; skipped`);
      return undefined;
    }
    this.applying = { command, entryId, uuids: 0 };
    const done = () => {
      this.applying = undefined;
      this.snapshots.applied(entryId, this.isLeader());
    };
    try {
      const result = apply(command);
      if (result instanceof Promise) return result.finally(done);
      done();
      return result;
    } catch (err) {
      done();
      throw err;
    }
  }

  private removeNode(node: string): void {
    const i = this.nodes.indexOf(node);
    if (i !== -1) this.nodes.splice(i, 1);
    this.reaping.delete(node);
    if (node === this.nodeId && this.applying?.command.o !== this.nodeId) {
      // Declared dead while alive (our lease lapsed during an outage): join again first, so the
      // connections the profiles' dead hooks re-register below are accepted as this node's.
      this.opts.log('cluster: this node was declared dead (lease lapsed); rejoining');
      void this.submit({ t: 'hello' }, { queue: true }).catch(() => undefined);
    }
    for (const fn of this.deadHooks) fn(node);
  }

  /** Whether commands from `node` may change node-bound state (its sockets, its dashboards). */
  isLive(node: string): boolean {
    return this.nodes.includes(node);
  }

  private every(ms: number, fn: () => void): void {
    const t = setInterval(fn, ms);
    t.unref();
    this.timers.push(t);
  }

  private leaseKey(node: string): string {
    return `${this.opts.prefix}:lease:${node}`;
  }

  private async renewLease(): Promise<void> {
    try {
      await this.link.cmd.sendCommand(['SET', this.leaseKey(this.nodeId), this.log.applied, 'PX', String(this.opts.leaseMs)]);
    } catch {
      // Redis away: the status listener logs it; the lease may lapse and we rejoin afterwards.
    }
  }

  /** Declares dead every other node whose lease is gone; only after holding Redis for a whole lease. */
  // implements: pusher/cluster/9
  private async reap(): Promise<void> {
    if (this.link.connectedForMs() < this.opts.leaseMs) return;
    const others = this.nodes.filter((n) => n !== this.nodeId && !this.reaping.has(n));
    if (others.length === 0) return;
    let leases: Array<string | null>;
    try {
      leases = (await this.link.cmd.sendCommand(['MGET', ...others.map((n) => this.leaseKey(n))])) as Array<string | null>;
    } catch {
      return;
    }
    others.forEach((node, i) => {
      if (leases[i] !== null) return;
      this.reaping.add(node);
      this.opts.log(`cluster: node ${node} missed its lease (${this.opts.leaseMs} ms); removing its connections`);
      this.submit({ t: 'dead', x: node }).catch(() => this.reaping.delete(node));
    });
  }

  /** The hub's epoch marks its state in Redis; a different or missing epoch means Redis lost it. */
  private async claimEpoch(): Promise<string> {
    const key = `${this.opts.prefix}:epoch`;
    await this.link.cmd.sendCommand(['SET', key, randomBytes(8).toString('hex'), 'NX']);
    return String(await this.link.cmd.sendCommand(['GET', key]));
  }

  private async afterReconnect(): Promise<void> {
    await this.renewLease();
    try {
      const epoch = await this.link.cmd.sendCommand(['GET', `${this.opts.prefix}:epoch`]);
      if (epoch !== this.epoch && !this.stateLost) {
        this.stateLost = true;
        this.opts.log(
          `cluster: ERROR Redis at ${this.link.shownUrl} lost the hub's state (restarted without persistence?); restart every node`,
        );
      }
    } catch {
      // Lost again; the next reconnect checks.
    }
  }
}
