/**
 * Scaffolding for a broken hub written by hand, when no correct hub behind a relay can show the fault: an
 * HTTP server with a WebSocket endpoint on 127.0.0.1:0, Pusher framing, the target file and a clean close.
 * The hub itself is the spec's `http` and `connection` handlers.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { encodeFrame } from '../../spec/protocol/frames.ts';
import type { TargetFile } from '../../spec/target.ts';
import type { BrokenHub } from './broken-hub.ts';

export interface HandWrittenHubSpec {
  /** The target file's fields other than `nodes` (filled in with the hub's loopback URLs). */
  target: Omit<TargetFile, 'nodes'>;
  /** Answers an HTTP request whose body has been read; absent = 404 for everything. */
  http?(req: IncomingMessage, body: string, res: ServerResponse): void;
  /** A WebSocket client connected. */
  connection(ws: WebSocket, req: IncomingMessage): void;
}

/** Sends a Pusher frame (`data` double-encoded as hubs send it). */
export function sendFrame(ws: WebSocket, event: string, data: unknown, channel?: string): void {
  ws.send(encodeFrame(event, data, channel));
}

export async function startHandWrittenHub(spec: HandWrittenHubSpec): Promise<BrokenHub> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => (spec.http ? spec.http(req, body, res) : res.writeHead(404).end()));
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws, req) => spec.connection(ws, req));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    target: { ...spec.target, nodes: [{ ws: `ws://127.0.0.1:${port}`, http: `http://127.0.0.1:${port}` }] },
    async close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
