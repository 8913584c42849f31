/** The k6 scripts' order accounting follows the same rules as the Node driver's SequenceTracker. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeqBitmap } from '../../load/k6/lib/marker.ts';
import { SequenceTracker } from '../../load/measure/sequence-tracker.ts';

describe('SeqBitmap (k6)', () => {
  it('lets a lower publish of another VU, still in flight, arrive after one that named a higher acknowledged seq', () => {
    const t = new SeqBitmap(10);
    // VU 1 published 3 (acknowledged) and then 4 naming 3; VU 2's 2 was in flight all along.
    expect([t.record(1, 0), t.record(3, 1), t.record(4, 3), t.record(2, 1)]).toEqual(['new', 'new', 'new', 'new']);
  });

  it('flags the event a later arrival named as what it had to follow', () => {
    const t = new SeqBitmap(10);
    expect([t.record(3, 2), t.record(2, 1)]).toEqual(['new', 'out-of-order']);
  });

  it('classifies every arrival as SequenceTracker does, with and without after', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 0, max: 300 })), { maxLength: 200 }),
        (withAfter, arrivals) => {
          const k6 = new SeqBitmap(300);
          const node = new SequenceTracker();
          for (const [s, a] of arrivals) {
            const after = withAfter ? Math.min(a, s - 1) : undefined;
            expect(k6.record(s, after)).toBe(node.record(s, after));
          }
        },
      ),
    );
  });
});
