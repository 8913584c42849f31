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
