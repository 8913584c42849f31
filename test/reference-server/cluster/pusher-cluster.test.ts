/**
 * The pusher profile on a two-node reference cluster (one redis-server, in-process nodes), with real
 * pusher-js clients: each behaviour a single hub has must hold when the clients are spread over nodes.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, trigger, type TestHub } from '../pusher/helpers.ts';
import {
  collect,
  NO_REDIS,
  once,
  pusherClient,
  sleep,
  startNodes,
  startRedisServer,
  subscribed,
  uniquePrefix,
  until,
  type PusherClient,
  type RedisServer,
} from './helpers.ts';

/** Time to wait for a duplicate that must not come. */
const QUIET_MS = 300;

describe.skipIf(NO_REDIS !== undefined)(`pusher profile across cluster nodes${NO_REDIS ? ` — skipped: ${NO_REDIS}` : ''}`, () => {
  let redis: RedisServer;
  let a: TestHub;
  let b: TestHub;
  let webhookServer: Server;
  const webhooks: Array<{ name: string; channel: string; user_id?: string }> = [];
  const clients: PusherClient[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    webhookServer = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        webhooks.push(...(JSON.parse(body) as { events: typeof webhooks }).events);
        res.end();
      });
    });
    await new Promise<void>((r) => webhookServer.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(webhookServer.address() as AddressInfo).port}/hooks`;
    [a, b] = (await startNodes(2, redis.url, uniquePrefix('pusher'), { webhooks: { url, vacatedDelayMs: 300 } })) as [TestHub, TestHub];
  });

  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await a?.close();
    await b?.close();
    await redis?.stop();
    await new Promise((r) => webhookServer?.close(r));
  });

  it('delivers an event published through one node to subscribers on every node', async () => {
    const [onA, onB] = [await pusherClient(a, 'x', clients), await pusherClient(b, 'x', clients)];
    const chA = (await subscribed(onA, 'fanout')).ch;
    const chB = (await subscribed(onB, 'fanout')).ch;
    const gotA = once(chA, 'news');
    const gotB = once(chB, 'news');
    expect((await trigger(b, 'fanout', 'news', { n: 1 })).status).toBe(200);
    expect(await gotA).toEqual({ n: 1 });
    expect(await gotB).toEqual({ n: 1 });
  });

  it('relays a client event to subscribers on the other node once and never back to the sender', async () => {
    const sender = await pusherClient(a, 's', clients);
    const peers = [await pusherClient(b, 'p1', clients), await pusherClient(b, 'p2', clients), await pusherClient(a, 'p3', clients)];
    const chSender = (await subscribed(sender, 'private-chat')).ch;
    const received: unknown[][] = [];
    for (const p of peers) received.push(collect((await subscribed(p, 'private-chat')).ch, 'client-typing'));
    const echoed = collect(chSender, 'client-typing');
    chSender.trigger('client-typing', { who: 's' });
    await until(() => received.every((r) => r.length > 0), 5_000, 'the client event on every peer');
    await sleep(QUIET_MS);
    expect(received.map((r) => r.length)).toEqual([1, 1, 1]);
    expect(echoed).toEqual([]);
  });

  it('counts presence per user across nodes: one member_added for the first connection anywhere, one member_removed for the last', async () => {
    const channel = 'presence-room';
    const watcher = await pusherClient(b, 'watcher', clients);
    const { ch } = await subscribed(watcher, channel);
    const added = collect<{ id: string }>(ch, 'pusher:member_added');
    const removed = collect<{ id: string }>(ch, 'pusher:member_removed');

    const first = await pusherClient(a, 'u1', clients);
    await subscribed(first, channel);
    await until(() => added.length === 1, 5_000, 'member_added for u1');
    const second = await pusherClient(b, 'u1', clients); // u1's second connection, on the other node
    const { data } = await subscribed(second, channel);
    expect(Object.keys((data as { members: object }).members).sort()).toEqual(['u1', 'watcher']);

    for (const node of [a, b]) {
      const users = await api(node, 'GET', `/channels/${channel}/users`);
      expect(users.body.users.map((u: { id: string }) => u.id).sort()).toEqual(['u1', 'watcher']);
      expect((await api(node, 'GET', `/channels/${channel}`, { params: { info: 'user_count,subscription_count' } })).body).toEqual({
        occupied: true,
        user_count: 2,
        subscription_count: 3,
      });
    }
    first.disconnect();
    await sleep(QUIET_MS);
    expect(removed).toEqual([]); // u1 is still there through the other node
    second.disconnect();
    await until(() => removed.length === 1, 5_000, 'member_removed for u1');
    await sleep(QUIET_MS);
    expect(added.map((m) => m.id)).toEqual(['u1']);
    expect(removed.map((m) => m.id)).toEqual(['u1']);
  });

  it('excludes the socket_id given to a publish on one node from delivery on the other', async () => {
    const excluded = await pusherClient(b, 'e1', clients);
    const other = await pusherClient(b, 'e2', clients);
    const gotExcluded = collect((await subscribed(excluded, 'private-excl')).ch, 'ping');
    const gotOther = collect((await subscribed(other, 'private-excl')).ch, 'ping');
    expect((await trigger(a, 'private-excl', 'ping', {}, { socket_id: excluded.connection.socket_id })).status).toBe(200);
    await until(() => gotOther.length === 1, 5_000, 'the event on the other subscriber');
    await sleep(QUIET_MS);
    expect(gotExcluded).toEqual([]);
  });

  it('answers the channel list and counts from the whole cluster on either node', async () => {
    await subscribed(await pusherClient(a, 'c1', clients), 'presence-count');
    await subscribed(await pusherClient(b, 'c2', clients), 'presence-count');
    await subscribed(await pusherClient(b, 'c3', clients), 'count-public');
    for (const node of [a, b]) {
      const list = await api(node, 'GET', '/channels', { params: { filter_by_prefix: 'presence-count', info: 'user_count' } });
      expect(list.body).toEqual({ channels: { 'presence-count': { user_count: 2 } } });
      const pub = await api(node, 'GET', '/channels/count-public', { params: { info: 'subscription_count' } });
      expect(pub.body).toEqual({ occupied: true, subscription_count: 1 });
      const ev = await api(node, 'POST', '/events', {
        body: { name: 'x', data: '{}', channel: 'presence-count', info: 'user_count,subscription_count' },
      });
      expect(ev.body).toEqual({ channels: { 'presence-count': { user_count: 2, subscription_count: 2 } } });
    }
  });

  it('replays the last event of a cache channel published through one node to a subscriber of the other', async () => {
    expect((await trigger(a, 'cache-quote', 'price', { v: 42 })).status).toBe(200);
    const client = await pusherClient(b, 'q', clients);
    const ch = client.subscribe('cache-quote');
    expect(await once(ch, 'price')).toEqual({ v: 42 });
  });

  it('sends each webhook once per cluster-wide transition, not once per node', async () => {
    const onA = await pusherClient(a, 'w1', clients);
    const onB = await pusherClient(b, 'w2', clients);
    await subscribed(onA, 'presence-hooks');
    await subscribed(onB, 'presence-hooks');
    onA.unsubscribe('presence-hooks');
    onB.unsubscribe('presence-hooks');
    const mine = () => webhooks.filter((w) => w.channel === 'presence-hooks').map((w) => `${w.name}${w.user_id ? ` ${w.user_id}` : ''}`);
    await until(() => mine().includes('channel_vacated'), 5_000, 'channel_vacated');
    await sleep(QUIET_MS * 2);
    expect(mine().sort()).toEqual([
      'channel_occupied',
      'channel_vacated',
      'member_added w1',
      'member_added w2',
      'member_removed w1',
      'member_removed w2',
    ]);
  });

  it('keeps two hubs with different key prefixes on one Redis apart', async () => {
    const [other] = (await startNodes(1, redis.url, uniquePrefix('other'))) as [TestHub];
    try {
      const mine = await pusherClient(a, 'm', clients);
      const theirs = await pusherClient(other, 'm', clients);
      const gotTheirs = collect((await subscribed(theirs, 'presence-shared')).ch, 'news');
      const { data } = await subscribed(mine, 'presence-shared');
      expect((data as { count: number }).count).toBe(1); // only itself: the other hub's member is not ours
      const gotMine = collect((await subscribed(mine, 'shared')).ch, 'news');
      await subscribed(theirs, 'shared');
      expect((await trigger(a, ['shared', 'presence-shared'], 'news', {})).status).toBe(200);
      await until(() => gotMine.length === 1, 5_000, 'the event on the publishing hub');
      await sleep(QUIET_MS);
      expect(gotTheirs).toEqual([]);
      expect((await api(other, 'GET', '/channels/presence-shared/users')).body.users).toEqual([{ id: 'm' }]);
    } finally {
      await other.close();
    }
  });
});
