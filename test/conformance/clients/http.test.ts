/** The harness's HTTP client: a connection the hub drops before answering is retried once for idempotent requests only. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequest } from '../../../conformance/clients/http.ts';
import { CheckFailure } from '../../../conformance/types.ts';
import { standInContext } from '../helpers/case-context.ts';

let server: Server;
let base: string;
const seen: string[] = [];

beforeAll(async () => {
  // Every odd-numbered request has its socket destroyed without an answer, like a keep-alive socket the
  // hub closed just as the client reused it.
  let n = 0;
  server = createServer((req, res) => {
    seen.push(req.method!);
    if (++n % 2 === 1) {
      req.socket.destroy();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const context = () => standInContext({ http: base }, 'pusher/http-api/1');

describe('httpRequest', () => {
  it('retries a GET once when the connection drops before any answer, and logs it', async () => {
    seen.length = 0;
    const { ctx, wire } = context();
    const res = await httpRequest(ctx, { method: 'GET', url: `${base}/api/hub` });
    expect(res.status).toBe(200);
    expect(seen).toEqual(['GET', 'GET']);
    expect(wire.some((w) => /retrying once/.test(w.text))).toBe(true);
  });

  it('never repeats a POST, which may have reached the hub', async () => {
    seen.length = 0;
    const { ctx } = context();
    await expect(httpRequest(ctx, { method: 'POST', url: `${base}/api/sessions`, body: {} })).rejects.toBeInstanceOf(CheckFailure);
    expect(seen).toEqual(['POST']);
  });
});
