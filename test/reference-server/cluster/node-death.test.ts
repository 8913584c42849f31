/**
 * A node killed with SIGKILL leaves no ghosts: its presence members and dashboards leave the cluster
 * within the bound the hub states (GET /api/hub cluster.dead_node_removal_ms), and the other node keeps
 * serving. The nodes are real child processes (startCluster), so the kill is a real one.
 */
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type RunningCluster } from '../../../reference-server/cluster/start-cluster.ts';
import { HubInfo } from '../../../spec/schemas/sync.ts';
import { api, type TestHub } from '../pusher/helpers.ts';
import { BACKEND } from '../sync/helpers.ts';
import {
  collect,
  NO_REDIS,
  pusherClient,
  startRedisServer,
  subscribed,
  uniquePrefix,
  until,
  type PusherClient,
  type RedisServer,
} from './helpers.ts';

/** Delivery of the removal after the bound: one log round trip and a busy machine's scheduling. */
const DELIVERY_MS = 1_000;

describe.skipIf(NO_REDIS !== undefined)(`a killed cluster node${NO_REDIS ? ` — skipped: ${NO_REDIS}` : ''}`, () => {
  let redis: RedisServer;
  let cluster: RunningCluster;
  const clients: PusherClient[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    cluster = await startCluster({
      nodes: 2,
      redisUrl: redis.url,
      hub: { redis: { url: redis.url, prefix: uniquePrefix('death'), leaseMs: 1_500 }, limits: { maxDashboardsPerSession: 1 } },
    });
  }, 60_000);

  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await cluster?.dispose();
    await redis?.stop();
  });

  /** Node `i` as the helpers' TestHub shape (URLs and credentials are all they use). */
  const node = (i: number) => {
    const n = cluster.nodes[i]!;
    return { httpUrl: n.http, wsUrl: n.ws, port: n.port, app: cluster.target().app } as unknown as TestHub;
  };
  const info = async (i: number) => HubInfo.parse(await (await fetch(`${cluster.nodes[i]!.http}/api/hub`)).json());

  it("removes the dead node's presence members and dashboards within the stated bound while the other node keeps serving", async () => {
    const survivor = node(0);
    const watcher = await pusherClient(survivor, 'watcher', clients);
    const { ch } = await subscribed(watcher, 'presence-ghosts');
    const removed = collect<{ id: string }>(ch, 'pusher:member_removed');
    const doomed = await pusherClient(node(1), 'doomed', clients);
    await subscribed(doomed, 'presence-ghosts');
    const dashboard = new WebSocket(`${cluster.nodes[1]!.ws}/ws/broadcasts?token=${BACKEND}&session_id=ghost`);
    dashboard.on('error', () => undefined);
    await new Promise((r) => dashboard.once('open', r));
    await until(
      async () => (await api(survivor, 'GET', '/channels/presence-ghosts/users')).body.users?.length === 2,
      5_000,
      'both members listed',
    );

    const bound = (await info(0)).cluster!.dead_node_removal_ms;
    expect((await info(0)).cluster!.nodes).toBe(2);
    const killedAt = Date.now();
    await cluster.kill(1);
    await until(() => removed.some((m) => m.id === 'doomed'), bound + DELIVERY_MS + 2_000, "member_removed for the dead node's user");
    const elapsed = Date.now() - killedAt;
    expect(elapsed, `member_removed ${elapsed} ms after SIGKILL; bound ${bound} ms + ${DELIVERY_MS} ms delivery`).toBeLessThanOrEqual(
      bound + DELIVERY_MS,
    );

    expect((await api(survivor, 'GET', '/channels/presence-ghosts/users')).body.users).toEqual([{ id: 'watcher' }]);
    expect((await info(0)).cluster!.nodes).toBe(1);
    // The dead node's dashboard no longer counts against the session's limit of one.
    const replacement = new WebSocket(`${cluster.nodes[0]!.ws}/ws/broadcasts?token=${BACKEND}&session_id=ghost`);
    const outcome = await new Promise<string>((resolve) => {
      replacement.once('close', (code) => resolve(`closed ${code}`));
      replacement.once('open', () => setTimeout(() => resolve(replacement.readyState === WebSocket.OPEN ? 'open' : 'closed'), 500));
    });
    replacement.close();
    expect(outcome).toBe('open');
    // And the survivor still publishes.
    expect((await api(survivor, 'POST', '/events', { body: { name: 'still', data: '{}', channel: 'presence-ghosts' } })).status).toBe(200);
  }, 30_000);
});
