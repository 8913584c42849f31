import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUserAuth } from '../../../spec/protocol/signing.ts';
import { api, startTestHub, TestClient, trigger, type TestHub } from './helpers.ts';

describe('pusher cache channels', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(() => hub.dispose());

  it('sends pusher:cache_miss to the first subscriber of an empty cache channel', async () => {
    const c = await TestClient.connect(hub);
    await c.subscribed('cache-empty');
    expect((await c.event('pusher:cache_miss')).channel).toBe('cache-empty');
    c.close();
  });

  it('replays the last event to a new subscriber', async () => {
    await trigger(hub, 'cache-prices', 'price', { v: 1 });
    await trigger(hub, 'cache-prices', 'price', { v: 2 });
    const c = await TestClient.connect(hub);
    await c.subscribed('cache-prices');
    expect((await c.event('price', 'cache-prices')).value).toEqual({ v: 2 });
    await c.ping();
    expect(c.frames.filter((f) => f.event === 'pusher:cache_miss' || f.event === 'price')).toEqual([]);
    c.close();
  });

  it('caches on private-cache channels too (auth still required)', async () => {
    await trigger(hub, 'private-cache-x', 'state', { s: 'on' });
    const c = await TestClient.connect(hub);
    await c.subscribed('private-cache-x', { app: hub.app });
    expect((await c.event('state')).value).toEqual({ s: 'on' });
    c.close();
  });
});

describe('pusher:signin and terminate_connections', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(() => hub.dispose());

  const signin = (c: TestClient, userData: string, auth = signUserAuth(hub.app, c.socketId, userData)) =>
    c.send({ event: 'pusher:signin', data: { auth, user_data: userData } });

  it('answers a correctly signed signin with signin_success carrying the user_data', async () => {
    const c = await TestClient.connect(hub);
    const userData = JSON.stringify({ id: 'user-1', name: 'Ann' });
    signin(c, userData);
    const ok = await c.event('pusher:signin_success');
    expect(ok.value).toEqual({ user_data: userData });
    c.close();
  });

  it('rejects a forged signin with 4009 and keeps the connection', async () => {
    const c = await TestClient.connect(hub);
    signin(c, JSON.stringify({ id: 'admin' }), `${hub.app.key}:${'f'.repeat(64)}`);
    expect((await c.event('pusher:error')).value.code).toBe(4009);
    await c.ping();
    c.close();
  });

  it('rejects user_data without an id', async () => {
    const c = await TestClient.connect(hub);
    signin(c, JSON.stringify({ name: 'nobody' }));
    expect((await c.event('pusher:error')).value.code).toBe(4009);
    c.close();
  });

  it('delivers events sent to #server-to-user-{id} to the signed-in user only', async () => {
    const c = await TestClient.connect(hub);
    signin(c, JSON.stringify({ id: 'user-2' }));
    await c.event('pusher:signin_success');
    c.send({ event: 'pusher:subscribe', data: { auth: '', channel: '#server-to-user-user-2' } });
    await c.event('pusher_internal:subscription_succeeded', '#server-to-user-user-2');
    const other = await TestClient.connect(hub);
    other.send({ event: 'pusher:subscribe', data: { auth: '', channel: '#server-to-user-user-2' } });
    expect((await other.event('pusher:error')).value.code).toBe(4009);
    expect((await trigger(hub, '#server-to-user-user-2', 'note', { hi: 1 })).status).toBe(200);
    expect((await c.event('note')).value).toEqual({ hi: 1 });
    c.close();
    other.close();
  });

  it('terminates every connection of a signed-in user and no one else', async () => {
    const a = await TestClient.connect(hub);
    const b = await TestClient.connect(hub);
    const bystander = await TestClient.connect(hub);
    for (const c of [a, b]) {
      signin(c, JSON.stringify({ id: 'kick-me' }));
      await c.event('pusher:signin_success');
    }
    const res = await api(hub, 'POST', '/users/kick-me/terminate_connections', { body: {} });
    expect(res.status).toBe(200);
    expect((await a.closed).code).toBe(4009);
    expect((await b.closed).code).toBe(4009);
    await bystander.ping();
    bystander.close();
  });
});
