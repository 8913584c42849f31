/**
 * Checks on each live stream (one subscriber, one channel, one connection): seq strictly increasing,
 * no seq skipped, no event_id delivered twice; and on each subscriber's merged view (live + recovered):
 * one event_id ↔ one seq.
 */
import { around, type IndexedHistory } from './index-history.ts';
import type { EventEntry, Violation, ViolationKind } from './types.ts';

type Report = (kind: ViolationKind, v: Omit<Violation, 'kind' | 'requirement'> & { requirement?: string }) => void;

export function checkStreams(h: IndexedHistory, report: Report): void {
  for (const segs of h.segments.values()) {
    for (const seg of segs) {
      const seenIds = new Map<string, EventEntry>();
      let prev: EventEntry | undefined;
      seg.live.forEach((e, i) => {
        const where = { subscriber: seg.subscriber, channel: seg.channel };
        const slice = () => [...(seg.subscribe ? [seg.subscribe] : []), ...around(seg.live, i)].filter(unique());
        if (e.seq === undefined || e.eventId === undefined) {
          report('order', { ...where, message: `${e.event} on ${seg.channel} has no numeric seq / string event_id`, slice: slice() });
          return;
        }
        const dup = seenIds.get(e.eventId);
        if (dup) {
          report('duplicate', {
            ...where,
            message: `event_id ${e.eventId} delivered twice on ${seg.channel} over ${seg.conn} (seq ${dup.seq} then ${e.seq})`,
            slice: [dup, ...slice()].filter(unique()),
          });
          return;
        }
        seenIds.set(e.eventId, e);
        if (prev?.seq !== undefined) {
          if (e.seq <= prev.seq) {
            report('order', {
              ...where,
              message: `seq went from ${prev.seq} to ${e.seq} on ${seg.channel} over ${seg.conn}`,
              slice: slice(),
            });
          } else if (e.seq > prev.seq + 1) {
            report('loss', {
              ...where,
              message: `seq jumped from ${prev.seq} to ${e.seq} on ${seg.channel} over ${seg.conn}: ${e.seq - prev.seq - 1} event(s) never delivered`,
              slice: slice(),
            });
          }
        }
        prev = e;
      });
    }
  }

  // Merged view: the same logical event must carry one seq, one seq must carry one event.
  for (const events of h.received.values()) {
    const byId = new Map<string, EventEntry>();
    const bySeq = new Map<number, EventEntry>();
    for (const e of events) {
      if (e.seq === undefined || e.eventId === undefined) continue;
      const sameId = byId.get(e.eventId);
      if (sameId && sameId.seq !== e.seq) {
        report('duplicate', {
          subscriber: e.subscriber,
          channel: e.channel,
          message: `event_id ${e.eventId} arrived with seq ${sameId.seq} and seq ${e.seq} on ${e.channel}: the hub emitted it twice`,
          slice: [sameId, e],
        });
      }
      const sameSeq = bySeq.get(e.seq);
      if (sameSeq && sameSeq.eventId !== e.eventId) {
        report('event-id-mismatch', {
          subscriber: e.subscriber,
          channel: e.channel,
          message: `seq ${e.seq} on ${e.channel} arrived as event_id ${sameSeq.eventId} and as ${e.eventId}`,
          slice: [sameSeq, e],
        });
      }
      byId.set(e.eventId, sameId ?? e);
      bySeq.set(e.seq, sameSeq ?? e);
    }
  }
}

function unique<T>(): (x: T) => boolean {
  const seen = new Set<T>();
  return (x) => (seen.has(x) ? false : (seen.add(x), true));
}
