/** Verify helpers: silent when the hub is right; otherwise Expected and Actual drawn from the values, and where they differ. */
import { describe, expect, it } from 'vitest';
import * as v from '../../conformance/verify.ts';
import { CheckFailure } from '../../conformance/types.ts';
import { z } from 'zod';

function failure(fn: () => void): { message: string; expected?: string; actual?: string } {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CheckFailure);
    const f = err as CheckFailure;
    return { message: f.message, expected: f.expected, actual: f.actual };
  }
  throw new Error('expected a CheckFailure');
}

describe('verify helpers', () => {
  it('expectEqual compares structurally, tells "42" from 42, and names the first differing index of arrays', () => {
    v.expectEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }, 'same');
    expect(failure(() => v.expectEqual(42, '42', 'user_id is not a string'))).toEqual({
      message: 'user_id is not a string',
      expected: '"42"',
      actual: '42',
    });
    expect(failure(() => v.expectEqual([1, 2, 4], [1, 2, 3, 4], 'order')).actual).toBe(
      '[1,2,4] — first difference at index 2: 4 where 3 was expected',
    );
  });

  it('object keys in another order are the same value; array items in another order are not, except to expectSameSet', () => {
    expect(v.sameValue({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(true);
    expect(v.sameValue({ x: [{ a: 1, b: { c: 2, d: 3 } }] }, { x: [{ b: { d: 3, c: 2 }, a: 1 }] })).toBe(true);
    expect(v.sameValue({ a: 1, b: 2 }, { a: 1, b: 3 })).toBe(false);
    expect(v.sameValue({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(v.sameValue([1, 2], [2, 1])).toBe(false);
    expect(v.sameValue('{"a":1,"b":2}', '{"b":2,"a":1}')).toBe(false); // a string is its bytes: opaque payload
    expect(v.canonicalJson({ b: [{ d: 1, c: 2 }], a: null })).toBe('{"a":null,"b":[{"c":2,"d":1}]}');

    v.expectEqual({ presence: { hash: { u1: 1, u2: 2 }, count: 2 } }, { presence: { count: 2, hash: { u2: 2, u1: 1 } } }, 'same');
    expect(failure(() => v.expectEqual([1, 2], [2, 1], 'event order')).actual).toBe(
      '[1,2] — first difference at index 0: 1 where 2 was expected',
    );
    v.expectFields({ todo: { b: 2, a: 1 } }, { todo: { a: 1, b: 2 } }, 'same');
    v.expectSameSet([2, 1], [1, 2], 'same');
    v.expectSameSet(
      [
        { id: 'b', n: 1 },
        { n: 2, id: 'a' },
      ],
      [
        { id: 'a', n: 2 },
        { n: 1, id: 'b' },
      ],
      'same',
    );
    v.expectIncludes([{ b: 2, a: 1 }], [{ a: 1, b: 2 }], 'same');
    v.expectOneOf({ b: 2, a: 1 }, [{ a: 1, b: 2 }], 'same');
    v.expectNotEqual({ a: 1 }, { a: 2 }, 'differ');
    expect(failure(() => v.expectNotEqual({ b: 2, a: 1 }, { a: 1, b: 2 }, 'same value')).expected).toBe('anything but {"a":1,"b":2}');
    expect(
      failure(() =>
        v.expectDistinct(
          [
            { a: 1, b: 2 },
            { b: 2, a: 1 },
          ],
          'one value twice',
        ),
      ).actual,
    ).toContain('more than once');
  });

  it('expectAll runs every check and names every miss in one failure', async () => {
    await v.expectAll('all good', [() => v.expectEqual(1, 1, 'one'), async () => v.expectEqual(2, 2, 'two')]);
    const ran: number[] = [];
    const err = await v
      .expectAll('the nodes disagree', [
        () => (ran.push(1), v.expectEqual(1, 2, 'a wrong through node 1')),
        () => (ran.push(2), v.expectEqual(3, 3, 'b')),
        async () => (ran.push(3), v.expectEqual('x', 'y', 'c wrong through node 2')),
      ])
      .catch((e: unknown) => e as CheckFailure);
    expect(ran).toEqual([1, 2, 3]);
    expect(err).toBeInstanceOf(CheckFailure);
    expect(err).toMatchObject({
      message: 'the nodes disagree: 2 of 3 answers wrong — (1) a wrong through node 1; (2) c wrong through node 2',
      expected: '(1) 2 (2) "y"',
      actual: '(1) 1 (2) "x"',
    });
    // One miss is that miss, as it was.
    await expect(v.expectAll('x', [() => v.expectEqual(1, 2, 'only')])).rejects.toMatchObject({ message: 'only' });
  });

  it('expectNotEqual', () => {
    v.expectNotEqual(1, 2, 'differ');
    expect(failure(() => v.expectNotEqual(7, 7, 'the second agent got the first agent’s todo'))).toMatchObject({
      expected: 'anything but 7',
      actual: '7',
    });
  });

  it('expectFields looks only at the listed fields (dotted paths too) and names those that differ', () => {
    v.expectFields({ version: 1, status: 'open', extra: true }, { version: 1, status: 'open' }, 'ok');
    v.expectFields({ details: { todo_id: 3 } }, { 'details.todo_id': 3 }, 'ok');
    expect(failure(() => v.expectFields({ version: 2, status: 'open', title: 't' }, { version: 1, status: 'open' }, 'new todo'))).toEqual({
      message: 'new todo',
      expected: '{"version":1,"status":"open"}',
      actual: '{"version":2,"status":"open"} — version differs in {"version":2,"status":"open","title":"t"}',
    });
    expect(failure(() => v.expectFields(undefined, { version: 1 }, 'missing')).actual).toBe('undefined — version differs');
  });

  it('expectSameSet ignores order but not duplicates, and says what is missing and extra', () => {
    v.expectSameSet(['u2', 'u1'], ['u1', 'u2'], 'ok');
    expect(failure(() => v.expectSameSet(['u1', 'u1', 'u2'], ['u1', 'u2', 'u3'], 'ids')).actual).toBe(
      '["u1","u1","u2"] — missing "u3"; extra "u1"',
    );
  });

  it('expectIncludes, expectEvery, expectOneOf, expectMatch', () => {
    expect(failure(() => v.expectIncludes(['a'], ['a', 'b'], 'list')).actual).toBe('["a"] — missing "b"');
    expect(
      failure(() => v.expectEvery(['private-a', 'b'], (x) => x.startsWith('private-'), 'starts with private-', 'filter')),
    ).toMatchObject({ expected: 'every item starts with private-', actual: '["private-a","b"] — "b" does not' });
    expect(failure(() => v.expectOneOf(1006, [1003, 1008], 'closed')).expected).toBe('one of 1003, 1008');
    expect(failure(() => v.expectOneOf(4000, [4301], 'flood')).expected).toBe('4301');
    expect(failure(() => v.expectMatch('1.x', /^\d+\.\d+$/, 'socket_id'))).toMatchObject({
      expected: 'a string matching /^\\d+\\.\\d+$/',
      actual: '"1.x"',
    });
    expect(failure(() => v.expectMatch(5, /x/, 'not a string')).actual).toBe('5');
  });

  it('expectThat shows the rule and the value; expectDistinct names the repeats', () => {
    v.expectThat(4001, (c) => c >= 4000 && c <= 4099, 'a code of class dont-reconnect', 'ok');
    expect(
      failure(() =>
        v.expectThat(4101, (c) => c >= 4000 && c <= 4099, 'a code of class dont-reconnect', 'unknown app key used code 4101 (backoff)'),
      ),
    ).toEqual({
      message: 'unknown app key used code 4101 (backoff)',
      expected: 'a code of class dont-reconnect',
      actual: '4101',
    });
    v.expectDistinct(['1.1', '1.2'], 'ok');
    expect(failure(() => v.expectDistinct(['1.1', '1.2', '1.1'], 'two connections share a socket_id'))).toMatchObject({
      expected: '3 distinct values',
      actual: '["1.1","1.2","1.1"] — "1.1" more than once',
    });
  });

  it('the bounds print the bound, its unit and where it comes from', () => {
    v.expectAtMost(250, 250, 'ok');
    expect(failure(() => v.expectAtMost(260, 250, 'late', { unit: 'ms', bound: 'conflict_budget' }))).toMatchObject({
      expected: '≤ 250 ms (conflict_budget)',
      actual: '260 ms',
    });
    expect(failure(() => v.expectAtLeast(1.5, 2, 'early')).actual).toBe('1.500');
    expect(failure(() => v.expectBelow(10, 10, 'grew', { unit: 'MB' })).expected).toBe('< 10 MB');
    expect(failure(() => v.expectBetween(99, 100, 200, 'idle', { unit: 'ms' })).expected).toBe('100 ms … 200 ms');
    expect(failure(() => v.expectNear(0.5, 0.8, 0.01, 'similarity')).expected).toBe('0.800 ± 0.010');
  });

  it('expectAbsent and expectPresent', () => {
    v.expectAbsent(undefined, 'close', 'ok');
    v.expectAbsent(false, 'close', 'ok');
    expect(failure(() => v.expectAbsent({ code: 1006, reason: '' }, 'close', 'closed'))).toMatchObject({
      expected: 'no close',
      actual: '{"code":1006,"reason":""}',
    });
    const x: string | undefined = 'here';
    v.expectPresent(x, 'a frame', 'ok');
    expect(x.length).toBe(4);
    expect(failure(() => v.expectPresent(undefined, 'AgentParticipantLeft', 'never reported'))).toMatchObject({
      expected: 'AgentParticipantLeft',
      actual: 'nothing',
    });
  });

  it('expectStatus says what answered what, with the body start', () => {
    v.expectStatus({ status: 204, text: '' }, [200, 204], 'ok');
    expect(
      failure(() => v.expectStatus({ status: 200, text: `{"x":"${'y'.repeat(300)}"}` }, 401, 'GET channels without auth_key')),
    ).toEqual({
      message: 'GET channels without auth_key answered 200',
      expected: 'HTTP 401',
      actual: `200 {"x":"${'y'.repeat(194)}`,
    });
  });

  it('parseBody names the first bad field and its value', () => {
    expect(v.parseBody(z.object({ a: z.number() }), { a: 1 }, 'body')).toEqual({ a: 1 });
    expect(failure(() => v.parseBody(z.object({ a: z.number() }), { a: 'x' }, 'body'))).toMatchObject({
      message: expect.stringMatching(/^body: field `a` /),
      actual: 'a = "x"',
    });
  });

  it('clips long values', () => {
    expect(v.display('z'.repeat(600))).toMatch(/^"z{499}… \(102 more chars\)$/);
  });
});
