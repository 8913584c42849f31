/** The k6 scripts read the same load marker the Node driver writes, and nothing that only looks like one. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeMarker, readMarker, type Marker } from '../../load/k6/lib/marker.ts';
import { encodeMarker as nodeEncode } from '../../load/measure/payload.ts';

const blank = (): Marker => ({ stream: -1, seq: -1, scheduledUs: -1, after: -1 });

describe('readMarker (k6)', () => {
  it('decodes a marker inside a Pusher frame or a dashboard update, written by k6 or by the Node driver', () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.nat(1e6), fc.nat(2e15), fc.nat(1e6), fc.nat(200), (stream, seq, us, after, pad) => {
        for (const marker of [encodeMarker(stream, seq, us, after, pad), nodeEncode(stream, seq, us, after, pad)]) {
          const m = blank();
          const pusher = JSON.stringify({ event: 'hp-load', channel: 'hubproof-load-1', data: marker });
          expect(readMarker(pusher, m)).toBe(true);
          expect(m).toEqual({ stream, seq, scheduledUs: us, after });
          const update = JSON.stringify({ type: 'presence_update', agent: { status: 'active', tool_name: marker, pad: 'x'.repeat(pad) } });
          expect(readMarker(update, blank())).toBe(true);
        }
      }),
    );
  });

  it('finds nothing in frames without a whole marker', () => {
    for (const text of ['{"event":"pusher:pong","data":"{}"}', 'hp|1|2', 'hp|1|x|3|4|', 'hp|1|2|3|', 'hpshard|abc|0|2|123|', 'hp||2|3|4|'])
      expect(readMarker(text, blank()), text).toBe(false);
  });
});
