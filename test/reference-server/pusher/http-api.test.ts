import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody } from '../../../spec/schemas/common.ts';
import { ChannelsResponse, UsersResponse } from '../../../spec/schemas/pusher-http.ts';
import { api, startTestHub, TestClient, trigger, type TestHub } from './helpers.ts';

describe('pusher HTTP API', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ limits: { maxEventBytes: 1000, maxChannelsPerEvent: 3, maxBatchEvents: 2 } });
  });
  afterAll(() => hub.dispose());

  it('publishes an event to several channels', async () => {
    const a = await TestClient.connect(hub);
    const b = await TestClient.connect(hub);
    await a.subscribed('ch-1');
    await b.subscribed('ch-2');
    const res = await trigger(hub, ['ch-1', 'ch-2'], 'greet', { hello: 'world' });
    expect(res).toEqual({ status: 200, body: {} });
    const got = await a.event('greet', 'ch-1');
    expect(got.data).toBe('{"hello":"world"}');
    expect((await b.event('greet', 'ch-2')).value).toEqual({ hello: 'world' });
    a.close();
    b.close();
  });

  it('excludes the connection named by socket_id and no other', async () => {
    const a = await TestClient.connect(hub);
    const b = await TestClient.connect(hub);
    await a.subscribed('ex');
    await b.subscribed('ex');
    expect((await trigger(hub, 'ex', 'only-b', {}, { socket_id: a.socketId })).status).toBe(200);
    await b.event('only-b', 'ex');
    await a.ping();
    await trigger(hub, 'ex', 'marker', {});
    await a.event('marker');
    expect(a.frames.filter((f) => f.event === 'only-b')).toEqual([]);
    a.close();
    b.close();
  });

  it('returns channel attributes when info is asked', async () => {
    const a = await TestClient.connect(hub);
    await a.subscribed('presence-info', { app: hub.app, channelData: { user_id: 'u' } });
    await a.subscribed('plain-info');
    const res = await trigger(hub, ['presence-info', 'plain-info'], 'e', {}, { info: 'user_count,subscription_count' });
    expect(res.body).toEqual({
      channels: { 'presence-info': { user_count: 1, subscription_count: 1 }, 'plain-info': { subscription_count: 1 } },
    });
    a.close();
  });

  it('publishes a batch and answers info per event', async () => {
    const a = await TestClient.connect(hub);
    await a.subscribed('batch-a');
    const res = await api(hub, 'POST', '/batch_events', {
      body: {
        batch: [
          { channel: 'batch-a', name: 'one', data: '1', info: 'subscription_count' },
          { channel: 'batch-b', name: 'two', data: '2' },
        ],
      },
    });
    expect(res).toEqual({ status: 200, body: { batch: [{ subscription_count: 1 }, {}] } });
    expect((await a.event('one', 'batch-a')).data).toBe('1');
    a.close();
  });

  it('lists occupied channels, filtered by prefix, with user_count for presence', async () => {
    const a = await TestClient.connect(hub);
    await a.subscribed('presence-list-1', { app: hub.app, channelData: { user_id: 'u1' } });
    await a.subscribed('list-plain');
    const all = await api(hub, 'GET', '/channels');
    expect(Object.keys(ChannelsResponse.parse(all.body).channels)).toEqual(expect.arrayContaining(['presence-list-1', 'list-plain']));
    const filtered = await api(hub, 'GET', '/channels', { params: { filter_by_prefix: 'presence-list', info: 'user_count' } });
    expect(filtered.body).toEqual({ channels: { 'presence-list-1': { user_count: 1 } } });
    const refused = await api(hub, 'GET', '/channels', { params: { info: 'user_count' } });
    expect(refused.status).toBe(400);
    expect(ErrorBody.parse(refused.body).error.message).toMatch(/presence-/);
    a.close();
  });

  it('answers channel info, and users for presence channels only', async () => {
    const a = await TestClient.connect(hub);
    await a.subscribed('presence-who', { app: hub.app, channelData: { user_id: 'ann' } });
    expect((await api(hub, 'GET', '/channels/presence-who', { params: { info: 'subscription_count' } })).body).toEqual({
      occupied: true,
      subscription_count: 1,
    });
    expect((await api(hub, 'GET', '/channels/nobody-here')).body).toEqual({ occupied: false });
    expect(UsersResponse.parse((await api(hub, 'GET', '/channels/presence-who/users')).body).users).toEqual([{ id: 'ann' }]);
    expect((await api(hub, 'GET', '/channels/private-x/users')).status).toBe(400);
    expect((await api(hub, 'GET', '/channels/plain/', {})).status).toBe(404);
    expect((await api(hub, 'GET', '/channels/plain', { params: { info: 'user_count' } })).status).toBe(400);
    a.close();
  });

  it.each([
    ['a wrong secret', { app: { id: '1', key: 'hubproof-key', secret: 'not-the-secret' } }, 'invalid_signature'],
    ['a wrong key', { app: { id: '1', key: 'other-key', secret: 'hubproof-secret-change-me' } }, 'unknown_auth_key'],
    [
      'a stale timestamp',
      { tamper: (q: Record<string, string>) => (q.auth_timestamp = String(Math.floor(Date.now() / 1000) - 3600)) },
      'stale_timestamp',
    ],
    ['no signature', { tamper: (q: Record<string, string>) => delete q.auth_signature }, 'missing_auth_params'],
    ['a tampered body_md5', { tamper: (q: Record<string, string>) => (q.body_md5 = '0'.repeat(32)) }, 'body_md5_mismatch'],
  ])('answers 401 naming the reason for %s', async (_label, opts, reason) => {
    const res = await api(hub, 'POST', '/events', { body: { name: 'x', channel: 'c', data: '{}' }, ...opts });
    expect(res.status).toBe(401);
    expect(ErrorBody.parse(res.body).error.code).toBe(reason);
  });

  it('answers 404 for an unknown app id', async () => {
    const res = await api(hub, 'POST', '/events', { app: { ...hub.app, id: '999' }, body: { name: 'x', channel: 'c', data: '{}' } });
    expect(res.status).toBe(404);
  });

  it('answers 400 to a body that is not JSON', async () => {
    const res = await api(hub, 'POST', '/events', { rawBody: '{"name": nope' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_json');
  });

  it('answers 413 when data exceeds the event size limit', async () => {
    const res = await trigger(hub, 'c', 'big', 'x'.repeat(1001));
    expect(res.status).toBe(413);
  });

  it.each([
    ['too many channels', { name: 'e', data: '{}', channels: ['a', 'b', 'c', 'd'] }],
    ['no channel', { name: 'e', data: '{}' }],
    ['an invalid channel name', { name: 'e', data: '{}', channel: 'bad name' }],
    ['non-string data', { name: 'e', data: { a: 1 }, channel: 'c' }],
    ['no name', { data: '{}', channel: 'c' }],
    ['a malformed socket_id', { name: 'e', data: '{}', channel: 'c', socket_id: 'abc' }],
    ['an unknown info attribute', { name: 'e', data: '{}', channel: 'c', info: 'color' }],
  ])('answers 400 to an event with %s', async (_label, body) => {
    const res = await api(hub, 'POST', '/events', { body });
    expect(res.status).toBe(400);
    expect(ErrorBody.parse(res.body).error.message.length).toBeGreaterThan(5);
  });

  it('answers 400 to a batch over the limit and publishes none of a bad batch', async () => {
    const a = await TestClient.connect(hub);
    await a.subscribed('batch-atomic');
    const over = await api(hub, 'POST', '/batch_events', {
      body: { batch: [1, 2, 3].map((i) => ({ channel: 'batch-atomic', name: `n${i}`, data: '{}' })) },
    });
    expect(over.status).toBe(400);
    const half = await api(hub, 'POST', '/batch_events', {
      body: {
        batch: [
          { channel: 'batch-atomic', name: 'good', data: '{}' },
          { channel: 'batch-atomic', name: 'bad' },
        ],
      },
    });
    expect(half.status).toBe(400);
    await trigger(hub, 'batch-atomic', 'marker', {});
    await a.event('marker');
    expect(a.frames.filter((f) => f.event.startsWith('n') || f.event === 'good')).toEqual([]);
    a.close();
  });
});
