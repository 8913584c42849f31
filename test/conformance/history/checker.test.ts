import { describe, expect, it } from 'vitest';
import { History } from '../../../conformance/history/recorder.ts';
import { checkHistory } from '../../../conformance/history/checker.ts';
import type { ViolationKind } from '../../../conformance/history/types.ts';
import { wireEventName } from '../../../spec/schemas/sync.ts';

const CH = 'private-session.1';
const TODO = wireEventName('AgentTodoChanged');
const DETECTED = wireEventName('AgentConflictDetected');
const RESOLVED = wireEventName('AgentConflictResolved');

interface Ev {
  seq: number;
  event_id: string;
  event: string;
  data: Record<string, unknown>;
}
const todo = (seq: number, id: number): Ev => ({
  seq,
  event_id: `e${seq}`,
  event: TODO,
  data: { seq, event_id: `e${seq}`, change: 'created', todo: { todo_id: id } },
});
const detected = (seq: number, conflict: number, a: number, b: number): Ev => ({
  seq,
  event_id: `e${seq}`,
  event: DETECTED,
  data: { seq, event_id: `e${seq}`, conflict_id: conflict, details: { todo1_id: a, todo2_id: b, similarity: 1 } },
});
const resolved = (seq: number, conflict: number): Ev => ({
  seq,
  event_id: `e${seq}`,
  event: RESOLVED,
  data: { seq, event_id: `e${seq}`, conflict_id: conflict },
});

/** A clean history: two creates acknowledged, one subscriber live throughout, history read at the end. */
function build(opts: { stored?: Ev[]; live?: Ev[]; extraOps?: (h: History) => void; fromSeq?: number; recovered?: Ev[] } = {}): History {
  const stored = opts.stored ?? [todo(1, 10), todo(2, 11)];
  const h = new History();
  let t = 0;
  const clockless = (e: Parameters<History['append']>[0]) => h.append({ ...e, t: t++ } as Parameters<History['append']>[0]);
  clockless({
    type: 'subscribe',
    subscriber: 'a',
    channel: CH,
    conn: 'ws#1',
    ...(opts.fromSeq === undefined ? {} : { fromSeq: opts.fromSeq }),
  });
  for (const [i, todoId] of [10, 11].entries()) {
    clockless({ type: 'op', opId: i + 1, phase: 'invoke', process: 'agent:x', f: 'create_todo' });
    clockless({
      type: 'op',
      opId: i + 1,
      phase: 'ok',
      process: 'agent:x',
      f: 'create_todo',
      effects: [{ channel: CH, event: TODO, where: { change: 'created', 'todo.todo_id': todoId } }],
    });
  }
  opts.extraOps?.(h);
  for (const e of opts.live ?? stored)
    clockless({
      type: 'event',
      subscriber: 'a',
      channel: CH,
      conn: 'ws#1',
      source: 'live',
      event: e.event,
      seq: e.seq,
      eventId: e.event_id,
      data: e.data,
    });
  for (const e of opts.recovered ?? [])
    clockless({
      type: 'event',
      subscriber: 'a',
      channel: CH,
      conn: 'ws#2',
      source: 'recovered',
      event: e.event,
      seq: e.seq,
      eventId: e.event_id,
      data: e.data,
    });
  t += 1000;
  clockless({ type: 'stored', channel: CH, events: stored, lastSeq: stored.at(-1)?.seq ?? 0 });
  return h;
}

const kinds = (h: History): ViolationKind[] => checkHistory(h).violations.map((v) => v.kind);

