/**
 * The same load marker as load/measure/payload.ts: `hp|<stream>|<seq>|<scheduledUs>|<after>|`. In k6 the
 * clock is Date.now() (ms, shared by all VUs of the process), so scheduledUs = ms × 1000. `after` is the
 * highest seq of the stream this VU saw acknowledged before sending (VUs share no memory, so publishes of
 * other VUs count as concurrent: they may arrive in either order).
 */
export interface Marker {
  stream: number;
  seq: number;
  scheduledUs: number;
  after: number;
}

export function encodeMarker(stream: number, seq: number, scheduledUs: number, after: number, padBytes = 0): string {
  const head = `hp|${stream}|${seq}|${Math.round(scheduledUs)}|${after}|`;
  return padBytes > 0 ? head + 'x'.repeat(padBytes) : head;
}

const MARKER = /hp\|(\d+)\|(\d+)\|(\d+)\|(\d+)\|/;

/**
 * Finds the marker in a frame and decodes it into `out`; false when absent or malformed. One native regex
 * search: k6 runs JavaScript in goja, an interpreter, where each JS operation costs about as much as a
 * whole native call (k6 v2.2.0 here: a digit scan in JS took 41 µs a frame, this 4.7 µs on a 900-byte
 * frame), and this runs once per delivery on the VU's only thread.
 */
export function readMarker(text: string, out: Marker): boolean {
  const m = MARKER.exec(text);
  if (m === null) return false;
  out.stream = +m[1]!;
  out.seq = +m[2]!;
  out.scheduledUs = +m[3]!;
  out.after = +m[4]!;
  return true;
}

/**
 * Per-socket order accounting with a bitmap sized up front (bounded memory: `maxSeq` bits), the same rules
 * as the Node SequenceTracker: a repeat is a duplicate; a first arrival of a seq that an earlier arrival
 * had to follow (named as its `after`) is out of order.
 */
export class SeqBitmap {
  private readonly bits: Uint8Array;
  /** Seqs an arrival named as its `after` before they arrived: late when they come. */
  private readonly owed: Uint8Array;
  highest = 0;

  constructor(maxSeq: number) {
    this.bits = new Uint8Array((maxSeq >> 3) + 1);
    this.owed = new Uint8Array((maxSeq >> 3) + 1);
  }

  /** Without `after`, every lower seq had to come first; with it, only that one (0: none). */
  record(seq: number, after?: number): 'new' | 'duplicate' | 'out-of-order' | 'overflow' {
    const byte = seq >> 3;
    if (seq < 0 || byte >= this.bits.length) return 'overflow';
    const bit = 1 << (seq & 7);
    if ((this.bits[byte]! & bit) !== 0) return 'duplicate';
    this.bits[byte] = this.bits[byte]! | bit;
    const late = after === undefined ? seq < this.highest : (this.owed[byte]! & bit) !== 0;
    if (after !== undefined && after > 0 && after >> 3 < this.bits.length && (this.bits[after >> 3]! & (1 << (after & 7))) === 0)
      this.owed[after >> 3] = this.owed[after >> 3]! | (1 << (after & 7));
    if (seq > this.highest) this.highest = seq;
    return late ? 'out-of-order' : 'new';
  }

  /** Distinct sequence numbers seen in [from, to]. */
  countIn(from: number, to: number): number {
    let n = 0;
    const last = Math.min(to, this.bits.length * 8 - 1);
    for (let s = Math.max(0, from); s <= last; s++) if ((this.bits[s >> 3]! & (1 << (s & 7))) !== 0) n++;
    return n;
  }
}
