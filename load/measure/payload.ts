/**
 * The load marker carried in every generated event: `hp|<stream>|<seq>|<scheduledUs>|<after>|` plus
 * padding. `after` is the highest seq of the stream whose publish was acknowledged before this one was
 * sent: only those must arrive first. Publishes still in flight together may reach the hub in either
 * order, so counting them as out of order would blame the hub for the driver's own concurrency.
 * It is plain ASCII with no JSON-escaped characters, so it survives being embedded in a JSON string (Pusher's
 * double-encoded `data`, a presence update's `last_tool_name`) byte for byte, and a subscriber finds it with
 * one `indexOf` and a digit scan instead of parsing the frame twice.
 */
export const MARKER = 'hp|';
const MARKER_BYTES = Buffer.from(MARKER, 'latin1');
const PIPE = 0x7c;

export interface Marker {
  stream: number;
  seq: number;
  /** Scheduled send time on the driver's monotonic clock, µs. */
  scheduledUs: number;
  /** Highest seq of the stream acknowledged before this event was sent (0 = none). */
  after: number;
}

export function encodeMarker(stream: number, seq: number, scheduledUs: number, after: number, padBytes = 0): string {
  const head = `${MARKER}${stream}|${seq}|${Math.round(scheduledUs)}|${after}|`;
  return padBytes > 0 ? head + 'x'.repeat(padBytes) : head;
}

/**
 * Finds the marker in a raw frame and decodes it into `out` without allocating; false when absent or
 * malformed. Allocation-free because it runs once per delivery on the hot path.
 */
export function readMarker(buf: Uint8Array, out: Marker, start = 0, end = buf.length): boolean {
  const at = Buffer.prototype.indexOf.call(buf, MARKER_BYTES, start) as number;
  if (at < 0 || at >= end) return false;
  let i = at + MARKER_BYTES.length;
  const fields = [0, 0, 0, 0];
  for (let f = 0; f < 4; f++) {
    let n = 0;
    let digits = 0;
    for (; i < end; i++) {
      const c = buf[i]!;
      if (c === PIPE) break;
      if (c < 0x30 || c > 0x39) return false;
      n = n * 10 + (c - 0x30);
      digits++;
    }
    if (digits === 0 || i >= end) return false;
    fields[f] = n;
    i++;
  }
  out.stream = fields[0]!;
  out.seq = fields[1]!;
  out.scheduledUs = fields[2]!;
  out.after = fields[3]!;
  return true;
}