describe('history checker', () => {
  it('passes a clean history', () => {
    const r = checkHistory(build());
    expect(r.violations).toEqual([]);
    expect(r.stats).toMatchObject({ events: 2, ok: 2, subscribers: 1 });
  });

  it('passes a clean conflict history (created, created, Detected, Resolved)', () => {
    const s = [todo(1, 10), todo(2, 11), detected(3, 5, 10, 11), resolved(4, 5)];
    expect(checkHistory(build({ stored: s })).violations).toEqual([]);
  });

  it('detects two events delivered out of order, with a slice around them', () => {
    const r = checkHistory(build({ live: [todo(2, 11), todo(1, 10)] }));
    const v = r.violations.find((x) => x.kind === 'order');
    expect(v).toBeDefined();
    expect(v!.requirement).toMatch(/^sync\//);
    expect(v!.slice.length).toBeGreaterThan(0);
    expect(v!.slice.length).toBeLessThanOrEqual(6);
  });

  it('detects a seq skipped in a live stream and an acknowledged event never delivered', () => {
    const s = [todo(1, 10), todo(2, 11), todo(3, 12)];
    expect(kinds(build({ stored: s, live: [s[0]!, s[2]!] }))).toContain('loss');
    expect(kinds(build({ live: [todo(1, 10)] }))).toContain('reach');
  });

  it('detects the same event delivered twice and the same event stored twice', () => {
    expect(kinds(build({ live: [todo(1, 10), todo(1, 10), todo(2, 11)] }))).toContain('duplicate');
    const twice = [todo(1, 10), todo(2, 11), { ...todo(3, 11), event_id: 'e3' }];
    expect(kinds(build({ stored: twice, live: twice }))).toContain('duplicate'); // create 11 caused two events
    const sameId = [todo(1, 10), { ...todo(2, 11), event_id: 'e1' }];
    expect(kinds(build({ stored: sameId, live: [] }))).toContain('duplicate');
  });

  it('detects gaps in the stored history and a wrong last_seq', () => {
    const gap = [todo(1, 10), todo(3, 11)];
    expect(kinds(build({ stored: gap, live: [] }))).toContain('history-gap');
  });

  it('detects an acknowledged create missing from history, and a delivered event that was never stored', () => {
    const r = kinds(build({ stored: [todo(1, 10)], live: [todo(1, 10), todo(2, 11)] }));
    expect(r).toContain('ack-missing');
    expect(r).toContain('unpersisted');
  });

  it('detects a refused request whose event was emitted anyway', () => {
    const s = [todo(1, 10), todo(2, 11), todo(3, 99)];
    const h = build({
      stored: s,
      extraOps: (x) => {
        x.append({ type: 'op', opId: 9, phase: 'invoke', process: 'agent:y', f: 'create_todo' });
        x.append({
          type: 'op',
          opId: 9,
          phase: 'fail',
          process: 'agent:y',
          f: 'create_todo',
          effects: [{ channel: CH, event: TODO, where: { 'todo.todo_id': 99 } }],
        });
      },
    });
    expect(kinds(h)).toContain('failed-op-effect');
  });

  it('never counts an info (unknown outcome) op as lost', () => {
    const h = build({
      extraOps: (x) => {
        x.append({ type: 'op', opId: 9, phase: 'invoke', process: 'agent:y', f: 'create_todo' });
        x.append({ type: 'op', opId: 9, phase: 'info', process: 'agent:y', f: 'create_todo', value: 'timeout' });
      },
    });
    expect(checkHistory(h).violations).toEqual([]);
  });

  it('detects a conflict broadcast before the todo it is about, and Resolved before Detected', () => {
    const early = [todo(1, 10), detected(2, 5, 10, 11), todo(3, 11)];
    expect(kinds(build({ stored: early, live: early }))).toContain('causality');
    const flipped = [todo(1, 10), todo(2, 11), resolved(3, 5), detected(4, 5, 10, 11)];
    const r = checkHistory(build({ stored: flipped, live: flipped }));
    expect(r.violations.filter((v) => v.kind === 'causality').map((v) => v.requirement)).toContain('sync/causality/2');
    const e = checkHistory(build({ stored: early, live: early })).violations.find((v) => v.kind === 'causality');
    expect(e?.requirement).toBe('sync/causality/1');
  });

  it('detects a participant that left before it joined (causality/3)', () => {
    const ev = (seq: number, event: string, pid: number): Ev => ({
      seq,
      event_id: `e${seq}`,
      event,
      data: { seq, event_id: `e${seq}`, participant_id: pid },
    });
    const s = [
      todo(1, 10),
      todo(2, 11),
      ev(3, wireEventName('AgentParticipantLeft'), 7),
      ev(4, wireEventName('AgentParticipantJoined'), 7),
    ];
    const v = checkHistory(build({ stored: s, live: s })).violations.filter((x) => x.kind === 'causality');
    expect(v.map((x) => x.requirement)).toContain('sync/causality/3');
  });

  it('checks recovery: a reconnecting subscriber must end with every stored event after its start seq', () => {
    const s = [todo(1, 10), todo(2, 11), todo(3, 12)];
    // Live got 1, was cut, history read recovered 2 and 3 (and 1 again, de-duplicated): complete.
    const ok = build({ stored: s, live: [s[0]!], recovered: [s[0]!, s[1]!, s[2]!], fromSeq: 0 });
    expect(checkHistory(ok).violations).toEqual([]);
    const lost = build({ stored: s, live: [s[0]!], recovered: [s[2]!], fromSeq: 0 });
    const v = checkHistory(lost).violations.find((x) => x.kind === 'recovery');
    expect(v?.message).toMatch(/seq 2/);
  });

  it('detects one seq carrying two different event_ids', () => {
    const h = build({
      live: [todo(1, 10), todo(2, 11)],
      recovered: [{ ...todo(2, 11), event_id: 'other', data: { ...todo(2, 11).data, event_id: 'other' } }],
      fromSeq: 0,
    });
    expect(kinds(h)).toContain('event-id-mismatch');
  });

  it('reports only the kinds asked for', () => {
    const r = checkHistory(build({ live: [todo(2, 11), todo(1, 10)] }), { kinds: ['reach'] });
    expect(r.violations.every((v) => v.kind === 'reach')).toBe(true);
  });
});
