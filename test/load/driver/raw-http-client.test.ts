import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RawHttpClient } from '../../../load/driver/raw-http-client.ts';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
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
