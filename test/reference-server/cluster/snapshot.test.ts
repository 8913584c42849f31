/**
 * The shared log does not grow without bound: after `snapshotEvery` entries the leader stores a
 * snapshot and trims the log, and a node started afterwards rebuilds the same state (history, presence,
 * cache) from the snapshot plus the entries after it.
 */
import { createClient } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, trigger, type TestHub } from '../pusher/helpers.ts';
import { call } from '../sync/helpers.ts';
import {
  NO_REDIS,
  once,
  pusherClient,
  startNodes,
  startRedisServer,
  subscribed,
  uniquePrefix,
  until,
  type PusherClient,
  type RedisServer,
} from './helpers.ts';

describe.skipIf(NO_REDIS !== undefined)(`snapshots of the shared state${NO_REDIS ? ` — skipped: ${NO_REDIS}` : ''}`, () => {
  let redis: RedisServer;
  let nodes: TestHub[] = [];
  const clients: PusherClient[] = [];
  const prefix = uniquePrefix('snap');
  const config = { redis: { url: '', snapshotEvery: 100 } };

  beforeAll(async () => {
    redis = await startRedisServer();
    nodes = await startNodes(2, redis.url, prefix, config);
  });

  afterAll(async () => {
    for (const c of clients) c.disconnect();
    for (const n of nodes) await n.close();
    await redis?.stop();
  });

  it('trims the log after a snapshot, and a node started later rebuilds the same state from it', async () => {
    const [a, b] = nodes as [TestHub, TestHub];
    await subscribed(await pusherClient(b, 'member-1', clients), 'presence-snap');
    const session = (await call(a, 'POST', '/api/sessions', { body: { project_id: 1, issue_id: 9300, coordinator_type: 'hybrid' } })).body
      .session_id;
    for (let i = 0; i < 120; i++)
      expect(
        (await call(i % 2 ? a : b, 'POST', `/api/sessions/${session}/todos`, { body: { title: `snapshot todo ${i} ${i * 31}` } })).status,
      ).toBe(201);
    expect((await trigger(a, 'cache-snap', 'last', { v: 7 })).status).toBe(200);

    const r = createClient({ url: redis.url, RESP: 2 });
    r.on('error', () => undefined);
    await r.connect();
    try {
      await until(async () => Number(await r.sendCommand(['EXISTS', `${prefix}:snapshot`])) === 1, 5_000, 'a snapshot');
      await until(
        async () => Number(await r.sendCommand(['XLEN', `${prefix}:log`])) < 100,
        5_000,
        'the log trimmed below one snapshot interval',
      );
    } finally {
      r.destroy();
    }

    const [late] = await startNodes(1, redis.url, prefix, config);
    nodes.push(late!);
    // The creator is not a participant; read the issue channel, which every scoped agent may see.
    const project = async (node: TestHub) => (await call(node, 'GET', '/api/channels/private-issue.9300/events?limit=1000')).body;
    expect((await project(late!)).events).toEqual((await project(a)).events);
    expect((await call(late!, 'GET', `/api/sessions/${session}/todos`)).body.todos).toHaveLength(120);
    expect((await api(late!, 'GET', '/channels/presence-snap/users')).body.users).toEqual([{ id: 'member-1' }]);
    const ch = (await pusherClient(late!, 'reader', clients)).subscribe('cache-snap');
    expect(await once(ch, 'last')).toEqual({ v: 7 });
  }, 30_000);
});
