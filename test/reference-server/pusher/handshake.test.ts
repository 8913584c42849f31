import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionEstablishedDecoded } from '../../../spec/schemas/pusher-frames.ts';
import { closeReason } from '../../../reference-server/pusher/socket-errors.ts';
import { startTestHub, TestClient, type TestHub } from './helpers.ts';

describe('closeReason', () => {
  it('keeps reasons within 123 UTF-8 bytes without splitting a character', () => {
    for (const s of ['short', 'x'.repeat(500), '😀'.repeat(100), `${'a'.repeat(119)}😀😀`]) {
      const r = closeReason(s);
      expect(Buffer.byteLength(r)).toBeLessThanOrEqual(123);
      expect(r).not.toContain('\uFFFD');
      expect(s.startsWith(r.replace(/…$/, ''))).toBe(true);
    }
  });
});

describe('pusher handshake', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ timings: { activityTimeoutS: 45 } });
  });
  afterAll(() => hub.dispose());

  it('sends connection_established with a socket id and the activity timeout', async () => {
    const c = TestClient.open(hub);
    const f = await c.event('pusher:connection_established');
    const decoded = ConnectionEstablishedDecoded.parse(JSON.parse(f.raw));
    expect(decoded.data.socket_id).toMatch(/^\d+\.\d+$/);
    expect(decoded.data.activity_timeout).toBe(45);
    c.close();
  });

  it('gives every connection a different socket id', async () => {
    const clients = await Promise.all([1, 2, 3, 4, 5].map(() => TestClient.connect(hub)));
    expect(new Set(clients.map((c) => c.socketId)).size).toBe(5);
    clients.forEach((c) => c.close());
  });

  it('closes an unknown key with pusher:error then 4001', async () => {
    const c = TestClient.open(hub, {}, 'no-such-key');
    const err = await c.event('pusher:error');
    expect(err.value.code).toBe(4001);
    expect((await c.closed).code).toBe(4001);
  });

  it('closes a long non-ASCII unknown key with 4001 (reason kept within 123 bytes)', async () => {
    const c = TestClient.open(hub, {}, '鍵'.repeat(200));
    expect((await c.event('pusher:error')).value.code).toBe(4001);
    const closed = await c.closed;
    expect(closed.code).toBe(4001);
    expect(Buffer.byteLength(closed.reason)).toBeLessThanOrEqual(123);
  });

  it('closes a connection without a protocol version with 4008', async () => {
    const c = TestClient.open(hub, {}, hub.app.key, `${hub.wsUrl}/app/${hub.app.key}?client=js`);
    expect((await c.event('pusher:error')).value.code).toBe(4008);
    expect((await c.closed).code).toBe(4008);
  });

  it('closes an unsupported protocol version with 4007', async () => {
    const c = TestClient.open(hub, { protocol: '3' });
    expect((await c.event('pusher:error')).value.code).toBe(4007);
    expect((await c.closed).code).toBe(4007);
  });

  it('answers 404 to upgrades outside /app/{key}', async () => {
    const ws = new WebSocket(`${hub.wsUrl}/nope/x`);
    const status = await new Promise<number>((resolve) => {
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', () => resolve(-1));
    });
    expect(status).toBe(404);
  });

  it('answers pusher:ping with pusher:pong', async () => {
    const c = await TestClient.connect(hub);
    await c.ping();
    c.close();
  });

  it('answers a WebSocket control-frame ping with a pong', async () => {
    const c = await TestClient.connect(hub);
    const pong = new Promise<string>((resolve) => c.ws.once('pong', (d) => resolve(d.toString())));
    c.ws.ping('hello');
    expect(await pong).toBe('hello');
    c.close();
  });
});

describe('pusher activity timeout', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ timings: { activityTimeoutS: 0.2, pongTimeoutMs: 300 } });
  });
  afterAll(() => hub.dispose());

  it('pings an idle client and closes it with 4201 when no pong comes back', async () => {
    const c = await TestClient.connect(hub);
    await c.event('pusher:ping', undefined, 3000);
    const closed = await Promise.race([c.closed, new Promise<never>((_, rej) => setTimeout(() => rej(new Error('not closed')), 4000))]);
    expect(closed.code).toBe(4201);
  });

  it('keeps a client that answers the ping with pusher:pong', async () => {
    const c = await TestClient.connect(hub);
    for (let i = 0; i < 3; i++) {
      await c.event('pusher:ping', undefined, 3000);
      c.send({ event: 'pusher:pong', data: {} });
    }
    expect(c.ws.readyState).toBe(WebSocket.OPEN);
    await c.ping();
    c.close();
  });
});

describe('pusher graceful shutdown', () => {
  it('closes every connection with 4200 when the hub closes', async () => {
    const hub = await startTestHub();
    const a = await TestClient.connect(hub);
    const b = await TestClient.connect(hub);
    await a.subscribed('news');
    await hub.dispose();
    expect((await a.closed).code).toBe(4200);
    expect((await b.closed).code).toBe(4200);
  });
});
