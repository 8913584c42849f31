import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient } from '../../../load/driver/http-client.ts';
import { RawHttpClient } from '../../../load/driver/raw-http-client.ts';

let server: Server | undefined;
let tcp: TcpServer | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
  await new Promise<void>((r) => (tcp ? tcp.close(() => r()) : r()));
  tcp = undefined;
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<string> {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, res, Buffer.concat(chunks).toString()));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/prefix`;
}

describe('raw HTTP client', () => {
  it('sends method, prefixed path, query, headers and body, and reads Content-Length answers over kept-alive sockets', async () => {
    const seen: string[] = [];
    const base = await serve((req, res, body) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''} ${req.headers['content-type']} ${body}`);
      res.end(JSON.stringify({ ok: req.url }));
    });
    const c = new RawHttpClient({ base, maxSockets: 2 });
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        c.request('POST', `/apps/1/events`, { query: { n: String(i) }, body: `{"i":${i}}`, headers: { authorization: 'Bearer t' } }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(new Array(20).fill(200));
    expect(answers[3]!.body).toBe('{"ok":"/prefix/apps/1/events?n=3"}');
    expect(seen[0]).toBe('POST /prefix/apps/1/events?n=0 Bearer t application/json {"i":0}');
    expect(c.maxInFlight).toBe(20);
    expect(c.inFlight).toBe(0);
    expect(server!.connections ?? 0).toBeLessThanOrEqual(2);
    c.close();
  });

  it('reads chunked answers and counts 4xx/5xx as failures with the body', async () => {
    const base = await serve((req, res) => {
      res.statusCode = req.url?.includes('bad') ? 401 : 200;
      res.write('{"part":');
      res.end('1}');
    });
    const c = new RawHttpClient({ base });
    expect(await c.request('POST', '/ok', { body: '{}' })).toEqual({ status: 200, body: '{"part":1}' });
    expect(await c.request('POST', '/bad', { body: '{}' })).toEqual({ status: 401, body: '{"part":1}' });
    expect(c.failures).toBe(1);
    expect(c.failureSamples[0]).toBe('POST /bad → 401 {"part":1}');
    c.close();
  });

  it('opens a new connection after Connection: close, and answers status 0 when the server drops one mid-request', async () => {
    let n = 0;
    const base = await serve((req, res) => {
      n++;
      if (req.url?.endsWith('/drop')) return req.socket.destroy();
      res.setHeader('connection', 'close');
      res.end('{}');
    });
    const c = new RawHttpClient({ base, maxSockets: 1 });
    expect((await c.request('GET', '/a')).status).toBe(200);
    expect((await c.request('GET', '/b')).status).toBe(200);
    const dropped = await c.request('GET', '/drop');
    expect(dropped.status).toBe(0);
    expect(c.failureSamples.at(-1)).toMatch(/^GET \/drop: /);
    expect(n).toBe(3);
    c.close();
  });
});

/**
 * How real servers end kept-alive connections: `silent` closes after `after` answers without saying so
 * (Laravel Reverb 1.10: after every answer, no Connection header), `announced` says `Connection: close` on
 * the last one, `node-limit` is Node's `server.maxRequestsPerSocket` (the last answer says close; a request
 * written after it would get 503). Counts what the server read, per request id, and the connections.
 */
async function closingServer(
  mode: 'silent' | 'announced' | 'node-limit' | 'keep-alive',
  after = 1,
): Promise<{ base: string; reads: Map<string, number>; connections: () => number }> {
  const reads = new Map<string, number>();
  const answers = new WeakMap<object, number>();
  let connections = 0;
  await serve((req, res) => {
    const id = new URL(req.url!, 'http://x').searchParams.get('id') ?? '';
    reads.set(id, (reads.get(id) ?? 0) + 1);
    const n = (answers.get(req.socket) ?? 0) + 1;
    answers.set(req.socket, n);
    const last = mode !== 'keep-alive' && mode !== 'node-limit' && n >= after;
    if (last && mode === 'announced') res.setHeader('connection', 'close');
    if (last && mode === 'silent') res.removeHeader('connection');
    res.writeHead(200, { 'content-length': 2 });
    res.end('{}', last && mode === 'silent' ? () => req.socket.destroy() : undefined);
  });
  if (mode === 'node-limit') server!.maxRequestsPerSocket = after;
  server!.on('connection', () => connections++);
  return { base: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, reads, connections: () => connections };
}

/** `n` requests, `burst` at a time (each waits for an answer before the next is due: a queue, so sockets are reused at once). */
async function publish(c: RawHttpClient | HttpClient, n: number, burst: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < n; i += burst) {
    const rs = await Promise.all(
      Array.from({ length: Math.min(burst, n - i) }, (_, k) =>
        c.request('POST', '/apps/1/events', { query: { id: String(i + k) }, body: '{}' }),
      ),
    );
    statuses.push(...rs.map((r) => r.status));
  }
  return statuses;
}

