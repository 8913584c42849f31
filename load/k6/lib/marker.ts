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

export function readMarker(text: string): Marker | undefined {
  const at = text.indexOf('hp|');
  if (at < 0) return undefined;
  const parts = text.slice(at + 3, at + 80).split('|', 5);
  if (parts.length < 5) return undefined;
  const [stream, seq, us, after] = parts.map(Number) as [number, number, number, number];
  if (!Number.isInteger(stream) || !Number.isInteger(seq) || !Number.isFinite(us) || !Number.isInteger(after)) return undefined;
  return { stream, seq, scheduledUs: us, after };
}

/**
 * Per-socket order accounting with a bitmap sized up front (bounded memory: `maxSeq` bits), the same rules
 * as the Node SequenceTracker: a repeat is a duplicate; a first arrival of a seq that an earlier arrival
 * had to follow (its `after`) is out of order.
 */
export class SeqBitmap {
  private readonly bits: Uint8Array;
  highest = 0;
  unique = 0;
  private mustPrecede = 0;

  constructor(maxSeq: number) {
    this.bits = new Uint8Array((maxSeq >> 3) + 1);
  }

  record(seq: number, after = seq - 1): 'new' | 'duplicate' | 'out-of-order' | 'overflow' {
    const byte = seq >> 3;
    if (byte >= this.bits.length) return 'overflow';
    const bit = 1 << (seq & 7);
    if ((this.bits[byte]! & bit) !== 0) return 'duplicate';
    this.bits[byte] = this.bits[byte]! | bit;
    this.unique++;
    const late = seq <= this.mustPrecede;
    if (after > this.mustPrecede) this.mustPrecede = after;
    if (seq > this.highest) this.highest = seq;
    return late ? 'out-of-order' : 'new';
  }

  /** Sequence numbers in [from, highest] never seen: gaps a later event proved. */
  gaps(from: number): number {
    let n = 0;
    for (let s = from; s <= this.highest; s++) if ((this.bits[s >> 3]! & (1 << (s & 7))) === 0) n++;
    return n;
  }
}
