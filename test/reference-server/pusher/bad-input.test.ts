import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, TestClient, trigger, type TestHub } from './helpers.ts';

describe('pusher bad input on the socket', () => {
  let hub: TestHub;
  let c: TestClient;
  beforeAll(async () => {
    hub = await startTestHub({ limits: { maxFrameBytes: 4096 } });
    c = await TestClient.connect(hub);
    await c.subscribed('held');
  });
  afterAll(async () => {
    c.close();
    await hub.dispose();
  });

  it.each<[string, string | Buffer, RegExp]>([
    ['malformed JSON', '{"event": ', /not valid JSON/],
    ['a JSON array', '[1,2]', /not a JSON object/],
    ['a JSON string', '"pusher:ping"', /not a JSON object/],
    ['a missing event', '{"data": {}}', /event/],
    ['a non-string channel', '{"event":"client-x","channel":5}', /channel/],
    ['an unknown pusher: event', '{"event":"pusher:dance","data":{}}', /unknown event/],
    ['a pusher_internal: event from a client', '{"event":"pusher_internal:member_added","data":"{}"}', /unknown event/],
    ['an event without the client- prefix', '{"event":"hello","channel":"held","data":{}}', /client-/],
    ['subscribe without data', '{"event":"pusher:subscribe"}', /data/],
    ['subscribe with a numeric channel', '{"event":"pusher:subscribe","data":{"channel":7}}', /channel/],
    ['a frame over maxFrameBytes', JSON.stringify({ event: 'client-big', channel: 'held', data: 'x'.repeat(5000) }), /exceeds/],
    ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), /UTF-8/],
  ])('answers %s with pusher:error 4302 and keeps the subscription', async (_label, frame, message) => {
    if (Buffer.isBuffer(frame)) c.ws.send(frame, { binary: false });
    else c.send(frame);
    const err = await c.event('pusher:error');
    expect(err.value).toEqual({ code: 4302, message: expect.stringMatching(message) });
    await c.ping();
    await trigger(hub, 'held', 'alive', { n: 1 });
    expect((await c.event('alive', 'held')).value).toEqual({ n: 1 });
  });

  it('answers a binary frame with pusher:error 4302', async () => {
    c.ws.send(Buffer.from('{"event":"pusher:ping"}'), { binary: true });
    expect((await c.event('pusher:error')).value.message).toMatch(/binary/);
    await c.ping();
  });
});
