/**
 * Effects after causes on one channel: a todo's `created` before any conflict about it, and a
 * conflict's `Detected` before its `Resolved`. Checked on the stored order (seq) and on each live
 * stream's arrival order.
 */
import { pathValue, type IndexedHistory } from './index-history.ts';
import type { HistoryEntry, Violation, ViolationKind } from './types.ts';
import { wireEventName } from '../../spec/schemas/sync.ts';

type Report = (kind: ViolationKind, v: Omit<Violation, 'kind' | 'requirement'> & { requirement?: string }) => void;

const TODO = wireEventName('AgentTodoChanged');
const DETECTED = wireEventName('AgentConflictDetected');
const RESOLVED = wireEventName('AgentConflictResolved');
const JOINED = wireEventName('AgentParticipantJoined');
const LEFT = wireEventName('AgentParticipantLeft');

/** The requirement a missing cause breaks, by the cause's kind. */
const REQUIREMENT_BY_CAUSE: Record<string, string> = {
  created: 'sync/causality/1',
  detected: 'sync/causality/2',
  joined: 'sync/causality/3',
};
const requirementOf = (cause: string): string => REQUIREMENT_BY_CAUSE[cause.split(':')[0]!] ?? 'sync/causality/1';

interface Ev {
  event: string;
  data: Record<string, unknown>;
}

/** The causes an event needs earlier on its channel, as keys `created:<todo>` / `detected:<conflict>`. */
function causesOf(e: Ev): string[] {
  if (e.event === DETECTED) {
    const d = pathValue(e.data, 'details') as Record<string, unknown> | undefined;
    return ['todo1_id', 'todo2_id', 'todo_id']
      .map((k) => d?.[k])
      .filter((v) => typeof v === 'number')
      .map((v) => `created:${v}`);
  }
  if (e.event === RESOLVED) return [`detected:${String(e.data.conflict_id)}`];
  if (e.event === LEFT) return [`joined:${String(e.data.participant_id)}`];
  return [];
}

function keyOf(e: Ev): string | undefined {
  if (e.event === TODO && e.data.change === 'created') return `created:${String(pathValue(e.data, 'todo.todo_id'))}`;
  if (e.event === DETECTED) return `detected:${String(e.data.conflict_id)}`;
  if (e.event === JOINED) return `joined:${String(e.data.participant_id)}`;
  return undefined;
}

/**
 * Walks one ordering; `complete` = the ordering holds every event of the channel (stored history), so
 * a missing cause is itself a violation. A live stream may have joined after the cause.
 */
function walk<T extends Ev>(
  events: T[],
  complete: boolean,
  onViolation: (effect: T, cause: string, causeAfter: T | undefined, i: number) => void,
): void {
  const seen = new Set<string>();
  const later = new Map<string, T>();
  for (const e of events) {
    const k = keyOf(e);
    if (k && !later.has(k)) later.set(k, e);
  }
  events.forEach((e, i) => {
    for (const cause of causesOf(e)) {
      if (seen.has(cause)) continue;
      const after = later.get(cause);
      if (after || complete) onViolation(e, cause, after, i);
    }
    const k = keyOf(e);
    if (k) seen.add(k);
  });
}

export function checkCausality(h: IndexedHistory, report: Report): void {
  for (const s of h.stored.values()) {
    walk(s.events, true, (effect, cause, after) => {
      const where = after ? `it comes later, at seq ${(after as { seq: number }).seq}` : 'it is not in the history at all';
      report('causality', {
        requirement: requirementOf(cause),
        channel: s.channel,
        message: `history of ${s.channel}: ${effect.event} (seq ${effect.seq}) needs ${cause} before it, but ${where}`,
        slice: [{ ...s, events: s.events.filter((e) => e === effect || e === after) }],
      });
    });
  }
  for (const segs of h.segments.values()) {
    for (const seg of segs) {
      walk(seg.live, false, (effect, cause, after) => {
        report('causality', {
          requirement: requirementOf(cause),
          subscriber: seg.subscriber,
          channel: seg.channel,
          message: `${seg.subscriber} received ${effect.event} (seq ${effect.seq}) on ${seg.channel} before its cause ${cause}`,
          slice: [effect, after].filter((x): x is NonNullable<typeof x> => x !== undefined) as HistoryEntry[],
        });
      });
    }
  }
}
