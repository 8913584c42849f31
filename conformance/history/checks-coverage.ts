/**
 * Who must hold which event. A live-only subscriber owes every acknowledged effect produced while it
 * was subscribed (fan-out reach); a recovering subscriber (one that reads history after cuts) owes
 * every stored event after the seq it started from (at-least-once). Anything received must be stored.
 */
import { around, matchesEffect, type IndexedHistory } from './index-history.ts';
import type { EventEntry, HistoryEntry, Violation, ViolationKind } from './types.ts';

type Report = (kind: ViolationKind, v: Omit<Violation, 'kind' | 'requirement'> & { requirement?: string }) => void;

export interface CoverageOptions {
  /** An op must complete at least this long before a subscriber leaves for the subscriber to owe its event. */
  reachGraceMs: number;
}

export function checkCoverage(h: IndexedHistory, report: Report, opts: CoverageOptions): void {
  for (const [, segs] of h.segments) {
    const first = segs[0];
    if (!first) continue;
    const { subscriber, channel } = first;
    const stored = h.stored.get(channel);
    const received = h.received.get(`${subscriber}|${channel}`) ?? [];
    const recovering = segs.map((s) => s.subscribe?.fromSeq).filter((x): x is number => x !== undefined);

    if (stored) {
      const storedById = new Map(stored.events.map((e) => [e.event_id, e]));
      for (const [i, e] of received.entries()) {
        if (e.eventId === undefined) continue;
        const s = storedById.get(e.eventId);
        if (!s) {
          report('unpersisted', {
            subscriber,
            channel,
            message: `${subscriber} received ${e.event} event_id ${e.eventId} (seq ${e.seq}) on ${channel}, but the channel's history does not hold it`,
            slice: around(received, i),
          });
        } else if (s.seq !== e.seq) {
          report('event-id-mismatch', {
            subscriber,
            channel,
            message: `event_id ${e.eventId} arrived with seq ${e.seq} but is stored at seq ${s.seq} on ${channel}`,
            slice: around(received, i),
          });
        }
      }
    }

    if (recovering.length > 0) {
      if (!stored) continue;
      const fromSeq = Math.min(...recovering);
      const have = new Set(received.map((e) => e.eventId));
      const missing = stored.events.filter((e) => e.seq > fromSeq && !have.has(e.event_id));
      if (missing.length > 0) {
        const firstMissing = missing[0]!;
        const before = received.filter((e) => (e.seq ?? 0) < firstMissing.seq).slice(-2);
        const cuts: HistoryEntry[] = segs.flatMap((s) => (s.leave ? [s.leave] : [])).slice(-3);
        report('recovery', {
          subscriber,
          channel,
          message: `${subscriber} ended without ${missing.length} stored event(s) on ${channel} after seq ${fromSeq} (first missing: seq ${firstMissing.seq} ${firstMissing.event}) despite reconnecting and reading history`,
          slice: [...before, ...cuts, { ...stored, events: missing.slice(0, 3) }],
        });
      }
      continue;
    }

    // Live-only: each segment owes the acknowledged effects produced inside its window.
    for (const seg of segs) {
      if (!seg.subscribe) continue;
      const opened = seg.subscribe.t;
      const closed = seg.leave?.t ?? Number.POSITIVE_INFINITY;
      for (const op of h.ops) {
        const done = op.done;
        if (done?.phase !== 'ok' || !done.effects) continue;
        if (op.invoke.t < opened || done.t + opts.reachGraceMs > closed) continue;
        for (const effect of done.effects) {
          if (effect.channel !== channel) continue;
          const storedMatch = stored?.events.find((e) => matchesEffect(effect, e));
          const got = seg.live.some((e: EventEntry) => (storedMatch ? e.eventId === storedMatch.event_id : matchesEffect(effect, e)));
          if (!got) {
            report('reach', {
              subscriber,
              channel,
              message: `${subscriber} was subscribed to ${channel} over ${seg.conn} when ${op.invoke.f} by ${op.invoke.process} was acknowledged, but never received ${effect.event} ${JSON.stringify(effect.where)}`,
              slice: [seg.subscribe, op.invoke, done, ...seg.live.slice(-2), ...(seg.leave ? [seg.leave] : [])],
            });
          }
        }
      }
    }
  }
}
