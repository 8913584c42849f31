import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { accounting, SequenceTracker } from '../../../load/measure/sequence-tracker.ts';

describe('SequenceTracker', () => {
  it('classifies in-order arrivals as new', () => {
    const t = new SequenceTracker();
    expect([1, 2, 3, 4].map((s) => t.record(s))).toEqual(['new', 'new', 'new', 'new']);
    expect(t.countUnique(1, 4)).toBe(4);
  });

  it('classifies a repeat as a duplicate, however late it comes', () => {
    const t = new SequenceTracker();
    expect([1, 2, 2, 3, 1].map((s) => t.record(s))).toEqual(['new', 'new', 'duplicate', 'new', 'duplicate']);
    expect(t.countUnique(1, 3)).toBe(3);
  });

  it('classifies a first arrival below the highest seen as out of order', () => {
    const t = new SequenceTracker();
    expect([1, 3, 2, 4].map((s) => t.record(s))).toEqual(['new', 'new', 'out-of-order', 'new']);
  });

  it('lets publishes that were in flight together arrive in either order', () => {
    const t = new SequenceTracker();
    // 2 and 3 were both sent after 1 was acknowledged and before either was: the hub may see them either way.
    expect(
      [
        [1, 0],
        [3, 1],
        [2, 1],
      ].map(([s, after]) => t.record(s!, after)),
    ).toEqual(['new', 'new', 'new']);
  });

  it('flags an event that arrives after one sent only once it was acknowledged', () => {
    const t = new SequenceTracker();
    // 3 was sent after 2 was acknowledged, so 2 must arrive first.
    expect(
      [
        [1, 0],
        [3, 2],
        [2, 1],
      ].map(([s, after]) => t.record(s!, after)),
    ).toEqual(['new', 'new', 'out-of-order']);
  });

  it('does not blame the hub for a lower publish still in flight when a later one was acknowledged first', () => {
    const t = new SequenceTracker();
    // 2 and 3 were sent together after 1; 3 was acknowledged first, then 4 was sent naming 3. Only 3 had
    // to precede 4: the hub may take 2 last (a false out-of-order under load before, when `after` meant
    // "every seq up to 3").
    expect(
      [
        [1, 0],
        [3, 1],
        [4, 3],
        [2, 1],
      ].map(([s, after]) => t.record(s!, after)),
    ).toEqual(['new', 'new', 'new', 'new']);
  });

  it('agrees with the acknowledged-order model on any arrivals', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 0, max: 200 })), { maxLength: 200 }),
        (arrivals) => {
          const t = new SequenceTracker();
          const seen: Array<[number, number]> = [];
          for (const [s, a] of arrivals) {
            const after = Math.min(a, s - 1);
            // Out of order: an earlier arrival named this one as what it had to follow.
            const expected = seen.some(([x]) => x === s) ? 'duplicate' : seen.some(([, y]) => y === s) ? 'out-of-order' : 'new';
            expect(t.record(s, after)).toBe(expected);
            if (expected !== 'duplicate') seen.push([s, after]);
          }
        },
      ),
    );
  });

  it('counts a gap that is never filled as lost', () => {
    const t = new SequenceTracker();
    for (const s of [1, 2, 4, 5]) t.record(s);
    const a = accounting(5, t.countUnique(1, 5), 0, 0);
    expect(a).toMatchObject({ expected: 5, received: 4, lost: 1, reach: 0.8 });
  });

  it('counts only the window range, not warm-up sequence numbers', () => {
    const t = new SequenceTracker();
    for (let s = 1; s <= 100; s++) t.record(s);
    expect(t.countUnique(41, 100)).toBe(60);
  });

  it('grows past its initial capacity', () => {
    const t = new SequenceTracker();
    expect(t.record(100_000)).toBe('new');
    expect(t.record(100_000)).toBe('duplicate');
    expect(t.countUnique(99_999, 100_001)).toBe(1);
  });

  it('agrees with a set-based model on any arrival sequence', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 500 }), { maxLength: 300 }), (seqs) => {
        const t = new SequenceTracker();
        const seen = new Set<number>();
        let highest = 0;
        for (const s of seqs) {
          const expected = seen.has(s) ? 'duplicate' : s < highest ? 'out-of-order' : 'new';
          expect(t.record(s)).toBe(expected);
          seen.add(s);
          if (expected === 'new') highest = s;
        }
        expect(t.countUnique(1, 500)).toBe(seen.size);
      }),
    );
  });
});
