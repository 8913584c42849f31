/**
 * Rewrites JSON a hub produced the way another correct hub may write it: the keys of every object in
 * another order, and the members of every array the protocol makes a set in another order. Arrays the
 * protocol orders (history `events`, a `batch` answer) keep theirs, and strings are never opened except
 * the double-encoded `data` of the hub's own frames — a user event's `data` is opaque payload that
 * arrives as it was sent. Seeded, so a run is reproducible; a permutation that happens to leave a value
 * as it was is rotated, so every object of two keys or more and every set of two members or more does move.
 */
import { LARAVEL_EVENT_NAMESPACE } from '../../spec/schemas/sync.ts';

/**
 * Arrays that are sets, by the key that holds them: presence `ids`; the HTTP API's `users`; the sync
 * API's `todos` and `participants` listings; `agents` of GET /api/presence; `profiles` of GET /api/hub.
 * docs/protocol.md gives none of them an order.
 */
export const SET_KEYS: ReadonlySet<string> = new Set(['ids', 'users', 'todos', 'participants', 'agents', 'profiles']);

export interface Reorderer {
  /** A copy of `value` with every object's keys and every set's members in another order. */
  value(value: unknown): unknown;
  /** `text` as JSON reordered, or unchanged when it is not JSON. */
  text(text: string): string;
  /** A WebSocket frame from the hub: the frame reordered, and the `data` string of a `pusher:`, `pusher_internal:` or sync event too. */
  frame(text: string): string;
}

/** mulberry32: small, seeded, good enough to pick permutations. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Frames whose `data` the hub itself encodes (the rest carry a publisher's or a client's payload). */
export function hubEncodesData(event: string): boolean {
  return event.startsWith('pusher:') || event.startsWith('pusher_internal:') || event.startsWith(LARAVEL_EVENT_NAMESPACE);
}

export function reorderer(seed = 1): Reorderer {
  const next = random(seed);
  /** Fisher–Yates; rotated by one when it left the items where they were. */
  const permute = <T>(items: readonly T[]): T[] => {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    if (out.length > 1 && out.every((x, i) => x === items[i])) out.push(out.shift()!);
    return out;
  };
  const value = (v: unknown, key?: string): unknown => {
    if (Array.isArray(v)) {
      const items = v.map((x) => value(x));
      return key !== undefined && SET_KEYS.has(key) ? permute(items) : items;
    }
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(permute(Object.keys(v)).map((k) => [k, value((v as Record<string, unknown>)[k], k)]));
  };
  const parse = (text: string): { ok: true; json: unknown } | { ok: false } => {
    try {
      return { ok: true, json: JSON.parse(text) as unknown };
    } catch {
      return { ok: false };
    }
  };
  const text = (t: string): string => {
    const p = parse(t);
    return p.ok && p.json !== null && typeof p.json === 'object' ? JSON.stringify(value(p.json)) : t;
  };
  return {
    value: (v) => value(v),
    text,
    frame(t) {
      const p = parse(t);
      if (!p.ok || p.json === null || typeof p.json !== 'object' || Array.isArray(p.json)) return t;
      const f = p.json as Record<string, unknown>;
      const inner = typeof f.event === 'string' && hubEncodesData(f.event) && typeof f.data === 'string' ? text(f.data) : undefined;
      const keys = permute(Object.keys(f));
      return JSON.stringify(Object.fromEntries(keys.map((k) => [k, k === 'data' && inner !== undefined ? inner : value(f[k], k)])));
    },
  };
}