describe('raw HTTP client against servers that end kept-alive connections', () => {
  it('publishes every request exactly once through a server that closes after every answer without saying so', async () => {
    const s = await closingServer('silent', 1);
    const c = new RawHttpClient({ base: s.base, maxSockets: 2 });
    const statuses = await publish(c, 60, 6);
    expect(statuses, c.failureSamples.join('; ')).toEqual(new Array(60).fill(200));
    // Every id read once: the retry went out only for requests the server never read.
    expect([...s.reads.values()].filter((k) => k !== 1)).toEqual([]);
    expect(s.reads.size).toBe(60);
    expect(c.reuseLimit).toBe(1);
    // Only the requests written before the client learned the limit needed a second try.
    expect(c.retries).toBeGreaterThan(0);
    expect(c.retries).toBeLessThanOrEqual(2);
    expect(c.retrySamples[0]).toMatch(/after answer 1 on its connection/);
    c.close();
  });

  it('learns a silent limit of N answers per connection and keeps N-answer connections', async () => {
    const s = await closingServer('silent', 5);
    const c = new RawHttpClient({ base: s.base, maxSockets: 1 });
    expect(await publish(c, 40, 4)).toEqual(new Array(40).fill(200));
    expect(s.reads.size).toBe(40);
    expect([...s.reads.values()].every((k) => k === 1)).toBe(true);
    expect(c.reuseLimit).toBe(5);
    expect(s.connections()).toBeLessThanOrEqual(10);
    c.close();
  });

  it('opens a new connection after each Connection: close, and after Node maxRequestsPerSocket answers, with nothing retried', async () => {
    for (const [mode, after] of [
      ['announced', 1],
      ['node-limit', 3],
    ] as const) {
      const s = await closingServer(mode, after);
      const c = new RawHttpClient({ base: s.base, maxSockets: 2 });
      expect(await publish(c, 30, 5), mode).toEqual(new Array(30).fill(200));
      expect(s.reads.size).toBe(30);
      expect(c.retries).toBe(0);
      expect(c.reuseLimit).toBe(Infinity);
      expect(s.connections()).toBeGreaterThanOrEqual(30 / after);
      c.close();
      server!.closeAllConnections();
      await new Promise<void>((r) => server!.close(() => r()));
      server = undefined;
    }
  });

  it('keeps connections alive on a keep-alive server: no retry, no limit, a handful of connections', async () => {
    const s = await closingServer('keep-alive');
    const c = new RawHttpClient({ base: s.base, maxSockets: 3 });
    expect(await publish(c, 60, 3)).toEqual(new Array(60).fill(200));
    expect(c.retries).toBe(0);
    expect(c.reuseLimit).toBe(Infinity);
    expect(s.connections()).toBeLessThanOrEqual(3);
    c.close();
  });

  it('retries at most once, and never a request on a fresh connection', async () => {
    const reads: string[] = [];
    await serve((req, res) => {
      reads.push(req.url!);
      // Answers /ok; reads anything else and hangs up without an answer.
      if (req.url === '/ok') res.end('{}');
      else req.socket.destroy();
    });
    const base = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
    // A fresh connection: the server had no reason to close it before reading, so no retry.
    const fresh = new RawHttpClient({ base, maxSockets: 1 });
    expect((await fresh.request('POST', '/hang', { body: '{}' })).status).toBe(0);
    expect(fresh.retries).toBe(0);
    fresh.close();
    // A reused connection the server ends with no answer is retried once, on a new connection, and then given up:
    // a server that read it and hung up without answering gets it twice, and the retry is counted.
    const reused = new RawHttpClient({ base, maxSockets: 1 });
    expect((await reused.request('POST', '/ok', { body: '{}' })).status).toBe(200);
    expect((await reused.request('POST', '/hang-again', { body: '{}' })).status).toBe(0);
    expect(reused.retries).toBe(1);
    expect(reads).toEqual(['/hang', '/ok', '/hang-again', '/hang-again']);
    expect(reused.failureSamples[0]).toMatch(/^POST \/hang-again: /);
    reused.close();
  });

  it('reads an answer with neither Content-Length nor chunking up to the close', async () => {
    tcp = createTcpServer((sock) => sock.once('data', () => sock.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it')));
    await new Promise<void>((r) => tcp!.listen(0, '127.0.0.1', () => r()));
    const c = new RawHttpClient({ base: `http://127.0.0.1:${(tcp.address() as AddressInfo).port}` });
    expect(await c.request('GET', '/')).toEqual({ status: 200, body: 'all of it' });
    expect(c.failures).toBe(0);
    c.close();
  });
});

describe("Node's http client (https targets) against a server that closes after every answer", () => {
  it('publishes every request exactly once, retrying only those written into a socket the server had closed', async () => {
    const s = await closingServer('silent', 1);
    const c = new HttpClient({ base: s.base, maxSockets: 2 });
    const statuses = await publish(c, 40, 4);
    expect(statuses, c.failureSamples.join('; ')).toEqual(new Array(40).fill(200));
    expect(s.reads.size).toBe(40);
    expect([...s.reads.values()].every((k) => k === 1)).toBe(true);
    c.close();
  });
});
