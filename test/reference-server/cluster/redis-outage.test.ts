/**
 * Redis lost while the cluster runs: redis-server is killed in the middle of a stream of publishes
 * and todo creates, then started again on the same AOF. Every request acknowledged with a 2xx must be
 * delivered (publishes, on the other node) or in the history (todos) afterwards; requests during the
 * outage get 503 cluster_unavailable, never a 2xx; each node says so once in its log and in
 * GET /api/hub, then reconnects and serves again.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningHub } from '../../../reference-server/hub.ts';
import { HubInfo } from '../../../spec/schemas/sync.ts';
import { trigger, type TestHub } from '../pusher/helpers.ts';
import { call } from '../sync/helpers.ts';
import {
  collect,
  NO_REDIS,
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

const clusterStatus = async (node: RunningHub) => HubInfo.parse(await (await fetch(`${node.httpUrl}/api/hub`)).json()).cluster!.status;

describe.skipIf(NO_REDIS !== undefined)(`a cluster whose Redis goes away${NO_REDIS ? ` — skipped: ${NO_REDIS}` : ''}`, () => {
  let redis: RedisServer;
  let a: TestHub;
  let b: TestHub;
  const clients: PusherClient[] = [];
  const stderr: string[] = [];
  const prefix = uniquePrefix('outage');

  beforeAll(async () => {
    const write = process.stderr.write.bind(process.stderr);
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: any[]) => {
      stderr.push(String(chunk));
      return write(chunk, ...rest);
    });
    redis = await startRedisServer();
    [a, b] = (await startNodes(2, redis.url, prefix, { redis: { url: '', leaseMs: 2_000 } })) as [TestHub, TestHub];
  });

  afterAll(async () => {
    vi.restoreAllMocks();
    for (const c of clients) c.disconnect();
    await a?.close();
    await b?.close();
    await redis?.stop();
  });

  it('loses no acknowledged publish or todo across a Redis crash and restart; answers 503 meanwhile', async () => {
    const subscriber = await pusherClient(b, 'sub', clients);
    const got = collect<{ i: number }>((await subscribed(subscriber, 'outage')).ch, 'tick');
    const session = (await call(a, 'POST', '/api/sessions', { body: { project_id: 1, issue_id: 9200, coordinator_type: 'hybrid' } })).body
      .session_id as number;
    expect((await call(a, 'POST', `/api/sessions/${session}/participants`, { body: { agent_type: 'w' } })).status).toBe(201);

    const acked: number[] = [];
    const ackedTodos: number[] = [];
    const statuses = new Map<number, number>();
    let stop = false;
    let i = 0;
    const publisher = (async () => {
      while (!stop) {
        const n = i++;
        const res = await trigger(a, 'outage', 'tick', { i: n }).catch(() => ({ status: 0, body: undefined }));
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status === 200) acked.push(n);
        else expect(res.status === 503 ? res.body?.error?.code : res.status).toBe('cluster_unavailable');
        const todo = await call(a, 'POST', `/api/sessions/${session}/todos`, { body: { title: `t${n}` } }).catch(() => undefined);
        if (todo?.status === 201) ackedTodos.push(todo.body.todo_id);
        else if (todo !== undefined) expect(todo.status).toBe(503);
        await sleep(15);
      }
    })();

    await until(() => acked.length >= 10, 10_000, 'publishes before the crash');
    await redis.kill();
    await until(
      async () => (await clusterStatus(a)) === 'disconnected' && (await clusterStatus(b)) === 'disconnected',
      5_000,
      'both nodes reporting the outage',
    );
    const before = statuses.get(503) ?? 0;
    await until(() => (statuses.get(503) ?? 0) >= before + 5, 5_000, '503 answers during the outage');
    await redis.restart();
    await until(
      async () => (await clusterStatus(a)) === 'connected' && (await clusterStatus(b)) === 'connected',
      10_000,
      'both nodes reconnected',
    );
    const afterRestart = acked.length;
    await until(() => acked.length >= afterRestart + 10, 10_000, 'publishes after the restart');
    stop = true;
    await publisher;

    await until(() => acked.every((n) => got.some((g) => g.i === n)), 10_000, 'every acknowledged publish on the other node');
    expect(new Set(got.map((g) => g.i)).size).toBe(got.length); // and none twice
    const history = await call(b, 'GET', `/api/channels/private-session.${session}/events?limit=1000`);
    const created = new Set(history.body.events.filter((e: any) => e.data.change === 'created').map((e: any) => e.data.todo.todo_id));
    expect(ackedTodos.filter((id) => !created.has(id))).toEqual([]);
    expect(history.body.events.map((e: any) => e.seq)).toEqual(history.body.events.map((_: unknown, k: number) => k + 1));
    // A node started now rebuilds its state from what Redis kept (the AOF), and agrees.
    const [late] = (await startNodes(1, redis.url, prefix, { redis: { url: '', leaseMs: 2_000 } })) as [TestHub];
    try {
      const fresh = await call(late, 'GET', `/api/channels/private-session.${session}/events?limit=1000`);
      expect(fresh.body.events.map((e: any) => `${e.seq} ${e.event_id}`)).toEqual(
        history.body.events.map((e: any) => `${e.seq} ${e.event_id}`),
      );
    } finally {
      await late.close();
    }
    // Said once per node, not once per failed request.
    expect(stderr.filter((l) => l.includes('lost Redis')).length).toBe(2);
  }, 45_000);
});
