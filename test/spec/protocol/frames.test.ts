import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FrameDecodeError,
  PROTOCOL_VERSION,
  SOCKET_ID_PATTERN,
  connectionUrl,
  decodeFrame,
  encodeFrame,
  frameData,
} from '../../../spec/protocol/frames.ts';
import { ConnectionEstablishedDecoded, HubToClientFrame, ClientToHubFrame } from '../../../spec/schemas/pusher-frames.ts';

describe('encodeFrame', () => {
  it('double-encodes object data as a JSON string', () => {
    const raw = encodeFrame('pusher:connection_established', { socket_id: '1.2', activity_timeout: 120 });
    expect(JSON.parse(raw)).toEqual({
      event: 'pusher:connection_established',
      data: '{"socket_id":"1.2","activity_timeout":120}',
    });
  });

  it('sends string data unchanged, not encoded twice', () => {
    const raw = encodeFrame('my-event', '{"a":1}', 'public-x');
    expect(JSON.parse(raw)).toEqual({ event: 'my-event', channel: 'public-x', data: '{"a":1}' });
  });

  it('sends "{}" for absent data and adds user_id when given', () => {
    expect(JSON.parse(encodeFrame('client-x', undefined, 'presence-a', '7'))).toEqual({
      event: 'client-x',
      channel: 'presence-a',
      data: '{}',
      user_id: '7',
    });
  });

  it('produces frames the hub-to-client schema accepts', () => {
    const established = encodeFrame('pusher:connection_established', { socket_id: '123.456', activity_timeout: 30 });
    const parsed = ConnectionEstablishedDecoded.parse(JSON.parse(established));
    expect(parsed.data).toEqual({ socket_id: '123.456', activity_timeout: 30 });
    expect(HubToClientFrame.safeParse(JSON.parse(encodeFrame('x', { a: 1 }, 'ch'))).success).toBe(true);
  });

  it('round-trips any JSON data through decodeFrame and frameData', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.jsonValue(), (event, data) => {
        if (typeof data === 'string') return; // strings are sent as is, by design
        const frame = decodeFrame(encodeFrame(event, data, 'c'));
        expect(frame.event).toBe(event);
        expect(typeof frame.data).toBe('string');
        // JSON.stringify turns -0 into 0; compare the JSON text, which is what goes on the wire.
        expect(JSON.stringify(frameData(frame))).toBe(JSON.stringify(data ?? {}));
      }),
    );
  });
});

describe('decodeFrame', () => {
  it.each([
    ['not json', 'not-json'],
    ['{"event":', 'not-json'],
    ['[]', 'not-object'],
    ['null', 'not-object'],
    ['42', 'not-object'],
    ['"pusher:ping"', 'not-object'],
    ['{}', 'no-event'],
    ['{"event":""}', 'no-event'],
    ['{"event":5}', 'no-event'],
    ['{"event":"x","channel":7}', 'not-object'],
  ])('rejects %s as %s', (raw, reason) => {
    let err: unknown;
    try {
      decodeFrame(raw);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FrameDecodeError);
    expect((err as FrameDecodeError).reason).toBe(reason);
  });

  it('accepts client frames whose data is an object', () => {
    const frame = decodeFrame('{"event":"pusher:subscribe","data":{"channel":"a"}}');
    expect(frameData(frame)).toEqual({ channel: 'a' });
    expect(ClientToHubFrame.safeParse(frame).success).toBe(true);
  });
});

describe('frameData', () => {
  it('parses a JSON string once and returns a non-JSON string as is', () => {
    expect(frameData({ event: 'e', data: '"{\\"a\\":1}"' })).toBe('{"a":1}');
    expect(frameData({ event: 'e', data: 'hello' })).toBe('hello');
    expect(frameData({ event: 'e', data: { a: 1 } })).toEqual({ a: 1 });
    expect(frameData({ event: 'e' })).toBeUndefined();
  });
});

describe('connectionUrl and socket ids', () => {
  it('builds /app/{key}?protocol=7 on a base URL with or without a trailing slash and prefix', () => {
    const u = new URL(connectionUrl('ws://127.0.0.1:6001/prefix/', 'my key'));
    expect(u.pathname).toBe('/prefix/app/my%20key');
    expect(u.searchParams.get('protocol')).toBe(String(PROTOCOL_VERSION));
    expect(u.searchParams.get('client')).toBe('hubproof');
    expect(new URL(connectionUrl('ws://h', 'k', { protocol: '6' })).searchParams.get('protocol')).toBe('6');
  });

  it('accepts digits.digits socket ids only', () => {
    expect(SOCKET_ID_PATTERN.test('1234.1234')).toBe(true);
    for (const bad of ['1234', '1234.', '.1', 'a.1', '1.2.3', '1.2\n']) expect(SOCKET_ID_PATTERN.test(bad), bad).toBe(false);
  });
});
