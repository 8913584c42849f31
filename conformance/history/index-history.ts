/** Groups a flat history by the keys the checks need. Built once per check run. */
import type { EffectRef, EventEntry, HistoryEntry, LeaveEntry, OpEntry, StoredEntry, SubscribeEntry } from './types.ts';

/** One subscription of one subscriber on one channel over one connection. */
export interface Segment {
  subscriber: string;
  channel: string;
  conn: string;
  subscribe: SubscribeEntry | undefined;
  leave: LeaveEntry | undefined;
  /** Live events of this conn on this channel, in arrival order. */
  live: EventEntry[];
}

export interface CompletedOp {
  invoke: OpEntry;
  done: OpEntry | undefined;
}

export interface IndexedHistory {
  entries: HistoryEntry[];
  stored: Map<string, StoredEntry>;
  /** key `subscriber|channel` → segments in order of first appearance. */
  segments: Map<string, Segment[]>;
  /** key `subscriber|channel` → every event (live and recovered) in arrival order. */
  received: Map<string, EventEntry[]>;
  ops: CompletedOp[];
}

export const subKey = (subscriber: string, channel: string): string => `${subscriber}|${channel}`;

export function indexHistory(entries: HistoryEntry[]): IndexedHistory {
  const stored = new Map<string, StoredEntry>();
  const segments = new Map<string, Segment[]>();
  const received = new Map<string, EventEntry[]>();
  const ops = new Map<number, CompletedOp>();
  const segmentFor = (subscriber: string, channel: string, conn: string): Segment => {
    const key = subKey(subscriber, channel);
    const list = segments.get(key) ?? [];
    segments.set(key, list);
    // A conn may subscribe, leave and subscribe again: the newest open segment takes the events; events
    // with no recorded subscribe get an implicit segment (the checker then owes nothing before them).
    let seg = [...list].reverse().find((s) => s.conn === conn && s.leave === undefined);
    if (!seg) {
      seg = { subscriber, channel, conn, subscribe: undefined, leave: undefined, live: [] };
      list.push(seg);
    }
    return seg;
  };
  for (const e of entries) {
    switch (e.type) {
      case 'stored':
        stored.set(e.channel, e);
        break;
      case 'subscribe': {
        const key = subKey(e.subscriber, e.channel);
        const list = segments.get(key) ?? [];
        segments.set(key, list);
        // Events can be recorded a tick before the subscribe that enabled them: adopt that implicit segment.
        const implicit = list.find((x) => x.conn === e.conn && x.subscribe === undefined && x.leave === undefined);
        if (implicit) implicit.subscribe = e;
        else list.push({ subscriber: e.subscriber, channel: e.channel, conn: e.conn, subscribe: e, leave: undefined, live: [] });
        break;
      }
      case 'leave':
        segmentFor(e.subscriber, e.channel, e.conn).leave = e;
        break;
      case 'event': {
        if (e.source === 'live') segmentFor(e.subscriber, e.channel, e.conn).live.push(e);
        const key = subKey(e.subscriber, e.channel);
        received.set(key, [...(received.get(key) ?? []), e]);
        break;
      }
      case 'op': {
        if (e.phase === 'invoke') ops.set(e.opId, { invoke: e, done: undefined });
        else {
          const op = ops.get(e.opId);
          if (op) op.done = e;
        }
        break;
      }
    }
  }
  return { entries, stored, segments, received, ops: [...ops.values()] };
}

/** Reads a dotted path (`todo.todo_id`) out of event data. */
export function pathValue(data: Record<string, unknown>, path: string): unknown {
  let v: unknown = data;
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

export function matchesEffect(effect: EffectRef, event: { event: string; data: Record<string, unknown> }): boolean {
  if (effect.event !== event.event) return false;
  return Object.entries(effect.where).every(([path, want]) => pathValue(event.data, path) === want);
}

/** `list[i-r … i+r]`, for slices around an offending entry. */
export function around<T>(list: T[], i: number, radius = 2): T[] {
  return list.slice(Math.max(0, i - radius), Math.min(list.length, i + radius + 1));
}
