import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { RawWsClient } from '../../../load/driver/raw-ws-client.ts';

let wss: WebSocketServer | undefined;
afterEach(async () => {
  for (const c of wss?.clients ?? []) c.terminate();
  await new Promise<void>((r) => (wss ? wss.close(() => r()) : r()));
  wss = undefined;
});

async function server(onConnection: (ws: WebSocket) => void): Promise<string> {
  wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  wss.on('connection', onConnection);
  await new Promise<void>((r) => wss!.once('listening', () => r()));
  return `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/app/key?protocol=7`;
}

interface Seen {
  texts: string[];
  closed?: { code: number; reason: string };
  errors: string[];
}

function client(url: string, seen: Seen, onOpen?: (c: RawWsClient) => void): RawWsClient {
  const c: RawWsClient = new RawWsClient(url, {
    open: () => onOpen?.(c),
    text: (buf, s, e) => seen.texts.push(buf.toString('utf8', s, e)),
    close: (code, reason) => (seen.closed = { code, reason }),
    error: (err) => seen.errors.push(err.message),
  });
  return c;
}

const until = async (cond: () => boolean, ms = 5000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('RawWsClient', () => {
  it('receives small, 16-bit and 64-bit length text frames intact, in order', async () => {
    const big = 'y'.repeat(70_000);
    const url = await server((ws) => {
      ws.send('hello');
      ws.send('x'.repeat(300));
      ws.send(big);
    });
    const seen: Seen = { texts: [], errors: [] };
    const c = client(url, seen);
    await until(() => seen.texts.length === 3);
    expect(seen.texts.map((t) => t.length)).toEqual([5, 300, 70_000]);
    expect(seen.texts[2]).toBe(big);
    c.close();
  });

  it('reassembles a fragmented message', async () => {
    const url = await server((ws) => {
      ws.send('part one, ', { fin: false });
      ws.send('part two', { fin: true });
    });
    const seen: Seen = { texts: [], errors: [] };
    const c = client(url, seen);
    await until(() => seen.texts.length === 1);
    expect(seen.texts[0]).toBe('part one, part two');
    c.close();
  });

  it('sends masked text frames the server can read, and answers pings with pongs', async () => {
    let got = '';
    let pong = '';
    const url = await server((ws) => {
      ws.on('message', (d) => (got = d.toString()));
      ws.on('pong', (d) => (pong = d.toString()));
      ws.ping('are-you-there');
    });
    const seen: Seen = { texts: [], errors: [] };
    const c = client(url, seen, (cl) => cl.sendText('{"event":"pusher:subscribe"}'));
    await until(() => got !== '' && pong !== '');
    expect(got).toBe('{"event":"pusher:subscribe"}');
    expect(pong).toBe('are-you-there');
    c.close();
  });

  it('reports the server close code and reason', async () => {
    const url = await server((ws) => ws.close(4200, 'going away'));
    const seen: Seen = { texts: [], errors: [] };
    client(url, seen);
    await until(() => seen.closed !== undefined);
    expect(seen.closed).toEqual({ code: 4200, reason: 'going away' });
  });

  it('fails with an error when nothing listens', async () => {
    const seen: Seen = { texts: [], errors: [] };
    client('ws://127.0.0.1:9/app/key', seen);
    await until(() => seen.errors.length > 0);
    expect(seen.closed?.code).toBe(1006);
  });

  it('fails naming the status when the server refuses the upgrade', async () => {
    const http = createServer((_req, res) => res.writeHead(404).end());
    http.on('upgrade', (_req, socket) => socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n'));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
    try {
      const seen: Seen = { texts: [], errors: [] };
      client(`ws://127.0.0.1:${(http.address() as AddressInfo).port}/nope`, seen);
      await until(() => seen.errors.length > 0);
      expect(seen.errors[0]).toMatch(/upgrade refused: HTTP\/1\.1 404/);
    } finally {
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    }
  });
});
