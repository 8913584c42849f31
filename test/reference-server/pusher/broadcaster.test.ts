/**
 * The Broadcaster contract the sync profile publishes through, tested on mountPusher alone (a bare
 * HTTP server with the hub's router and upgrade list, no other profile).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHubConfig } from '../../../reference-server/config.ts';
import type { Broadcaster, HubContext } from '../../../reference-server/context.ts';
import { Router } from '../../../reference-server/http/router.ts';
import { mountPusher } from '../../../reference-server/pusher/mount.ts';
import { openDatabase } from '../../../reference-server/store/db.ts';
import { TestClient, type HubLike } from './helpers.ts';

describe('pusher Broadcaster (used by the sync profile)', () => {
  let ctx: HubContext;
  let broadcaster: Broadcaster;
  let server: Server;
  let hub: HubLike;

  beforeAll(async () => {
    const config = parseHubConfig({ port: 0, dataDir: ':memory:' });
    ctx = {
      config,
      router: new Router(config.limits.maxBodyBytes),
      db: openDatabase(':memory:'),
      upgrades: [],
      broadcaster: { publish: () => undefined, subscriberCount: () => 0 },
      onClose: [],
      now: () => Date.now(),
      log: () => undefined,
    };
    broadcaster = mountPusher(ctx);
    server = createServer((req, res) => void ctx.router.handle(req, res));
    server.on('upgrade', (req, socket, head) => {
      for (const claim of ctx.upgrades) if (claim(req, socket, head)) return;
      socket.destroy();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    hub = { wsUrl: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`, config };
  });
  afterAll(async () => {
    for (const fn of [...ctx.onClose].reverse()) await fn();
    await new Promise((r) => server.close(r));
    ctx.db.close();
  });

  it('counts subscribers per channel as they come and go', async () => {
    const a = await TestClient.connect(hub);
    const b = await TestClient.connect(hub);
    expect(broadcaster.subscriberCount('private-session.1')).toBe(0);
    await a.subscribed('count-me');
    await b.subscribed('count-me');
    expect(broadcaster.subscriberCount('count-me')).toBe(2);
    b.close();
    await expect.poll(() => broadcaster.subscriberCount('count-me'), { timeout: 3000 }).toBe(1);
    a.close();
  });

  it('publishes the data string unchanged to every subscriber except the excluded socket', async () => {
    const a = await TestClient.connect(hub);
    const b = await TestClient.connect(hub);
    await a.subscribed('fan');
    await b.subscribed('fan');
    const data = JSON.stringify({ seq: 1, event_id: 'e-1', text: 'ünïcode' });
    broadcaster.publish('fan', 'App\\Events\\AgentTodoChanged', data, a.socketId);
    const got = await b.event('App\\Events\\AgentTodoChanged', 'fan');
    expect(got.data).toBe(data);
    broadcaster.publish('fan', 'marker', '{}');
    await a.event('marker', 'fan');
    expect(a.frames.filter((f) => f.event.includes('AgentTodoChanged'))).toEqual([]);
    a.close();
    b.close();
  });
});
