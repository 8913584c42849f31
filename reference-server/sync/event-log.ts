/**
 * The sync event log. A mutation runs in ONE SQLite transaction that changes state and appends its
 * events (per-channel gapless `seq`, one `event_id` per logical event across channels); only after the
 * commit are the events broadcast, in append order, so every subscriber sees each channel's seq rising
 * and nothing is ever broadcast that is not on disk (synchronous = FULL, see store/db.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import { wireEventName, type SyncEventName } from '../../spec/schemas/sync.ts';
import type { HubContext } from '../context.ts';
import { iso } from './http-input.ts';

export interface StoredEvent {
  channel: string;
  seq: number;
  event_id: string;
  event: string;
  /** The data exactly as broadcast and as history returns it (JSON text). */
  data: string;
  emitted_at: string;
}

/** Handed to a mutation: emits events that are stored now and broadcast after the commit. */
export interface Emitter {
  emit(name: SyncEventName, channels: readonly string[], payload: Record<string, unknown>): string;
  /** Milliseconds; one reading for the whole mutation. */
  readonly now: number;
}

export class EventLog {
  private readonly lastSeq: Statement<[string], { seq: number }>;
  private readonly insert: Statement<[string, number, string, string, string, string]>;
  private readonly page: Statement<[string, number, number], StoredEvent>;

  constructor(
    private readonly db: Database,
    private readonly ctx: Pick<HubContext, 'broadcaster' | 'now' | 'log' | 'cluster'>,
  ) {
    this.lastSeq = db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM sync_events WHERE channel = ?');
    this.insert = db.prepare('INSERT INTO sync_events (channel, seq, event_id, event, data, emitted_at) VALUES (?, ?, ?, ?, ?, ?)');
    this.page = db.prepare(
      'SELECT channel, seq, event_id, event, data, emitted_at FROM sync_events WHERE channel = ? AND seq > ? ORDER BY seq LIMIT ?',
    );
  }

  /**
   * Runs `fn` in one transaction with an emitter; after the commit broadcasts what it emitted.
   * If `fn` throws, nothing is stored and nothing is broadcast.
   */
  // implements: sync/delivery/1, sync/errors/5 — nothing is broadcast unless the transaction committed
  mutate<R>(fn: (emitter: Emitter) => R): R {
    const emitted: StoredEvent[] = [];
    const now = this.ctx.now();
    const emitter: Emitter = {
      now,
      emit: (name, channels, payload) => {
        // implements: sync/envelope/2
        // In a cluster every node applies the mutation; the id must be the same on all of them.
        const eventId = this.ctx.cluster?.uuid() ?? randomUUID();
        const emittedAt = iso(now);
        // implements: sync/envelope/4
        const event = wireEventName(name);
        for (const channel of channels) {
          // implements: sync/envelope/3, sync/delivery/3
          const seq = this.lastSeq.get(channel)!.seq + 1;
          // implements: sync/envelope/1
          const data = JSON.stringify({ ...payload, event_id: eventId, seq, emitted_at: emittedAt });
          this.insert.run(channel, seq, eventId, event, data, emittedAt);
          emitted.push({ channel, seq, event_id: eventId, event, data, emitted_at: emittedAt });
        }
        return eventId;
      },
    };
    const result = this.db.transaction(() => fn(emitter))();
    this.broadcast(emitted);
    return result;
  }

  // implements: sync/ordering/1, sync/ordering/2, sync/delivery/5, sync/propagation/1
  private broadcast(events: readonly StoredEvent[]): void {
    for (const e of events) {
      try {
        this.ctx.broadcaster.publish(e.channel, e.event, e.data);
      } catch (err) {
        // Stored already: a subscriber that misses it recovers from history, so a broadcast failure
        // must not turn an acknowledged mutation into an error.
        this.ctx.log(`sync: broadcast of ${e.event} seq ${e.seq} on ${e.channel} failed: ${(err as Error).message}`);
      }
    }
  }

  // implements: sync/history/1, sync/history/2, sync/history/5, sync/ordering/2, sync/delivery/4
  history(channel: string, afterSeq: number, limit: number): { events: StoredEvent[]; lastSeq: number } {
    return this.db.transaction(() => ({
      events: this.page.all(channel, afterSeq, limit),
      lastSeq: this.lastSeq.get(channel)!.seq,
    }))();
  }
}
