/**
 * Checks on the hub's persisted history (read at the end) against what operations were told:
 * seq gapless from 1, one event_id once per channel and the same event on every channel it goes to,
 * every acknowledged effect stored exactly once, no effect of a refused request stored.
 */
import { matchesEffect, type IndexedHistory } from './index-history.ts';
import type { StoredEntry, Violation, ViolationKind } from './types.ts';

type Report = (kind: ViolationKind, v: Omit<Violation, 'kind' | 'requirement'> & { requirement?: string }) => void;

/** A stored event shown in a slice: the stored page trimmed to the few events that matter. */
function storedSlice(s: StoredEntry, seqs: number[]): StoredEntry {
  const keep = new Set(seqs.flatMap((q) => [q - 1, q, q + 1]));
  return { ...s, events: s.events.filter((e) => keep.has(e.seq)) };
}

export function checkStored(h: IndexedHistory, report: Report): void {
  const idToEvent = new Map<string, { channel: string; event: string }>();
  for (const s of h.stored.values()) {
    const ids = new Map<string, number>();
    s.events.forEach((e, i) => {
      const expected = i + 1;
      if (e.seq !== expected) {
        report('history-gap', {
          ...(e.seq < expected ? { requirement: 'sync/ordering/2' } : {}),
          channel: s.channel,
          message: `history of ${s.channel} has seq ${e.seq} at position ${expected}; seqs must run 1, 2, 3, … without gaps`,
          slice: [storedSlice(s, [e.seq, expected])],
        });
      }
      const prevSeq = ids.get(e.event_id);
      if (prevSeq !== undefined) {
        report('duplicate', {
          channel: s.channel,
          message: `history of ${s.channel} holds event_id ${e.event_id} twice (seq ${prevSeq} and ${e.seq})`,
          slice: [storedSlice(s, [prevSeq, e.seq])],
        });
      }
      ids.set(e.event_id, e.seq);
      const other = idToEvent.get(e.event_id);
      if (other && other.event !== e.event) {
        report('event-id-mismatch', {
          requirement: 'sync/envelope/2',
          channel: s.channel,
          message: `event_id ${e.event_id} is ${other.event} on ${other.channel} but ${e.event} on ${s.channel}`,
          slice: [storedSlice(s, [e.seq])],
        });
      }
      idToEvent.set(e.event_id, { channel: s.channel, event: e.event });
    });
    const last = s.events.at(-1)?.seq ?? 0;
    if (s.lastSeq !== last) {
      report('history-gap', {
        channel: s.channel,
        message: `history of ${s.channel} says last_seq ${s.lastSeq} but its events end at seq ${last}`,
        slice: [storedSlice(s, [last])],
      });
    }
  }

  for (const op of h.ops) {
    const done = op.done;
    if (!done || !done.effects || (done.phase !== 'ok' && done.phase !== 'fail')) continue;
    for (const effect of done.effects) {
      const s = h.stored.get(effect.channel);
      if (!s) continue; // channel not read back; the case did not ask for this check
      const matches = s.events.filter((e) => matchesEffect(effect, e));
      if (done.phase === 'ok' && matches.length === 0) {
        report('ack-missing', {
          channel: effect.channel,
          message: `${op.invoke.f} by ${op.invoke.process} was acknowledged but ${effect.event} ${JSON.stringify(effect.where)} is not in the history of ${effect.channel}`,
          slice: [op.invoke, done],
        });
      } else if (done.phase === 'ok' && matches.length > 1) {
        report('duplicate', {
          channel: effect.channel,
          message: `${op.invoke.f} by ${op.invoke.process} caused ${matches.length} × ${effect.event} ${JSON.stringify(effect.where)} on ${effect.channel}; expected one`,
          slice: [
            op.invoke,
            done,
            storedSlice(
              s,
              matches.map((m) => m.seq),
            ),
          ],
        });
      } else if (done.phase === 'fail' && matches.length > 0) {
        report('failed-op-effect', {
          channel: effect.channel,
          message: `${op.invoke.f} by ${op.invoke.process} was refused yet ${effect.event} ${JSON.stringify(effect.where)} is in the history of ${effect.channel}`,
          slice: [
            op.invoke,
            done,
            storedSlice(
              s,
              matches.map((m) => m.seq),
            ),
          ],
        });
      }
    }
  }
}
