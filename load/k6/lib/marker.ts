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

/**
 * Finds the marker in a frame and decodes it into `out` with a digit scan (no slice, split or Number per
 * frame: this runs once per delivery on the VU's only thread); false when absent or malformed.
 */
export function readMarker(text: string, out: Marker): boolean {
  let i = text.indexOf('hp|');
  if (i < 0) return false;
  i += 3;
  let f = 0;
  let n = 0;
  let digits = 0;
  for (; i < text.length && f < 4; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7c) {
      if (digits === 0) return false;
      if (f === 0) out.stream = n;
      else if (f === 1) out.seq = n;
      else if (f === 2) out.scheduledUs = n;
      else out.after = n;
      f++;
      n = 0;
      digits = 0;
    } else if (c >= 0x30 && c <= 0x39) {
      n = n * 10 + (c - 0x30);
      digits++;
    } else return false;
  }
  return f === 4;
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
