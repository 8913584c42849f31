import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeFrame } from '../../../spec/protocol/frames.ts';
import { encodeMarker, findMarker, readMarker, readMarkerAt, type Marker } from '../../../load/measure/payload.ts';

const fresh = (): Marker => ({ stream: -1, seq: -1, scheduledUs: -1, after: -1 });

describe('load marker', () => {
  it('is found inside a double-encoded Pusher frame without parsing it', () => {
    const frame = Buffer.from(encodeFrame('hp-load', encodeMarker(7, 42, 123_456_789, 40, 32), 'hubproof-load-7'));
    const m = fresh();
    expect(readMarker(frame, m)).toBe(true);
    expect(m).toEqual({ stream: 7, seq: 42, scheduledUs: 123_456_789, after: 40 });
  });

  it('is found inside a presence update JSON field', () => {
    const update = Buffer.from(JSON.stringify({ type: 'presence_update', presence: { last_tool_name: encodeMarker(3, 9, 55, 0) } }));
    const m = fresh();
    expect(readMarker(update, m)).toBe(true);
    expect(m).toEqual({ stream: 3, seq: 9, scheduledUs: 55, after: 0 });
  });

  it('rejects frames without a marker or with a truncated one', () => {
    const m = fresh();
    expect(readMarker(Buffer.from('{"event":"pusher:pong","data":"{}"}'), m)).toBe(false);
    expect(readMarker(Buffer.from('hp|1|2'), m)).toBe(false);
    expect(readMarker(Buffer.from('hp|1|x|3|'), m)).toBe(false);
    expect(readMarker(Buffer.from('hp|1|2|3|'), m)).toBe(false);
  });

  it('round-trips any stream, seq, timestamp and acknowledged seq', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.nat(10_000_000), fc.nat(2 ** 50), fc.nat(10_000_000), fc.nat(100), (stream, seq, us, after, pad) => {
        const m = fresh();
        expect(readMarker(Buffer.from(JSON.stringify({ data: encodeMarker(stream, seq, us, after, pad) })), m)).toBe(true);
        expect(m).toEqual({ stream, seq, scheduledUs: us, after });
      }),
    );
  });

  it('finds the marker at the hinted offset of the previous frame, and by scanning when the hint is wrong', () => {
    const frame = Buffer.from(`xx${encodeFrame('hp-load', encodeMarker(1, 2, 3, 1), 'hubproof-load-1')}`);
    const at = findMarker(frame, 2);
    expect(at).toBeGreaterThan(2);
    for (const hint of [at, at + 1, 0, -1, frame.length + 5]) {
      expect(findMarker(frame, 2, frame.length, hint)).toBe(at);
    }
    const m = fresh();
    expect(readMarkerAt(frame, at, frame.length, m)).toBe(true);
    expect(m).toEqual({ stream: 1, seq: 2, scheduledUs: 3, after: 1 });
    expect(findMarker(Buffer.from('hp|'), 0)).toBe(3);
    expect(findMarker(Buffer.from('xhp|1|2|3|4|'), 2)).toBe(-1);
  });
});
