/**
 * Cluster test helpers: a private redis-server per test file (free loopback port, temporary dir,
 * stopped in afterAll), reference-hub nodes sharing it, and real pusher-js clients whose channel
 * authorization is signed locally with the app secret.
 */
import PusherJs from 'pusher-js';
import type { HubConfigInput } from '../../../reference-server/config.ts';
import { findRedisServer } from '../../../reference-server/cluster/redis-server.ts';
import { startHub } from '../../../reference-server/hub.ts';
import { signChannelAuth } from '../../../spec/protocol/signing.ts';
import type { TestHub } from '../pusher/helpers.ts';

export { startRedisServer, type RedisServer } from '../../../reference-server/cluster/redis-server.ts';

/** Why the cluster tests skip, or undefined when redis-server is there (scripts/ensure-redis.js installs it). */
export const NO_REDIS = findRedisServer() === undefined ? 'redis-server is not installed (apt-get install redis-server)' : undefined;

// pusher-js ships CommonJS with `export default` typings; at runtime the default import is the class.
const Pusher = PusherJs as unknown as typeof PusherJs.default;
export type PusherClient = InstanceType<typeof Pusher>;

let prefixes = 0;
/** A key prefix no other hub of this test run uses. */
export const uniquePrefix = (name: string) => `t${process.pid}-${name}-${++prefixes}`;

/** Starts `n` in-process nodes of one hub on `redisUrl`. */
export async function startNodes(n: number, redisUrl: string, prefix: string, extra: HubConfigInput = {}): Promise<TestHub[]> {
  const nodes: TestHub[] = [];
  for (let i = 0; i < n; i++) {
    const hub = await startHub({ port: 0, ...extra, redis: { leaseMs: 1_000, ...(extra.redis ?? {}), url: redisUrl, prefix } });
    nodes.push(Object.assign(hub, { app: hub.config.app, dispose: () => hub.close() }));
  }
  return nodes;
}

/** Resolves with the first emission of `event`, or rejects after `ms`. */
export function once<T = any>(target: { bind(event: string, cb: (data: T) => void): unknown }, event: string, ms = 5_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${ms} ms`)), ms);
    target.bind(event, (data: T) => {
      clearTimeout(timer);
      resolve(data);
    });
  });
}

/** A connected pusher-js client of `node`; presence channels join as `userId`. */
export async function pusherClient(node: TestHub, userId = 'anon', clients?: PusherClient[]): Promise<PusherClient> {
  const app = node.app;
  const client = new Pusher(app.key, {
    wsHost: '127.0.0.1',
    wsPort: node.port,
    forceTLS: false,
    enabledTransports: ['ws'],
    cluster: 'mt1',
    channelAuthorization: {
      endpoint: '/unused',
      transport: 'ajax',
      customHandler: ({ socketId, channelName }, callback) => {
        const channelData = channelName.startsWith('presence-')
          ? JSON.stringify({ user_id: userId, user_info: { name: `User ${userId}` } })
          : undefined;
        callback(null, {
          auth: signChannelAuth(app, socketId, channelName, channelData),
          ...(channelData === undefined ? {} : { channel_data: channelData }),
        });
      },
    },
  });
  clients?.push(client);
  await once(client.connection, 'connected');
  return client;
}

/** Subscribes and waits for pusher:subscription_succeeded; resolves with the channel and the ack's data. */
export async function subscribed(client: PusherClient, channel: string) {
  const ch = client.subscribe(channel);
  const data = await once(ch, 'pusher:subscription_succeeded');
  return { ch, data };
}

/** Collects every emission of `event` on a channel. */
export function collect<T = any>(ch: { bind(event: string, cb: (data: T) => void): unknown }, event: string): T[] {
  const got: T[] = [];
  ch.bind(event, (d: T) => got.push(d));
  return got;
}

export async function until(fn: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
