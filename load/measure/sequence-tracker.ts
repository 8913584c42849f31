/**
 * Per (subscriber, stream) delivery accounting from sequence numbers: what arrived once, twice, or after a
 * later one. A bitmap of seen sequence numbers makes duplicates and late arrivals exact, not heuristics.
 */
import type { DeliveryAccounting } from '../report-types.ts';
export type { DeliveryAccounting };
export type Arrival = 'new' | 'duplicate' | 'out-of-order';

export class SequenceTracker {
  private seen = new Uint8Array(256);
  /** Highest sequence number seen so far (0 = none). */
  highest = 0;
  /** Every seq up to this one had to arrive before something that already arrived. */
  private mustPrecede = 0;

  /**
   * Records one arrival and classifies it: a repeat is a duplicate; a first arrival of a seq that an
   * earlier arrival had to follow is out of order. `after` is what this event had to follow: by default
   * every lower seq (a hub-assigned, strictly ordered sequence); for driver publishes, the marker's
   * highest seq acknowledged before it was sent.
   */
  record(seq: number, after = seq - 1): Arrival {
    if (seq >= this.seen.length * 8) this.grow(seq);
    const byte = seq >>> 3;
    const bit = 1 << (seq & 7);
    if ((this.seen[byte]! & bit) !== 0) return 'duplicate';
    this.seen[byte] = this.seen[byte]! | bit;
    const late = seq <= this.mustPrecede;
    if (after > this.mustPrecede) this.mustPrecede = after;
    if (seq > this.highest) this.highest = seq;
    return late ? 'out-of-order' : 'new';
  }

  /** Distinct sequence numbers seen in [from, to] inclusive. */
  countUnique(from: number, to: number): number {
    let n = 0;
    const last = Math.min(to, this.seen.length * 8 - 1);
    for (let s = Math.max(0, from); s <= last; s++) if ((this.seen[s >>> 3]! & (1 << (s & 7))) !== 0) n++;
    return n;
  }

  private grow(seq: number): void {
    let size = this.seen.length;
    while (seq >= size * 8) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.seen);
    this.seen = next;
  }
}

export function accounting(expected: number, received: number, duplicated: number, outOfOrder: number): DeliveryAccounting {
  return {
    expected,
    received,
    lost: Math.max(0, expected - received),
    duplicated,
    outOfOrder,
    reach: expected === 0 ? 1 : received / expected,
  };
}
