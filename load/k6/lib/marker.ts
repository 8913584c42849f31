/**
 * The same load marker as load/measure/payload.ts: `hp|<stream>|<seq>|<scheduledUs>|`. In k6 the clock is
 * Date.now() (ms, shared by all VUs of the process), so scheduledUs = ms × 1000.
 */
export interface Marker {
  stream: number;
  seq: number;
  scheduledUs: number;
}

export function encodeMarker(stream: number, seq: number, scheduledUs: number, padBytes = 0): string {
  const head = `hp|${stream}|${seq}|${Math.round(scheduledUs)}|`;
  return padBytes > 0 ? head + 'x'.repeat(padBytes) : head;
}

export function readMarker(text: string): Marker | undefined {
  const at = text.indexOf('hp|');
  if (at < 0) return undefined;
  const parts = text.slice(at + 3, at + 64).split('|', 3);
  if (parts.length < 3) return undefined;
  const [stream, seq, us] = parts.map(Number) as [number, number, number];
  if (!Number.isInteger(stream) || !Number.isInteger(seq) || !Number.isFinite(us)) return undefined;
  return { stream, seq, scheduledUs: us };
}

/**
 * Per-socket order accounting with a bitmap sized up front (bounded memory: `maxSeq` bits), the same rules
 * as the Node SequenceTracker: a repeat is a duplicate, a first arrival below the highest is out of order.
 */
export class SeqBitmap {
  private readonly bits: Uint8Array;
  highest = 0;
  unique = 0;

  constructor(maxSeq: number) {
    this.bits = new Uint8Array((maxSeq >> 3) + 1);
  }

  record(seq: number): 'new' | 'duplicate' | 'out-of-order' | 'overflow' {
    const byte = seq >> 3;
    if (byte >= this.bits.length) return 'overflow';
    const bit = 1 << (seq & 7);
    if ((this.bits[byte]! & bit) !== 0) return 'duplicate';
    this.bits[byte] = this.bits[byte]! | bit;
    this.unique++;
    if (seq < this.highest) return 'out-of-order';
    this.highest = seq;
    return 'new';
  }

  /** Sequence numbers in [from, highest] never seen: gaps a later event proved. */
  gaps(from: number): number {
    let n = 0;
    for (let s = from; s <= this.highest; s++) if ((this.bits[s >> 3]! & (1 << (s & 7))) === 0) n++;
    return n;
  }
}
