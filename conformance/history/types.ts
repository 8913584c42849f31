/**
 * A Jepsen-style history of one sync case: every operation a client performed (invoke, then ok / fail /
 * info) and every event a subscriber received, stamped with ms since the case started. The checker
 * reads it offline, after the case has stopped producing, so no check races the hub.
 */

/** `info` = outcome unknown (timeout, connection cut, 5xx): the op may or may not have taken effect. */
export type OpPhase = 'invoke' | 'ok' | 'fail' | 'info';

/**
 * An event an operation is known to cause (or, for a failed op, would have caused). `where` matches
 * dotted paths in the event data (`{ change: 'created', 'todo.todo_id': 17 }`).
 */
export interface EffectRef {
  channel: string;
  /** Wire name, `App\Events\…`. */
  event: string;
  where: Record<string, string | number | boolean | null>;
}

export interface OpEntry {
  type: 'op';
  /** Index in the history; stable handle for slices. */
  index: number;
  /** Pairs an invoke with its completion. */
  opId: number;
  phase: OpPhase;
  /** Which client performed it, e.g. `agent:claude-backend-001`. */
  process: string;
  /** What it did: `create_todo`, `join`, `heartbeat`, … */
  f: string;
  value?: unknown;
  /** On ok: events that must exist; on fail: events that must NOT exist. */
  effects?: EffectRef[];
  t: number;
}

export interface SubscribeEntry {
  type: 'subscribe';
  index: number;
  subscriber: string;
  channel: string;
  /** Connection id (`ws#3`); a reconnect is a new conn. */
  conn: string;
  /**
   * When the subscriber recovers with history after cuts, the last seq it already held at subscribe time
   * (0 = from the start). Undefined for live-only subscribers: they owe nothing before their first event.
   */
  fromSeq?: number;
  t: number;
}

export interface LeaveEntry {
  type: 'leave';
  index: number;
  subscriber: string;
  channel: string;
  conn: string;
  /** `unsubscribe`, `close`, `cut` (fault injected), … */
  reason: string;
  t: number;
}

export interface EventEntry {
  type: 'event';
  index: number;
  subscriber: string;
  channel: string;
  conn: string;
  /** `live` over the socket, `recovered` from GET /api/channels/{channel}/events. */
  source: 'live' | 'recovered';
  event: string;
  seq: number | undefined;
  eventId: string | undefined;
  data: Record<string, unknown>;
  t: number;
}

/** The hub's own history of a channel, read once at the end (authoritative for "what exists"). */
export interface StoredEntry {
  type: 'stored';
  index: number;
  channel: string;
  events: Array<{ seq: number; event_id: string; event: string; data: Record<string, unknown> }>;
  lastSeq: number;
  t: number;
}

export type HistoryEntry = OpEntry | SubscribeEntry | LeaveEntry | EventEntry | StoredEntry;

export type ViolationKind =
  | 'order'
  | 'loss'
  | 'duplicate'
  | 'history-gap'
  | 'recovery'
  | 'reach'
  | 'ack-missing'
  | 'failed-op-effect'
  | 'causality'
  | 'unpersisted'
  | 'event-id-mismatch';

export interface Violation {
  kind: ViolationKind;
  /** The requirement id it breaks. */
  requirement: string;
  message: string;
  subscriber?: string;
  channel?: string;
  /** Minimal offending slice: the few entries around the fault. */
  slice: HistoryEntry[];
}
