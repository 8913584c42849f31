/**
 * The load marker carried in every generated event: `hp|<stream>|<seq>|<scheduledUs>|<after>|` plus
 * padding. `after` is the highest seq of the stream whose publish was acknowledged before this one was
 * sent: that event must arrive first (and, by the same rule, what it named, and so on). Lower seqs still
 * in flight then may reach the hub in either order, so counting them as out of order would blame the hub
 * for the driver's own concurrency.
 * It is plain ASCII with no JSON-escaped characters, so it survives being embedded in a JSON string (Pusher's
 * double-encoded `data`, a presence update's `last_tool_name`) byte for byte, and a subscriber finds it with
 * a byte scan (usually skipped: see findMarker's hint) and a digit scan instead of parsing the frame twice.
 */
export const MARKER = 'hp|';
const H = 0x68;
const P = 0x70;
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
 * Where the marker's fields start in bytes [start, end) of `buf` (just past `hp|`), or -1. `hint`: where
 * they started in the previous frame of the same connection; a hub frames every event of a channel alike,
 * so checking there first usually skips the scan.
 */
export function findMarker(buf: Uint8Array, start = 0, end = buf.length, hint = -1): number {
  if (hint >= start + 3 && hint < end && buf[hint - 1] === PIPE && buf[hint - 2] === P && buf[hint - 3] === H) return hint;
  for (let i = start + 2; i < end; i++) if (buf[i] === PIPE && buf[i - 1] === P && buf[i - 2] === H) return i + 1;
  return -1;
}

/**
 * Decodes the four marker fields starting at `at` (from findMarker) into `out`; false when malformed.
 * A digit scan over the bytes, no allocation: it runs once per delivery on the hot path.
 */
export function readMarkerAt(buf: Uint8Array, at: number, end: number, out: Marker): boolean {
  let i = at;
  for (let f = 0; f < 4; f++) {
    let n = 0;
    const first = i;
    for (; i < end; i++) {
      const d = buf[i]! - 0x30;
      if (d === PIPE - 0x30) break;
      if (d < 0 || d > 9) return false;
      n = n * 10 + d;
    }
    if (i === first || i >= end) return false;
    if (f === 0) out.stream = n;
    else if (f === 1) out.seq = n;
    else if (f === 2) out.scheduledUs = n;
    else out.after = n;
    i++;
  }
  return true;
}

/** Finds and decodes the marker of a raw frame into `out`; false when absent or malformed. */
export function readMarker(buf: Uint8Array, out: Marker, start = 0, end = buf.length): boolean {
  const at = findMarker(buf, start, end);
  return at >= 0 && readMarkerAt(buf, at, end, out);
}
