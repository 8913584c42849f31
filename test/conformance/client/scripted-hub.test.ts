/**
 * The scripted hub behaves as a hub where no case scripts otherwise: it welcomes with the announced
 * activity_timeout, checks every channel signature against the connection's own socket id, keeps one
 * presence member per user, relays client events, and its levers (withheld pongs, restart, refused
 * auth, unknown app key) do what the cases rely on. A raw `ws` client drives it; no client library.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { signChannelAuth } from '../../../spec/protocol/index.ts';
import { ScriptedHub } from '../../../conformance/client/scripted-hub/scripted-hub.ts';

type Frame = { event: string; channel?: string; data?: unknown; user_id?: string };

const hubs: ScriptedHub[] = [];
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  for (const h of hubs.splice(0)) await h.close();
});

async function hub(options: { activityTimeoutS?: number } = {}): Promise<ScriptedHub> {
  const t0 = performance.now();
  const h = await ScriptedHub.start({
    ...options,
    now: () => performance.now() - t0,
    log: () => undefined,
    signal: new AbortController().signal,
  });
  hubs.push(h);
  return h;
}

/** A raw client: every frame it receives, parsed, and a way to wait for one. */
function client(h: ScriptedHub, key: string = h.app.key) {
  const ws = new WebSocket(`ws://127.0.0.1:${h.port}/app/${key}?protocol=7&client=test&version=1`);
  sockets.push(ws);
  const frames: Frame[] = [];
  let closed: number | undefined;
  ws.on('message', (d) => frames.push(JSON.parse(String(d)) as Frame));
  ws.on('close', (code) => (closed = code));
  const next = async (pred: (f: Frame) => boolean, ms = 2000): Promise<Frame> => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      const f = frames.find(pred);
      if (f) return f;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no matching frame; got ${JSON.stringify(frames)}`);
  };
  const socketId = async () =>
    (JSON.parse((await next((f) => f.event === 'pusher:connection_established')).data as string) as { socket_id: string }).socket_id;
  return { ws, frames, next, socketId, send: (f: object) => ws.send(JSON.stringify(f)), closed: () => closed };
}

const presenceData = (userId: string) => JSON.stringify({ user_id: userId, user_info: { id: userId } });

describe('the scripted hub', () => {
  it('welcomes a connection with a socket id and the announced activity_timeout', async () => {
    const h = await hub({ activityTimeoutS: 7 });
    const c = client(h);
    const welcome = await c.next((f) => f.event === 'pusher:connection_established');
    expect(JSON.parse(welcome.data as string)).toMatchObject({ socket_id: expect.stringMatching(/^\d+\.\d+$/), activity_timeout: 7 });
    expect(h.connections[0]!.url).toBe('/app/hubproof-client-key?protocol=7&client=test&version=1');
  });

  it('closes a connection to an unknown app key with 4001', async () => {
    const h = await hub();
    const c = client(h, 'wrong-key');
    await c.next((f) => f.event === 'pusher:error');
    await new Promise((r) => setTimeout(r, 100));
    expect(c.closed()).toBe(4001);
  });

  it('refuses a private subscription signed for another socket id, and confirms one signed for its own', async () => {
    const h = await hub();
    const c = client(h);
    const id = await c.socketId();
    c.send({ event: 'pusher:subscribe', data: { channel: 'private-a', auth: signChannelAuth(h.app, '1.1', 'private-a') } });
    expect(await c.next((f) => f.event === 'pusher:error')).toMatchObject({ data: expect.stringContaining('4009') });
    c.send({ event: 'pusher:subscribe', data: { channel: 'private-b', auth: signChannelAuth(h.app, id, 'private-b') } });
    await c.next((f) => f.event === 'pusher_internal:subscription_succeeded' && f.channel === 'private-b');
    expect(h.connections[0]!.subscriptions.get('private-a')?.refused).toMatch(/does not sign/);
  });

  it('keeps one presence member per user, announces joins and leaves to the others, and relays client events with user_id', async () => {
    const h = await hub();
    const join = async (user: string) => {
      const c = client(h);
      const id = await c.socketId();
      const cd = presenceData(user);
      c.send({
        event: 'pusher:subscribe',
        data: { channel: 'presence-r', auth: signChannelAuth(h.app, id, 'presence-r', cd), channel_data: cd },
      });
      await c.next((f) => f.event === 'pusher_internal:subscription_succeeded');
      return c;
    };
    const a = await join('alice');
    const b1 = await join('bob');
    const b2 = await join('bob');
    const list = JSON.parse(b2.frames.find((f) => f.event === 'pusher_internal:subscription_succeeded')!.data as string) as {
      presence: { count: number };
    };
    expect(list.presence.count).toBe(2);
    expect(a.frames.filter((f) => f.event === 'pusher_internal:member_added')).toHaveLength(1);
    b1.send({ event: 'client-wave', channel: 'presence-r', data: { hi: 1 } });
    expect(await a.next((f) => f.event === 'client-wave')).toMatchObject({ user_id: 'bob', channel: 'presence-r' });
    b1.ws.close();
    await new Promise((r) => setTimeout(r, 200));
    expect(a.frames.some((f) => f.event === 'pusher_internal:member_removed')).toBe(false);
    b2.ws.close();
    await a.next((f) => f.event === 'pusher_internal:member_removed');
  });

  it('answers pusher:ping unless the script withholds pongs', async () => {
    const h = await hub();
    const c = client(h);
    await c.socketId();
    c.send({ event: 'pusher:ping', data: {} });
    await c.next((f) => f.event === 'pusher:pong');
    h.connections[0]!.answerPings = false;
    c.frames.length = 0;
    c.send({ event: 'pusher:ping', data: {} });
    await new Promise((r) => setTimeout(r, 300));
    expect(c.frames.filter((f) => f.event === 'pusher:pong')).toEqual([]);
  });

  it('restarts: closes every connection with the given code, refuses connections while down, listens again on the same port', async () => {
    const h = await hub();
    const c = client(h);
    await c.socketId();
    const port = h.port;
    const restarting = h.restart({ downMs: 300, close: 4200 });
    await new Promise((r) => setTimeout(r, 100));
    expect(c.closed()).toBe(4200);
    const refused = await new Promise<string>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/app/${h.app.key}`);
      ws.on('error', (e) => resolve((e as NodeJS.ErrnoException).code ?? e.message));
      ws.on('open', () => resolve('open'));
    });
    expect(refused).toBe('ECONNREFUSED');
    await restarting;
    expect(h.port).toBe(port);
    await client(h).socketId();
  });

  it('has an auth endpoint that signs for the socket id it is given, with channel data for presence, and refuses on cue', async () => {
    const h = await hub();
    const post = (body: string) =>
      fetch(h.auth.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    const presence = (await (await post('socket_id=1.2&channel_name=presence-x&user_id=u1')).json()) as {
      auth: string;
      channel_data: string;
    };
    expect(presence.auth).toBe(signChannelAuth(h.app, '1.2', 'presence-x', presence.channel_data));
    expect(JSON.parse(presence.channel_data)).toEqual({ user_id: 'u1', user_info: { id: 'u1', name: 'User u1' } });
    h.auth.refuseNext(1, 403);
    expect((await post('socket_id=1.2&channel_name=private-x')).status).toBe(403);
    expect((await post('socket_id=1.2&channel_name=private-x')).status).toBe(200);
    expect(h.auth.requests.map((r) => r.status)).toEqual([200, 403, 200]);
  });
});
