/**
 * The scripted presence stream and the page sources, without a browser: the token is checked on the
 * stream (1008) and the API (401), updates reach every open stream, a drop has no close frame, a stream
 * that is down refuses handshakes and records them, and the page is served from a folder or fetched from
 * a URL, never from outside the folder.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { pageFromFolder, pageFromUrl } from '../../../../conformance/client/dashboard/page-source.ts';
import { PresenceStream } from '../../../../conformance/client/dashboard/presence-stream.ts';

const dir = mkdtempSync(join(tmpdir(), 'hubproof-dashboard-page-'));
writeFileSync(join(dir, 'index.html'), '<p>page</p>');
writeFileSync(join(dir, 'app.js'), 'export {};');

const controller = new AbortController();
const wire: string[] = [];
let stream: PresenceStream;
afterEach(() => stream?.close());

async function start(): Promise<PresenceStream> {
  let t = 0;
  stream = await PresenceStream.start({
    now: () => ++t,
    log: (dir, conn, text) => wire.push(`${dir} ${conn} ${text}`),
    signal: controller.signal,
    page: pageFromFolder(dir),
  });
  return stream;
}

function connect(s: PresenceStream, token: string): Promise<{ ws: WebSocket; messages: string[]; closed: Promise<number> }> {
  const ws = new WebSocket(`ws://127.0.0.1:${s.port}/ws/broadcasts?token=${token}`);
  const messages: string[] = [];
  ws.on('message', (d) => messages.push(String(d)));
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  ws.on('error', () => undefined);
  return new Promise((resolve) => {
    ws.on('open', () => resolve({ ws, messages, closed }));
    ws.on('unexpected-response', () => resolve({ ws, messages, closed }));
  });
}

describe('scripted presence stream', () => {
  it('closes a stream with a wrong token with 1008, and broadcasts updates to the open ones', async () => {
    const s = await start();
    const bad = await connect(s, 'nope');
    expect(await bad.closed).toBe(1008);
    const good = await connect(s, s.token);
    await s.until(() => s.open().length === 1, 1000);
    const u = s.update('claude-1', { total_tools_executed: 3 });
    await vi.waitFor(() => expect(good.messages).toHaveLength(1), { interval: 5 });
    expect(JSON.parse(good.messages[0]!)).toEqual(u);
    expect(s.connections.map((c) => [c.token, c.closed?.code])).toEqual([
      ['nope', 1008],
      [s.token, undefined],
    ]);
    good.ws.close();
  });

  it('answers GET /api/presence with the agents for the bearer token, 401 otherwise or when told to refuse', async () => {
    const s = await start();
    s.update('claude-1', { status: 'idle' }, { broadcast: false });
    const get = (token: string) => fetch(`http://127.0.0.1:${s.port}/api/presence`, { headers: { authorization: `Bearer ${token}` } });
    const ok = await get(s.token);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { agents: Array<{ agent_id: string; status: string }> }).agents).toMatchObject([
      { agent_id: 'claude-1', status: 'idle' },
    ]);
    expect((await get('nope')).status).toBe(401);
    s.refuse.api = true;
    expect((await get(s.token)).status).toBe(401);
    expect(s.presenceRequests().map((r) => r.status)).toEqual([200, 401, 401]);
  });

  it('drops streams without a close frame, and refuses and records handshakes while down', async () => {
    const s = await start();
    const c = await connect(s, s.token);
    s.down(10_000);
    s.dropAll();
    expect(await c.closed).toBe(1006);
    await connect(s, s.token);
    await s.until(() => s.connections.length === 2, 1000);
    expect(s.connections[1]).toMatchObject({ refused: true, closed: { code: 1006, by: 'hub' } });
  });

  it('serves the page from its folder, and nothing outside it', async () => {
    const s = await start();
    const get = (path: string) => fetch(`http://127.0.0.1:${s.port}${path}`);
    expect(await (await get('/dashboard?token=x')).text()).toBe('<p>page</p>');
    const js = await get('/dashboard/app.js');
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect((await get('/dashboard/..%2F..%2Fetc%2Fpasswd')).status).toBe(404);
    expect((await get('/dashboard/missing.js')).status).toBe(404);
    expect(s.pageUrl).toBe(`http://127.0.0.1:${s.port}/dashboard?token=${s.token}`);
  });

  it('fetches a page given by URL from its origin, under the same paths, once each', async () => {
    const paths: string[] = [];
    const origin = createServer((req, res) => {
      paths.push(req.url!);
      if (req.url === '/board') res.writeHead(200, { 'content-type': 'text/html' }).end('<p>board</p>');
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
    const page = pageFromUrl(`http://127.0.0.1:${(origin.address() as AddressInfo).port}/board?x=1`);
    expect(page.path).toBe('/board');
    expect((await page.fetch('/board'))?.body.toString()).toBe('<p>board</p>');
    await page.fetch('/board');
    expect(await page.fetch('/nothing.js')).toBeUndefined();
    expect(paths).toEqual(['/board', '/nothing.js']);
    origin.close();
  });

  it('refuses a --client-url that is not an http(s) URL', () => {
    expect(() => pageFromUrl('dashboard')).toThrow(/is not a URL/);
    expect(() => pageFromUrl('file:///tmp/x.html')).toThrow(/is not an http\(s\) URL/);
  });
});
