/**
 * A deliberately broken hub for the suite's own tests: a relay in front of the real reference hub that
 * breaks one guarantee on the wire (the hub behind it stays correct). HTTP is forwarded byte for byte
 * except where the mutation edits history pages; WebSockets are relayed frame by frame except where it
 * drops or reorders events. The harness sees an ordinary target.
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import type { TargetFile } from '../../../spec/target.ts';

export type Mutation =
  /** Holds the 3rd sync event of each channel and sends it after the 4th. */
  | 'swap-events'
  /** Never delivers the 3rd sync event of each channel (history keeps it). */
  | 'drop-event'
  /** Removes the event with seq 4 from every history page (the broadcast still carries it). */
  | 'strip-history'
  /** Delivers only every other presence_update to each dashboard. */
  | 'drop-presence';

export interface BrokenHub {
  target: TargetFile;
  close(): Promise<void>;
}

export async function startBrokenHub(upstream: TargetFile, mutation: Mutation): Promise<BrokenHub> {
  const up = new URL(upstream.nodes[0]!.http);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const fwd = request({ host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers }, (ures) => {
        const body: Buffer[] = [];
        ures.on('data', (c: Buffer) => body.push(c));
        ures.on('end', () => {
          let out = Buffer.concat(body);
          if (mutation === 'strip-history' && /^\/api\/channels\/[^/]+\/events/.test(req.url ?? '') && ures.statusCode === 200) {
            const page = JSON.parse(out.toString('utf8')) as { events: Array<{ seq: number }> };
            page.events = page.events.filter((e) => e.seq !== 4);
            out = Buffer.from(JSON.stringify(page));
          }
          const headers = { ...ures.headers, 'content-length': String(out.length) };
          delete headers['transfer-encoding'];
          res.writeHead(ures.statusCode ?? 502, headers);
          res.end(out);
        });
      });
      fwd.on('error', () => res.destroy());
      fwd.end(Buffer.concat(chunks));
    });
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req: IncomingMessage, socket, head) => {
    wss.handleUpgrade(req, socket, head, (client) => relay(client, `ws://${up.host}${req.url ?? '/'}`, mutation));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    target: { ...upstream, name: `broken (${mutation})`, nodes: [{ ws: `ws://127.0.0.1:${port}`, http: `http://127.0.0.1:${port}` }], restart: undefined, process: undefined },
    close: async () => {
      for (const c of wss.clients) c.terminate();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function relay(client: WebSocket, url: string, mutation: Mutation): void {
  const upstream = new WebSocket(url);
  const pending: Array<{ data: string; binary: boolean }> = [];
  const counts = new Map<string, number>();
  const held = new Map<string, string>();
  let presenceCount = 0;
  upstream.on('open', () => {
    for (const p of pending.splice(0)) upstream.send(p.data, { binary: p.binary });
  });
  client.on('message', (data: Buffer, binary: boolean) => {
    const text = data.toString('utf8');
    if (upstream.readyState === WebSocket.OPEN) upstream.send(text, { binary });
    else pending.push({ data: text, binary });
  });
  const toClient = (text: string) => client.readyState === WebSocket.OPEN && client.send(text);
  upstream.on('message', (data: Buffer) => {
    const text = data.toString('utf8');
    let frame: { event?: string; channel?: string; type?: string };
    try {
      frame = JSON.parse(text) as typeof frame;
    } catch {
      return toClient(text);
    }
    if (frame.type === 'presence_update' && mutation === 'drop-presence') {
      if (presenceCount++ % 2 === 1) return;
      return toClient(text);
    }
    if (!frame.channel || !frame.event?.startsWith('App\\Events\\')) return toClient(text);
    const n = (counts.get(frame.channel) ?? 0) + 1;
    counts.set(frame.channel, n);
    if (mutation === 'drop-event' && n === 3) return;
    if (mutation === 'swap-events') {
      if (n === 3) return void held.set(frame.channel, text);
      toClient(text);
      const h = held.get(frame.channel);
      if (h) {
        held.delete(frame.channel);
        toClient(h);
      }
      return;
    }
    toClient(text);
  });
  upstream.on('close', (code, reason) => client.readyState === WebSocket.OPEN && client.close(code === 1005 || code === 1006 ? 1000 : code, reason));
  client.on('close', () => upstream.close());
  upstream.on('error', () => client.terminate());
  client.on('error', () => upstream.terminate());
}
