/**
 * Interop: the real pusher-js client (Node build) against the reference hub, authorized by a tiny auth
 * endpoint that signs with the real `pusher` server SDK; events come in through the SDK's trigger.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import PusherJs from 'pusher-js';
import PusherServer from 'pusher';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../reference-server/pusher/helpers.ts';

// pusher-js ships CommonJS with `export default` typings: under NodeNext the default import is typed as
// the module namespace, while at runtime it is the Pusher class itself.
const Pusher = PusherJs as unknown as typeof PusherJs.default;
type Client = InstanceType<typeof Pusher>;

/** Resolves with the first emission of `event` on `target`, or rejects after `ms`. */
function once<T = any>(target: { bind(event: string, cb: (data: T) => void): unknown }, event: string, ms = 5000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${ms} ms`)), ms);
    target.bind(event, (data: T) => {
      clearTimeout(timer);
      resolve(data);
    });
  });
}

describe('pusher-js against the reference hub', () => {
  let hub: TestHub;
  let sdk: PusherServer;
  let authServer: Server;
  let authUrl: string;
  const clients: Client[] = [];

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
    // The app's auth endpoint: form-encoded socket_id + channel_name (+ our user_id param), answered with the SDK.
    authServer = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        const socketId = form.get('socket_id') ?? '';
        const userId = form.get('user_id') ?? 'anon';
        const result =
          req.url === '/pusher/user-auth'
            ? sdk.authenticateUser(socketId, { id: userId, name: `User ${userId}` })
            : sdk.authorizeChannel(
                socketId,
                form.get('channel_name') ?? '',
                (form.get('channel_name') ?? '').startsWith('presence-')
                  ? { user_id: userId, user_info: { name: `User ${userId}`, tags: ['x'] } }
                  : undefined,
              );
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(result));
      });
    });
    await new Promise<void>((r) => authServer.listen(0, '127.0.0.1', () => r()));
    authUrl = `http://127.0.0.1:${(authServer.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await hub.dispose();
    await new Promise((r) => authServer.close(r));
  });

  async function connect(userId: string): Promise<Client> {
    const client = new Pusher(hub.app.key, {
      wsHost: '127.0.0.1',
      wsPort: hub.port,
      forceTLS: false,
      enabledTransports: ['ws'],
      cluster: 'mt1',
      channelAuthorization: { endpoint: `${authUrl}/pusher/auth`, transport: 'ajax', params: { user_id: userId } },
      userAuthentication: { endpoint: `${authUrl}/pusher/user-auth`, transport: 'ajax', params: { user_id: userId } },
    });
    clients.push(client);
    await once(client.connection, 'connected');
    expect(client.connection.socket_id).toMatch(/^\d+\.\d+$/);
    return client;
  }

  it('receives an event triggered on a public channel', async () => {
    const client = await connect('p1');
    const channel = client.subscribe('interop-public');
    await once(channel, 'pusher:subscription_succeeded');
    const got = once(channel, 'headline');
    await sdk.trigger('interop-public', 'headline', { title: 'hello' });
    expect(await got).toEqual({ title: 'hello' });
  });

  it('subscribes to a private channel through the auth endpoint and relays client events', async () => {
    const a = await connect('a');
    const b = await connect('b');
    const ca = a.subscribe('private-interop');
    const cb = b.subscribe('private-interop');
    await Promise.all([once(ca, 'pusher:subscription_succeeded'), once(cb, 'pusher:subscription_succeeded')]);
    const got = once(cb, 'server-side');
    await sdk.trigger('private-interop', 'server-side', { n: 1 });
    expect(await got).toEqual({ n: 1 });
    const typing = once(cb, 'client-typing');
    expect(ca.trigger('client-typing', { who: 'a' })).toBe(true);
    expect(await typing).toEqual({ who: 'a' });
  });

  it('keeps presence members right across joins and leaves', async () => {
    const alice = await connect('alice');
    const ch = alice.subscribe('presence-interop') as any;
    const aliceMembers = await once<any>(ch, 'pusher:subscription_succeeded');
    expect(aliceMembers.count).toBe(1);
    expect(aliceMembers.me).toEqual({ id: 'alice', info: { name: 'User alice', tags: ['x'] } });

    const added = once<any>(ch, 'pusher:member_added');
    const bob = await connect('bob');
    const bobCh = bob.subscribe('presence-interop') as any;
    const bobMembers = await once<any>(bobCh, 'pusher:subscription_succeeded');
    expect(bobMembers.count).toBe(2);
    const seen: Record<string, unknown> = {};
    bobMembers.each((m: { id: string; info: unknown }) => (seen[m.id] = m.info));
    expect(seen).toEqual({ alice: { name: 'User alice', tags: ['x'] }, bob: { name: 'User bob', tags: ['x'] } });
    expect(await added).toEqual({ id: 'bob', info: { name: 'User bob', tags: ['x'] } });

    const got = once(bobCh, 'roll-call');
    await sdk.trigger('presence-interop', 'roll-call', { ok: true });
    expect(await got).toEqual({ ok: true });

    const removed = once<any>(ch, 'pusher:member_removed');
    bob.disconnect();
    expect((await removed).id).toBe('bob');
    expect(ch.members.count).toBe(1);
  });

  it('signs in and receives an event sent to the user', async () => {
    const carol = await connect('carol');
    carol.signin();
    // After signin_success pusher-js subscribes to #server-to-user-carol; wait for the hub's ack.
    const user = carol.user as any;
    await expect.poll(() => user.serverToUserChannel?.subscribed === true, { timeout: 5000 }).toBe(true);
    expect(user.user_data).toEqual({ id: 'carol', name: 'User carol' });
    const got = once(user, 'private-note');
    await sdk.sendToUser('carol', 'private-note', { text: 'hi carol' });
    expect(await got).toEqual({ text: 'hi carol' });
  });
});
