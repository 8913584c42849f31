/**
 * Interop: the real `pusher` server SDK (pusher-http-node) against the reference hub's HTTP API,
 * with raw ws subscribers checking what was delivered.
 */
import PusherServer from 'pusher';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, TestClient, type TestHub } from '../reference-server/pusher/helpers.ts';

describe('pusher server SDK against the reference hub', () => {
  let hub: TestHub;
  let sdk: PusherServer;
  beforeAll(async () => {
    hub = await startTestHub();
    sdk = new PusherServer({
      appId: hub.app.id,
      key: hub.app.key,
      secret: hub.app.secret,
      host: '127.0.0.1',
      port: String(hub.port),
      useTLS: false,
    });
  });
  afterAll(() => hub.dispose());

  it('triggers on one channel', async () => {
    const c = await TestClient.connect(hub);
    await c.subscribed('sdk-one');
    const res = await sdk.trigger('sdk-one', 'ping-event', { a: 1 });
    expect(res.status).toBe(200);
    expect((await c.event('ping-event', 'sdk-one')).value).toEqual({ a: 1 });
    c.close();
  });

  it('triggers on several channels, excluding the socket_id given', async () => {
    const a = await TestClient.connect(hub);
    const b = await TestClient.connect(hub);
    for (const c of [a, b]) {
      await c.subscribed('sdk-m1');
      await c.subscribed('sdk-m2');
    }
    const res = await sdk.trigger(['sdk-m1', 'sdk-m2'], 'multi', { x: 'y' }, { socket_id: a.socketId, info: 'subscription_count' });
    expect(await res.json()).toEqual({ channels: { 'sdk-m1': { subscription_count: 2 }, 'sdk-m2': { subscription_count: 2 } } });
    await b.event('multi', 'sdk-m1');
    await b.event('multi', 'sdk-m2');
    await sdk.trigger('sdk-m1', 'marker', {});
    await a.event('marker', 'sdk-m1');
    expect(a.frames.filter((f) => f.event === 'multi')).toEqual([]);
    a.close();
    b.close();
  });

  it('triggers a batch', async () => {
    const c = await TestClient.connect(hub);
    await c.subscribed('sdk-b1');
    await c.subscribed('sdk-b2');
    const res = await sdk.triggerBatch([
      { channel: 'sdk-b1', name: 'first', data: { i: 1 } },
      { channel: 'sdk-b2', name: 'second', data: 'plain text' },
    ]);
    expect(res.status).toBe(200);
    expect((await c.event('first', 'sdk-b1')).value).toEqual({ i: 1 });
    expect((await c.event('second', 'sdk-b2')).data).toBe('plain text');
    c.close();
  });

  it('lists channels and presence users with get()', async () => {
    const a = await TestClient.connect(hub);
    const b = await TestClient.connect(hub);
    await a.subscribed('presence-x', { app: hub.app, channelData: { user_id: 'ann' } });
    await b.subscribed('presence-x', { app: hub.app, channelData: { user_id: 'ben' } });
    await a.subscribed('sdk-listed');

    const channels = await (await sdk.get({ path: '/channels' })).json();
    expect(Object.keys(channels.channels)).toEqual(expect.arrayContaining(['presence-x', 'sdk-listed']));
    const presence = await (await sdk.get({ path: '/channels', params: { filter_by_prefix: 'presence-', info: 'user_count' } })).json();
    expect(presence.channels['presence-x']).toEqual({ user_count: 2 });
    const users = await (await sdk.get({ path: '/channels/presence-x/users' })).json();
    expect(users.users.map((u: { id: string }) => u.id).sort()).toEqual(['ann', 'ben']);
    const info = await (await sdk.get({ path: '/channels/presence-x', params: { info: 'user_count,subscription_count' } })).json();
    expect(info).toEqual({ occupied: true, user_count: 2, subscription_count: 2 });
    a.close();
    b.close();
  });

  it("terminates a signed-in user's connections", async () => {
    const c = await TestClient.connect(hub);
    const { auth, user_data } = sdk.authenticateUser(c.socketId, { id: 'sdk-user' });
    c.send({ event: 'pusher:signin', data: { auth, user_data } });
    await c.event('pusher:signin_success');
    expect((await sdk.terminateUserConnections('sdk-user')).status).toBe(200);
    expect((await c.closed).code).toBe(4009);
  });

  it('is refused with 401 when signing with the wrong secret', async () => {
    const wrong = new PusherServer({
      appId: hub.app.id,
      key: hub.app.key,
      secret: 'definitely-wrong',
      host: '127.0.0.1',
      port: String(hub.port),
      useTLS: false,
    });
    const err = await wrong.trigger('sdk-one', 'nope', {}).then(
      () => undefined,
      (e: { status?: number; body?: string }) => e,
    );
    expect(err?.status).toBe(401);
    expect(JSON.parse(err?.body ?? '{}').error.code).toBe('invalid_signature');
    await expect(wrong.get({ path: '/channels' })).rejects.toMatchObject({ status: 401 });
  });
});
