import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { startFaultProxy, type FaultProxy } from '../../../conformance/faults/proxy.ts';

/** A ws echo server plus `GET /hello` on one port. */
let server: Server;
let upstreamPort: number;
beforeAll(async () => {
  server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`hello ${req.url}`);
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  upstreamPort = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

let proxy: FaultProxy | undefined;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  await proxy?.close();
  proxy = undefined;
});

async function start(): Promise<FaultProxy> {
  proxy = await startFaultProxy({ upstream: { host: '127.0.0.1', port: upstreamPort } });
  return proxy;
}

function open(url: string, timeoutMs = 2000): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    sockets.push(ws);
    const t = setTimeout(() => reject(new Error('open timeout')), timeoutMs);
    ws.once('open', () => (clearTimeout(t), resolve(ws)));
    ws.once('error', (e) => (clearTimeout(t), reject(e)));
  });
}

/** Resolves with the next message, or 'timeout' after ms. */
function nextMessage(ws: WebSocket, ms: number): Promise<string | 'timeout'> {
  return new Promise((resolve) => {
    const t = setTimeout(() => (ws.off('message', on), resolve('timeout')), ms);
    const on = (d: Buffer) => (clearTimeout(t), resolve(d.toString()));
    ws.once('message', on);
  });
}

function closeOf(ws: WebSocket, ms: number): Promise<{ code: number } | 'timeout'> {
  return new Promise((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) return resolve({ code: 1006 });
    const t = setTimeout(() => resolve('timeout'), ms);
    ws.once('error', () => undefined);
    ws.once('close', (code) => (clearTimeout(t), resolve({ code })));
  });
}

describe('fault proxy', () => {
  it('passes WebSocket text and binary frames through unchanged', async () => {
    const p = await start();
    const ws = await open(p.wsUrl);
    ws.send('ping-1');
    expect(await nextMessage(ws, 2000)).toBe('ping-1');
    const big = Buffer.alloc(200_000, 7);
    const got = new Promise<Buffer>((r) => ws.once('message', (d: Buffer) => r(d)));
    ws.send(big);
    expect(Buffer.compare(await got, big)).toBe(0);
    expect(p.connections()).toHaveLength(1);
    expect(p.connections()[0]!.bytesUp).toBeGreaterThan(200_000);
  });

  it('passes HTTP through', async () => {
    const p = await start();
    const res = await fetch(`${p.httpUrl}/hello?x=1`, { signal: AbortSignal.timeout(3000) });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('hello /hello?x=1');
  });

  it('adds latency while keeping order', async () => {
    const p = await start();
    const ws = await open(p.wsUrl);
    p.setLatency(150);
    const got: string[] = [];
    ws.on('message', (d) => got.push(d.toString()));
    const t0 = Date.now();
    for (let i = 0; i < 5; i++) ws.send(`m${i}`);
    await new Promise<void>((r) => {
      const poll = setInterval(() => got.length === 5 && (clearInterval(poll), r()), 10);
    });
    // Two hops delayed (up and down): well above one latency, even on a noisy machine.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    expect(got).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
  });

  it('stalls without closing, then resumes and delivers what was held', async () => {
    const p = await start();
    const ws = await open(p.wsUrl);
    p.stall();
    ws.send('held');
    expect(await nextMessage(ws, 300)).toBe('timeout');
    expect(ws.readyState).toBe(WebSocket.OPEN);
    const later = nextMessage(ws, 2000);
    p.resume();
    expect(await later).toBe('held');
  });

  it('reset() drops every connection abruptly (no close frame)', async () => {
    const p = await start();
    const a = await open(p.wsUrl);
    const b = await open(p.wsUrl);
    const closes = [closeOf(a, 2000), closeOf(b, 2000)];
    p.reset();
    for (const c of await Promise.all(closes)) expect(c).toEqual({ code: 1006 });
  });

  it('cut() ends every connection with a FIN (no close frame)', async () => {
    const p = await start();
    const a = await open(p.wsUrl);
    const c = closeOf(a, 3000);
    p.cut();
    expect(await c).toEqual({ code: 1006 });
  });

  it("scopes faults to new connections with apply: 'new'", async () => {
    const p = await start();
    const old = await open(p.wsUrl);
    p.stall({ apply: 'new' });
    await expect(open(p.wsUrl, 400)).rejects.toThrow(/timeout/);
    old.send('still-flowing');
    expect(await nextMessage(old, 2000)).toBe('still-flowing');
    p.resume();
    p.reset({ apply: 'new' });
    await expect(open(p.wsUrl, 2000)).rejects.toThrow();
    old.send('old-survives');
    expect(await nextMessage(old, 2000)).toBe('old-survives');
  });

  it('finds a connection by the client port and faults only that one', async () => {
    const p = await start();
    const a = await open(p.wsUrl);
    const b = await open(p.wsUrl);
    const localPort = (a as unknown as { _socket: { localPort: number } })._socket.localPort;
    const conn = p.connectionFor(localPort);
    expect(conn).toBeDefined();
    const closed = closeOf(a, 2000);
    conn!.reset();
    expect(await closed).toEqual({ code: 1006 });
    b.send('b-alive');
    expect(await nextMessage(b, 2000)).toBe('b-alive');
  });

  it('slowClose delays the close reaching the other side', async () => {
    const p = await start();
    const ws = await open(p.wsUrl);
    p.slowClose(300);
    const t0 = Date.now();
    const closed = closeOf(ws, 5000);
    ws.close(1000);
    expect(await closed).toEqual({ code: 1000 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
  });
});
