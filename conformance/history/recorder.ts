/**
 * Records a history while a case runs. Cheap appends only; all judgement happens in the checker.
 */
import type { EffectRef, EventEntry, HistoryEntry, OpEntry, StoredEntry } from './types.ts';

/** Drops the `index` a recorder assigns; `t` defaults to now. */
type Without<T> = T extends unknown ? Omit<T, 'index' | 't'> & { t?: number } : never;

export interface OpHandle {
  readonly opId: number;
  ok(value?: unknown, effects?: EffectRef[]): void;
  fail(value?: unknown, effects?: EffectRef[]): void;
  /** Outcome unknown: timed out, connection cut, 5xx. Never counted as lost or as applied. */
  info(value?: unknown): void;
}

export class History {
  readonly entries: HistoryEntry[] = [];
  private nextOp = 1;
  private readonly started = performance.now();

  constructor(private readonly clock: () => number = () => performance.now() - this.started) {}

  private push<T extends HistoryEntry>(entry: Omit<T, 'index'>): T {
    const full = { ...entry, index: this.entries.length } as T;
    this.entries.push(full);
    return full;
  }

  invoke(process: string, f: string, value?: unknown): OpHandle {
    const opId = this.nextOp++;
    this.push<OpEntry>({ type: 'op', opId, phase: 'invoke', process, f, value, t: this.clock() });
    let done = false;
    const complete = (phase: OpEntry['phase'], v: unknown, effects?: EffectRef[]) => {
      if (done) return; // first completion wins; a late info after ok changes nothing
      done = true;
      this.push<OpEntry>({ type: 'op', opId, phase, process, f, value: v, ...(effects ? { effects } : {}), t: this.clock() });
    };
    return {
      opId,
      ok: (v, effects) => complete('ok', v, effects),
      fail: (v, effects) => complete('fail', v, effects),
      info: (v) => complete('info', v),
    };
  }

  subscribed(s: { subscriber: string; channel: string; conn: string; fromSeq?: number }): void {
    this.push({ type: 'subscribe', ...s, t: this.clock() });
  }

  left(s: { subscriber: string; channel: string; conn: string; reason: string }): void {
    this.push({ type: 'leave', ...s, t: this.clock() });
  }

  /** A sync event as received; `seq`/`event_id` are read from its data (the envelope). */
  received(e: { subscriber: string; channel: string; conn: string; source: EventEntry['source']; event: string; data: unknown }): void {
    const data = (e.data !== null && typeof e.data === 'object' ? e.data : {}) as Record<string, unknown>;
    const seq = typeof data.seq === 'number' ? data.seq : undefined;
    const eventId = typeof data.event_id === 'string' ? data.event_id : undefined;
    this.push<EventEntry>({ type: 'event', ...e, data, seq, eventId, t: this.clock() });
  }

  /** The hub's persisted history of a channel (all pages), read at the end. */
  stored(channel: string, events: StoredEntry['events'], lastSeq: number): void {
    this.push<StoredEntry>({ type: 'stored', channel, events, lastSeq, t: this.clock() });
  }

  /** Appends a pre-built entry (hand-built histories in tests, merged histories). */
  append(entry: Without<HistoryEntry>): void {
    this.push({ ...entry, t: entry.t ?? this.clock() } as unknown as Omit<HistoryEntry, 'index'>);
  }
}

/**
 * Runs `fn` as an operation: resolved → ok (with effects from `effectsOf`), rejected with a definite
 * refusal (`isDefiniteFailure`) → fail, anything else (timeout, reset, 5xx) → info.
 */
export async function recordOp<T>(
  history: History,
  process: string,
  f: string,
  value: unknown,
  fn: () => Promise<T>,
  opts: { effectsOf?: (result: T) => EffectRef[]; isDefiniteFailure?: (err: unknown) => boolean } = {},
): Promise<T> {
  const op = history.invoke(process, f, value);
  try {
    const result = await fn();
    op.ok(result, opts.effectsOf?.(result));
    return result;
  } catch (err) {
    if (opts.isDefiniteFailure?.(err)) op.fail(describe(err));
    else op.info(describe(err));
    throw err;
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
