import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PresenceHash } from '../../../spec/schemas/pusher-frames.ts';
import { signChannelAuth } from '../../../spec/protocol/signing.ts';
import { startTestHub, TestClient, trigger, type TestHub } from './helpers.ts';

describe('pusher subscribe', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(() => hub.dispose());

  it('acks a public channel subscription with subscription_succeeded and data "{}"', async () => {
    const c = await TestClient.connect(hub);
    const ack = await c.subscribed('public-news');
    expect(ack.data).toBe('{}');
    c.close();
  });

  it('acks a correctly signed private channel', async () => {
    const c = await TestClient.connect(hub);
    await c.subscribed('private-a', { app: hub.app });
    c.close();
  });

  it('acks a private-encrypted channel and relays its (opaque) data unchanged', async () => {
    const c = await TestClient.connect(hub);
    await c.subscribed('private-encrypted-x', { app: hub.app });
    const data = JSON.stringify({ nonce: 'bm9uY2U=', ciphertext: 'Y2lwaGVy' });
    expect((await trigger(hub, 'private-encrypted-x', 'secret', data)).status).toBe(200);
    expect((await c.event('secret', 'private-encrypted-x')).data).toBe(data);
    c.close();
  });

  it('acks a presence channel with the presence hash', async () => {
    const c = await TestClient.connect(hub);
    const ack = await c.subscribed('presence-room', { app: hub.app, channelData: { user_id: 'u1', user_info: { name: 'Ann' } } });
    const { presence } = PresenceHash.parse(ack.value);
    expect(presence).toEqual({ ids: ['u1'], hash: { u1: { name: 'Ann' } }, count: 1 });
    c.close();
  });

  it.each([
    ['a forged signature', (_c: TestClient, hub: TestHub) => `${hub.app.key}:${'0'.repeat(64)}`],
    ['a signature made for another socket', (_c: TestClient, hub: TestHub) => signChannelAuth(hub.app, '1234.5678', 'private-b')],
    [
      'a signature made with another secret',
      (c: TestClient, hub: TestHub) => signChannelAuth({ key: hub.app.key, secret: 'wrong-secret-123' }, c.socketId, 'private-b'),
    ],
    ['an empty auth', () => ''],
  ])('rejects a private subscription with %s: pusher:error 4009, connection stays open', async (_label, makeAuth) => {
    const c = await TestClient.connect(hub);
    const auth = makeAuth(c, hub);
    c.send({ event: 'pusher:subscribe', data: { channel: 'private-b', auth } });
    const err = await c.event('pusher:error');
    expect(err.value.code).toBe(4009);
    expect(err.value.message).toMatch(/private-b/);
    // Not subscribed: a published event does not arrive, and the connection still works.
    await trigger(hub, 'private-b', 'leak', {});
    await c.ping();
    expect(c.frames.filter((f) => f.event === 'leak' || f.event === 'pusher_internal:subscription_succeeded')).toEqual([]);
    c.close();
  });

  it('rejects a private subscription without auth with 4009', async () => {
    const c = await TestClient.connect(hub);
    c.send({ event: 'pusher:subscribe', data: { channel: 'private-c' } });
    expect((await c.event('pusher:error')).value.code).toBe(4009);
    await c.ping();
    c.close();
  });

  it('rejects a presence subscription whose channel_data was not the one signed', async () => {
    const c = await TestClient.connect(hub);
    const signed = JSON.stringify({ user_id: 'u1' });
    c.send({
      event: 'pusher:subscribe',
      data: {
        channel: 'presence-p',
        auth: signChannelAuth(hub.app, c.socketId, 'presence-p', signed),
        channel_data: JSON.stringify({ user_id: 'admin' }),
      },
    });
    expect((await c.event('pusher:error')).value.code).toBe(4009);
    c.close();
  });

  it('rejects a presence subscription without channel_data with 4009', async () => {
    const c = await TestClient.connect(hub);
    c.send({ event: 'pusher:subscribe', data: { channel: 'presence-p', auth: signChannelAuth(hub.app, c.socketId, 'presence-p') } });
    expect((await c.event('pusher:error')).value.code).toBe(4009);
    c.close();
  });

  it.each([
    ['longer than 164 characters', 'a'.repeat(165)],
    ['with a space', 'bad name'],
    ['with a slash', 'a/b'],
    ['empty', ''],
  ])('rejects a channel name %s with 4302 and keeps other subscriptions', async (_label, name) => {
    const c = await TestClient.connect(hub);
    await c.subscribed('keep');
    c.send({ event: 'pusher:subscribe', data: { channel: name } });
    const err = await c.event('pusher:error');
    expect(err.value.code).toBe(4302);
    await trigger(hub, 'keep', 'still', { ok: true });
    expect((await c.event('still', 'keep')).value).toEqual({ ok: true });
    c.close();
  });

  it('accepts a 164-character channel name', async () => {
    const c = await TestClient.connect(hub);
    await c.subscribed('b'.repeat(164));
    c.close();
  });

  it('accepts subscribe data sent double-encoded as a JSON string', async () => {
    const c = await TestClient.connect(hub);
    c.send({ event: 'pusher:subscribe', data: JSON.stringify({ channel: 'double' }) });
    await c.event('pusher_internal:subscription_succeeded', 'double');
    c.close();
  });

  it('stops delivering after pusher:unsubscribe', async () => {
    const c = await TestClient.connect(hub);
    await c.subscribed('unsub');
    c.send({ event: 'pusher:unsubscribe', data: { channel: 'unsub' } });
    await c.ping(); // the unsubscribe has been processed once the pong is back
    await trigger(hub, 'unsub', 'after', {});
    await c.ping();
    expect(c.frames.filter((f) => f.event === 'after')).toEqual([]);
    c.close();
  });

  it('delivers an event once to a connection that subscribed twice', async () => {
    const c = await TestClient.connect(hub);
    await c.subscribed('twice');
    await c.subscribed('twice');
    await trigger(hub, 'twice', 'once', {});
    await c.event('once', 'twice');
    await c.ping();
    expect(c.frames.filter((f) => f.event === 'once')).toEqual([]);
    c.close();
  });
});

describe('pusher subscribe with optional features off', () => {
  it('rejects private-encrypted channels with 4302 when encrypted channels are disabled', async () => {
    const hub = await startTestHub({ features: { encryptedChannels: false } });
    const c = await TestClient.connect(hub);
    c.subscribe('private-encrypted-y', { app: hub.app });
    expect((await c.event('pusher:error')).value.code).toBe(4302);
    c.close();
    await hub.dispose();
  });
});
