/**
 * The fair mutant's rewriting (selftest/kit/reorder-json.ts) must move what the protocol leaves free and
 * nothing else; a reorderer that moved nothing would make "the fair mutant passes" prove nothing.
 */
import { describe, expect, it } from 'vitest';
import { reorderer } from '../../../selftest/kit/reorder-json.ts';

const keysDeep = (v: unknown): string[] =>
  v !== null && typeof v === 'object'
    ? Array.isArray(v)
      ? v.flatMap(keysDeep)
      : Object.entries(v).flatMap(([k, x]) => [k, ...keysDeep(x)])
    : [];

describe('reorderer', () => {
  it('moves the keys of every object of two keys or more, at every depth, and keeps every value', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const value = { a: 1, b: { c: 2, d: [{ e: 3, f: 4 }] }, g: 'x' };
      const out = reorderer(seed).value(value) as typeof value;
      expect(out).toEqual(value);
      expect(Object.keys(out)).not.toEqual(['a', 'b', 'g']);
      expect(Object.keys(out.b)).toEqual(['d', 'c']);
      expect(Object.keys(out.b.d[0]!)).toEqual(['f', 'e']);
    }
  });

  it('moves the members of sets and keeps the order of other arrays', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const r = reorderer(seed);
      const ids = ['u1', 'u2', 'u3'];
      const out = r.value({
        presence: { ids, count: 3 },
        events: [1, 2, 3],
        batch: [{ x: 1 }, { x: 2 }],
        users: [{ id: 'a' }, { id: 'b' }],
      }) as {
        presence: { ids: string[] };
        events: number[];
        batch: unknown[];
        users: Array<{ id: string }>;
      };
      expect(out.presence.ids).not.toEqual(ids);
      expect([...out.presence.ids].sort()).toEqual(ids);
      expect(out.users.map((u) => u.id)).toEqual(['b', 'a']);
      expect(out.events).toEqual([1, 2, 3]);
      expect(out.batch).toEqual([{ x: 1 }, { x: 2 }]);
    }
  });

  it('reorders the data the hub encodes and passes a publisher’s data byte for byte', () => {
    const r = reorderer(3);
    const presence = JSON.stringify({ presence: { ids: ['u1', 'u2'], hash: { u1: { n: 1 }, u2: { n: 2 } }, count: 2 } });
    const ack = JSON.parse(
      r.frame(JSON.stringify({ event: 'pusher_internal:subscription_succeeded', channel: 'presence-x', data: presence })),
    ) as {
      data: string;
    };
    expect(ack.data).not.toBe(presence);
    expect(JSON.parse(ack.data)).toEqual({ presence: { ids: ['u2', 'u1'], hash: { u1: { n: 1 }, u2: { n: 2 } }, count: 2 } });
    expect(keysDeep(JSON.parse(ack.data))).not.toEqual(keysDeep(JSON.parse(presence)));

    const payload = '{"b":1,"a":[2,1]}';
    for (const event of ['my-event', 'client-typing']) {
      const frame = JSON.parse(r.frame(JSON.stringify({ event, channel: 'c', data: payload }))) as { data: string };
      expect(frame.data).toBe(payload);
    }
    const sync = JSON.parse(
      r.frame(JSON.stringify({ event: 'App\\Events\\AgentTodoChanged', channel: 'c', data: '{"seq":1,"event_id":"e"}' })),
    ) as {
      data: string;
    };
    expect(sync.data).toBe('{"event_id":"e","seq":1}');
    expect(r.text('not json')).toBe('not json');
  });
});
