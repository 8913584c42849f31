import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, TestClient, type TestHub } from './helpers.ts';

describe('pusher client events', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ limits: { clientEventsPerSecond: 5 } });
  });
  afterAll(() => hub.dispose());

  const pair = async (channel: string, presence = false) => {
    const a = await TestClient.connect(hub);
    const b = await TestClient.connect(hub);
    await a.subscribed(channel, { app: hub.app, ...(presence ? { channelData: { user_id: 'alice' } } : {}) });
    await b.subscribed(channel, { app: hub.app, ...(presence ? { channelData: { user_id: 'bob' } } : {}) });
    return { a, b };
  };

  it('relays a client event on a private channel to the others, never echoing it to the sender', async () => {
    const { a, b } = await pair('private-chat');
    a.send({ event: 'client-typing', channel: 'private-chat', data: { typing: true } });
    const got = await b.event('client-typing', 'private-chat');
    expect(got.value).toEqual({ typing: true });
    expect(typeof got.data).toBe('string');
    expect(got.user_id).toBeUndefined();
    await a.ping();
    expect(a.frames.filter((f) => f.event === 'client-typing')).toEqual([]);
    a.close();
    b.close();
  });

  it('adds the sender user_id on presence channels', async () => {
    const { a, b } = await pair('presence-chat', true);
    a.send({ event: 'client-hello', channel: 'presence-chat', data: 'hi' });
    const got = await b.event('client-hello', 'presence-chat');
    expect(got.user_id).toBe('alice');
    expect(got.data).toBe('hi');
    a.close();
    b.close();
  });

  it.each([
    ['a public channel', 'public-room', false],
    ['an encrypted channel', 'private-encrypted-room', true],
  ])('rejects client events on %s with 4302', async (_label, channel, signed) => {
    const a = await TestClient.connect(hub);
    await a.subscribed(channel, signed ? { app: hub.app } : {});
    a.send({ event: 'client-x', channel, data: {} });
    const err = await a.event('pusher:error');
    expect(err.value.code).toBe(4302);
    await a.ping();
    a.close();
  });

  it('rejects client events from a connection not subscribed to the channel', async () => {
    const { a, b } = await pair('private-members');
    const outsider = await TestClient.connect(hub);
    outsider.send({ event: 'client-intrude', channel: 'private-members', data: {} });
    expect((await outsider.event('pusher:error')).value.message).toMatch(/subscribe/);
    await b.ping();
    await a.ping();
    expect([...a.frames, ...b.frames].filter((f) => f.event === 'client-intrude')).toEqual([]);
    [a, b, outsider].forEach((c) => c.close());
  });

  it('refuses client events beyond the rate limit with 4301, relays none of the excess, and keeps the connection', async () => {
    const { a, b } = await pair('private-flood');
    for (let i = 0; i < 20; i++) a.send({ event: 'client-spam', channel: 'private-flood', data: { i } });
    const err = await a.event('pusher:error');
    expect(err.value.code).toBe(4301);
    await a.ping();
    await b.ping();
    const relayed = b.frames.filter((f) => f.event === 'client-spam');
    expect(relayed.length).toBe(5); // the configured limit
    a.close();
    b.close();
  });

  it('allows the limit again in the next second', async () => {
    const { a, b } = await pair('private-steady');
    for (let round = 0; round < 2; round++) {
      if (round > 0) await new Promise((r) => setTimeout(r, 1100));
      for (let i = 0; i < 5; i++) a.send({ event: 'client-tick', channel: 'private-steady', data: { round, i } });
      for (let i = 0; i < 5; i++) await b.event('client-tick');
    }
    await a.ping();
    a.close();
    b.close();
  });
});

describe('pusher client events disabled', () => {
  it('rejects client events with 4302 when the feature is off', async () => {
    const hub = await startTestHub({ features: { clientEvents: false } });
    const a = await TestClient.connect(hub);
    await a.subscribed('private-off', { app: hub.app });
    a.send({ event: 'client-x', channel: 'private-off', data: {} });
    expect((await a.event('pusher:error')).value.code).toBe(4302);
    a.close();
    await hub.dispose();
  });
});
