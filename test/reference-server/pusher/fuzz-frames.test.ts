/**
 * Property: no sequence of garbage frames breaks a connection. After arbitrary JSON values, random
 * strings, oversize frames, random channel and event names, the connection still answers pusher:ping
 * and still receives an event published on its channel through the HTTP API.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, TestClient, trigger, type TestHub } from './helpers.ts';

const MAX_FRAME = 2048;

const channelName = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.stringMatching(/^[A-Za-z0-9_\-=@,.;]{1,170}$/),
  fc.constantFrom('private-x', 'presence-x', 'private-encrypted-x', 'cache-x', '#server-to-user-x', 'held'),
);
const eventName = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.constantFrom(
    'pusher:subscribe',
    'pusher:unsubscribe',
    'pusher:signin',
    'pusher:ping',
    'pusher:pong',
    'pusher:bogus',
    'pusher_internal:member_added',
    'client-x',
    'client-',
  ),
  fc.string({ maxLength: 30 }).map((s) => `client-${s}`),
  fc.string({ maxLength: 30 }).map((s) => `pusher:${s}`),
);

/** Frames that must never break the connection. Unsubscribe from `held` is excluded: it is legal and would end the subscription. */
const garbage = fc.oneof(
  fc.json().map((s) => ({ text: s })),
  fc.string({ maxLength: 300 }).map((s) => ({ text: s })),
  fc
    .integer({ min: MAX_FRAME + 1, max: MAX_FRAME * 4 })
    .map((n) => ({ text: JSON.stringify({ event: 'client-x', channel: 'held', data: 'y'.repeat(n) }) })),
  fc.uint8Array({ maxLength: 200 }).map((b) => ({ binary: Buffer.from(b) })),
  fc
    .record({ event: eventName, channel: fc.option(channelName, { nil: undefined }), data: fc.option(fc.jsonValue(), { nil: undefined }) })
    .filter((f) => f.event !== 'pusher:unsubscribe')
    .map((f) => ({ text: JSON.stringify(f) })),
  fc
    .record({
      channel: channelName,
      auth: fc.option(fc.string({ maxLength: 100 }), { nil: undefined }),
      channel_data: fc.option(fc.string({ maxLength: 100 }), { nil: undefined }),
    })
    .map((data) => ({ text: JSON.stringify({ event: 'pusher:subscribe', data }) })),
);

describe('pusher frame fuzzing', () => {
  let hub: TestHub;
  const uncaught: unknown[] = [];
  const onUncaught = (err: unknown) => uncaught.push(err);
  beforeAll(async () => {
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onUncaught);
    // Client events limited high so the fuzz itself does not trip the (tested elsewhere) 4301 rule.
    hub = await startTestHub({ limits: { maxFrameBytes: MAX_FRAME, clientEventsPerSecond: 1_000_000 } });
  });
  afterAll(async () => {
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUncaught);
    await hub.dispose();
  });

  it('keeps a subscribed connection working after any sequence of garbage frames', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(garbage, { minLength: 1, maxLength: 15 }), async (frames) => {
        const c = await TestClient.connect(hub);
        try {
          await c.subscribed('held');
          for (const f of frames) {
            if ('binary' in f) c.ws.send(f.binary, { binary: true });
            else c.ws.send(f.text);
          }
          await c.ping();
          const marker = `m${run++}`;
          expect((await trigger(hub, 'held', 'marker', { marker })).status).toBe(200);
          const got = await c.next((f) => f.event === 'marker' && f.value?.marker === marker);
          expect(got.channel).toBe('held');
          expect(c.ws.readyState).toBe(c.ws.OPEN);
        } finally {
          c.close();
        }
      }),
    );
    expect(uncaught).toEqual([]);
  });
});
