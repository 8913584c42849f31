/**
 * Per (subscriber, stream) delivery accounting from sequence numbers: what arrived once, twice, or after a
 * later one. A bitmap of seen sequence numbers makes duplicates and late arrivals exact, not heuristics.
 */
import type { DeliveryAccounting } from '../report-types.ts';
export type { DeliveryAccounting };
export type Arrival = 'new' | 'duplicate' | 'out-of-order';

export class SequenceTracker {
  private seen = new Uint8Array(256);
  /** Sequence numbers an arrival named as its `after` before they arrived themselves: late when they come. */
  private owed = new Uint8Array(256);
  /** Highest sequence number seen so far (0 = none). */
  highest = 0;

  /**
   * Records one arrival and classifies it: a repeat is a duplicate; a first arrival is out of order when
   * something that had to follow it arrived first. Without `after` (a hub-assigned, strictly ordered
   * sequence) every lower seq had to come first. With it (driver publishes) only that one: `after` is the
   * highest seq whose publish was acknowledged before this one was sent (0: none). Publishes in flight
   * together, from one driver's concurrent requests, another k6 VU or another shard, may reach the hub in
   * either order; counting them would blame the hub for the generators' own concurrency.
   */
  record(seq: number, after?: number): Arrival {
    if (seq >= this.seen.length * 8 || (after ?? 0) >= this.seen.length * 8) this.grow(Math.max(seq, after ?? 0));
    if (this.has(this.seen, seq)) return 'duplicate';
    this.set(this.seen, seq);
    const late = after === undefined ? seq < this.highest : this.has(this.owed, seq);
    if (after !== undefined && after > 0 && !this.has(this.seen, after)) this.set(this.owed, after);
    if (seq > this.highest) this.highest = seq;
    return late ? 'out-of-order' : 'new';
  }

  private has(bits: Uint8Array, seq: number): boolean {
    return (bits[seq >>> 3]! & (1 << (seq & 7))) !== 0;
  }

  private set(bits: Uint8Array, seq: number): void {
    bits[seq >>> 3] = bits[seq >>> 3]! | (1 << (seq & 7));
  }

  /** Distinct sequence numbers seen in [from, to] inclusive. */
  countUnique(from: number, to: number): number {
    let n = 0;
    const last = Math.min(to, this.seen.length * 8 - 1);
    for (let s = Math.max(0, from); s <= last; s++) if ((this.seen[s >>> 3]! & (1 << (s & 7))) !== 0) n++;
    return n;
  }

  /** How many of `seqs` were seen. */
  countSeen(seqs: readonly number[]): number {
    let n = 0;
    for (const s of seqs) if (s < this.seen.length * 8 && this.has(this.seen, s)) n++;
    return n;
  }

  private grow(seq: number): void {
    let size = this.seen.length;
    while (seq >= size * 8) size *= 2;
    const seen = new Uint8Array(size);
    seen.set(this.seen);
    this.seen = seen;
    const owed = new Uint8Array(size);
    owed.set(this.owed);
    this.owed = owed;
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
