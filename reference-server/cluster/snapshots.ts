/**
 * Keeps the shared log from growing without bound: every `snapshotEvery` entries the leader writes the
 * whole state as of the entry it last applied (the SQLite copy, serialized, plus each profile's part)
 * to one key, then trims the log up to the oldest position any node still needs: the snapshot's, or
 * the lowest position a node reports in its lease (a node starting up holds `0-0` until it has read the
 * snapshot). A node starting later loads the snapshot and replays only what follows it.
 */
import type { Database } from 'better-sqlite3';
import { compareIds } from './command-log.ts';
import type { RedisCommands } from './redis-link.ts';

/** A profile's piece of a snapshot. */
export interface SnapshotPart {
  save(): unknown;
  load(data: unknown): void;
}

export interface Snapshot {
  /** The last log entry the state includes. */
  id: string;
  sqlite: string;
  parts: Record<string, unknown>;
}

export class Snapshots {
  private readonly parts = new Map<string, SnapshotPart>();
  private sinceLast = 0;
  private writing = false;
  db: Database | undefined;

  constructor(
    private readonly redis: RedisCommands,
    private readonly prefix: string,
    private readonly every: number,
    private readonly log: (message: string) => void,
  ) {}

  get key(): string {
    return `${this.prefix}:snapshot`;
  }

  add(name: string, part: SnapshotPart): void {
    this.parts.set(name, part);
  }

  /** The stored snapshot, or undefined. */
  async fetch(): Promise<Snapshot | undefined> {
    const raw = await this.redis.sendCommand(['GET', this.key]);
    return typeof raw === 'string' ? (JSON.parse(raw) as Snapshot) : undefined;
  }

  /** Gives each profile its part (after the profiles have mounted). */
  restore(snapshot: Snapshot): void {
    for (const [name, part] of this.parts) if (name in snapshot.parts) part.load(snapshot.parts[name]);
  }

  /**
   * Counts an applied entry; on the leader, every `every` entries takes a snapshot right now (between
   * two entries, so it is exactly the state after `id`) and stores it and trims in the background.
   */
  applied(id: string, isLeader: boolean): void {
    if (++this.sinceLast < this.every || !isLeader || this.writing || this.db === undefined) return;
    this.sinceLast = 0;
    const parts: Record<string, unknown> = {};
    for (const [name, part] of this.parts) parts[name] = part.save();
    const snapshot: Snapshot = { id, sqlite: this.db.serialize().toString('base64'), parts };
    this.writing = true;
    void this.store(snapshot).finally(() => (this.writing = false));
  }

  private async store(snapshot: Snapshot): Promise<void> {
    try {
      await this.redis.sendCommand(['SET', this.key, JSON.stringify(snapshot)]);
      // Oldest position still needed: the snapshot's, or a node's that is behind it.
      let cursor = '0';
      let minId = snapshot.id;
      do {
        const [next, keys] = (await this.redis.sendCommand(['SCAN', cursor, 'MATCH', `${this.prefix}:lease:*`, 'COUNT', '100'])) as [
          string,
          string[],
        ];
        cursor = next;
        if (keys.length === 0) continue;
        const positions = (await this.redis.sendCommand(['MGET', ...keys])) as Array<string | null>;
        for (const p of positions) if (p !== null && compareIds(p, minId) < 0) minId = p;
      } while (cursor !== '0');
      // MINID keeps entries >= minId; the one at minId itself is already applied everywhere but harmless.
      const trimmed = await this.redis.sendCommand(['XTRIM', `${this.prefix}:log`, 'MINID', minId]);
      this.log(
        `cluster: snapshot at ${snapshot.id} (${Math.round(snapshot.sqlite.length / 1024)} KB of SQLite), ${String(trimmed)} log entries trimmed`,
      );
    } catch (err) {
      this.log(`cluster: snapshot failed: ${(err as Error).message}`);
    }
  }
}
