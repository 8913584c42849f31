/**
 * The bare broadcast server: the least a Pusher-speaking hub must do, with nothing else in the way. It is
 * the baseline in `hubproof bench` (what the driver and the machine can do without the hub's logic) and the
 * fault-injection fixture of the load tests (`delayMs`, `dropEvery`, `refuseEvery`, and the HTTP connection
 * behaviours of real servers: `closeAfter`, `announceClose`, `maxRequestsPerSocket`).
 *   - `WS /app/{key}`: pusher:connection_established; pusher:subscribe → subscription_succeeded (no auth
 *     check); pusher:ping → pusher:pong.
 *   - `POST /apps/{id}/events`: optionally signature-checked; encodes the frame once and writes the same
 *     buffer to every subscriber of the channel(s) (with `coalesce`, one write per socket per loop turn).
 *   - `WS /ws/broadcasts` + `POST /api/presence/{agent}/events`: the same for presence dashboards.
 * Run alone: `node --import tsx bench/bare-ws-server.ts --port 0 --target-out bare.json [--coalesce]
 * [--close-after N [--announce-close]] [--max-requests N]`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { WebSocketServer, type WebSocket } from 'ws';
import { encodeFrame, PusherEvent, verifyHttpRequest } from '../spec/protocol/index.ts';
import { textFrame } from '../reference-server/wire/text-frame.ts';
import { writeThisTurn } from '../reference-server/wire/turn-writes.ts';
import type { TargetFile } from '../spec/target.ts';

export interface BareServerOptions {
  /** 0 picks a free port (default 0). */
  port?: number;
  host?: string;
  app?: { id: string; key: string; secret: string };
  /** Check the HTTP API signature like a real hub (default true; costs one HMAC + MD5 per publish). */
  verifySignatures?: boolean;
  /** Fault injection: hold every broadcast this long, ms (default 0). */
  delayMs?: number;
  /** Fault injection: silently drop every Nth published event (default 0 = never). */
  dropEvery?: number;
  /** Fault injection: refuse every Nth publish with 503, delivering nothing (default 0 = never). */
  refuseEvery?: number;
  /**
   * Coalesce each subscriber's writes per event-loop turn (reference-server/wire/turn-writes.ts), as the
   * reference hub and uWebSockets-based hubs do: events published in one turn reach a socket in one write,
   * so server and client pay one TCP segment for them instead of one each. `hubproof bench` and
   * `bench --driver` turn it on; off, every frame is a write of its own (default false).
   */
  coalesce?: boolean;
  /**
   * How the HTTP API treats its connections (default: kept alive). `closeAfter: N` closes each connection
   * once it has answered N requests; without `announceClose` the last answer does not say so (no
   * `Connection` header at all), as Laravel Reverb 1.10 does after every response (`closeAfter: 1`).
   * `maxRequestsPerSocket` is Node's own limit: the Nth answer says `Connection: close`, and a request
   * written after it is answered 503.
   */
  closeAfter?: number;
  announceClose?: boolean;
  maxRequestsPerSocket?: number;
}

export interface BareServer {
  port: number;
  httpUrl: string;
  wsUrl: string;
  target(): TargetFile;
  /** Events accepted and events dropped by fault injection. */
  stats(): { published: number; dropped: number; connections: number };
  close(): Promise<void>;
}

/** A subscriber: its ws (for control frames) and the raw TCP socket broadcasts are written to. */
interface Peer {
  ws: WebSocket;
  socket: Duplex;
}

const DEFAULT_APP = { id: '1', key: 'bare-key', secret: 'bare-secret-0000' };

export async function startBareServer(options: BareServerOptions = {}): Promise<BareServer> {
  const o = {
    port: 0,
    host: '127.0.0.1',
    app: DEFAULT_APP,
    verifySignatures: true,
    delayMs: 0,
    dropEvery: 0,
    refuseEvery: 0,
    coalesce: false,
    closeAfter: 0,
    announceClose: false,
    maxRequestsPerSocket: 0,
    ...options,
  };
  const answers = new WeakMap<object, number>();
  const channels = new Map<string, Set<Peer>>();
  const dashboards = new Set<Peer>();
  let published = 0;
  let dropped = 0;
  let requests = 0;
  let nextSocket = 1;
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 64 * 1024 });

  /** Frames the text once, then writes the same bytes to every peer's TCP socket: no per-subscriber framing. */
  const deliver = (targets: Iterable<Peer>, text: Buffer): void => {
    published++;
    if (o.dropEvery > 0 && published % o.dropEvery === 0) {
      dropped++;
      return;
    }
    const frame = textFrame(text);
    const send = (): void => {
      for (const p of targets) {
        if (p.ws.readyState !== 1) continue;
        if (o.coalesce) writeThisTurn(p.socket, frame);
        else p.socket.write(frame);
      }
    };
    if (o.delayMs > 0) setTimeout(send, o.delayMs);
    else send();
  };

  const onHttp = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://x');
      const reply = (status: number, json: unknown): void => {
        const text = JSON.stringify(json);
        const answered = (answers.get(req.socket) ?? 0) + 1;
        answers.set(req.socket, answered);
        const closing = o.closeAfter > 0 && answered >= o.closeAfter;
        if (closing && o.announceClose) res.setHeader('connection', 'close');
        else if (closing) res.removeHeader('connection');
        res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        // Closed once the answer is flushed: a request the client wrote meanwhile is never read.
        res.end(text, closing && !o.announceClose ? () => req.socket.destroy() : undefined);
      };
      try {
        const isPublish =
          req.method === 'POST' && (url.pathname === `/apps/${o.app.id}/events` || url.pathname.startsWith('/api/presence/'));
        if (isPublish && o.refuseEvery > 0 && ++requests % o.refuseEvery === 0)
          return reply(503, { error: { code: 'refused', message: 'fault injection' } });
        if (req.method === 'POST' && url.pathname === `/apps/${o.app.id}/events`) {
          if (o.verifySignatures) {
            const v = verifyHttpRequest(o.app, { method: 'POST', path: url.pathname, query: Object.fromEntries(url.searchParams), body });
            if (!v.ok) return reply(401, { error: { code: v.reason, message: 'bad signature' } });
          }
          const ev = JSON.parse(body) as { name: string; data: string; channel?: string; channels?: string[] };
          for (const ch of ev.channels ?? (ev.channel ? [ev.channel] : [])) {
            deliver(channels.get(ch) ?? [], Buffer.from(encodeFrame(ev.name, ev.data, ch)));
          }
          return reply(200, {});
        }
        const presence = /^\/api\/presence\/([^/]+)\/events$/.exec(url.pathname);
        if (req.method === 'POST' && presence) {
          const ev = JSON.parse(body) as { event_type: string; tool_name: string; session_id: string; feature_id?: string | null };
          const agentId = decodeURIComponent(presence[1]!);
          const now = new Date().toISOString();
          const update = {
            type: 'presence_update',
            event_type: ev.event_type,
            agent_id: agentId,
            presence: {
              agent_id: agentId,
              status: 'active',
              current_feature_id: ev.feature_id ?? null,
              last_tool_name: ev.tool_name,
              last_activity: now,
              total_tools_executed: 1,
              total_cost_tokens: 0,
              session_id: ev.session_id,
            },
            timestamp: now,
          };
          deliver(dashboards, Buffer.from(JSON.stringify(update)));
          return reply(200, {});
        }
        reply(404, { error: { code: 'not_found', message: `${req.method} ${url.pathname}` } });
      } catch (err) {
        reply(400, { error: { code: 'bad_request', message: (err as Error).message } });
      }
    });
  };

  const server = createServer(onHttp);
  if (o.maxRequestsPerSocket > 0) server.maxRequestsPerSocket = o.maxRequestsPerSocket;
  server.on('upgrade', (req, socket, head) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === `/app/${o.app.key}`) {
      wss.handleUpgrade(req, socket, head, (ws) => onPusher({ ws, socket }));
    } else if (path === '/ws/broadcasts') {
      wss.handleUpgrade(req, socket, head, (ws) => {
        const peer = { ws, socket };
        dashboards.add(peer);
        ws.on('close', () => dashboards.delete(peer));
      });
    } else {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
    }
  });

  const onPusher = (peer: Peer): void => {
    const { ws } = peer;
    const mine = new Set<string>();
    const socketId = `${nextSocket++}.${Math.floor(Math.random() * 1e6)}`;
    ws.send(encodeFrame(PusherEvent.CONNECTION_ESTABLISHED, { socket_id: socketId, activity_timeout: 120 }));
    ws.on('message', (raw) => {
      let f: { event?: string; data?: { channel?: string } };
      try {
        f = JSON.parse(raw.toString()) as typeof f;
      } catch {
        return;
      }
      const ch = f.data?.channel;
      if (f.event === PusherEvent.SUBSCRIBE && typeof ch === 'string') {
        let set = channels.get(ch);
        if (!set) channels.set(ch, (set = new Set()));
        set.add(peer);
        mine.add(ch);
        ws.send(encodeFrame(PusherEvent.SUBSCRIPTION_SUCCEEDED, {}, ch));
      } else if (f.event === PusherEvent.UNSUBSCRIBE && typeof ch === 'string') {
        channels.get(ch)?.delete(peer);
        mine.delete(ch);
      } else if (f.event === PusherEvent.PING) {
        ws.send(encodeFrame(PusherEvent.PONG, {}));
      }
    });
    ws.on('close', () => {
      for (const ch of mine) channels.get(ch)?.delete(peer);
    });
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const httpUrl = `http://${o.host}:${port}`;
  const wsUrl = `ws://${o.host}:${port}`;
  return {
    port,
    httpUrl,
    wsUrl,
    target: () => ({
      name: 'bare-ws-broadcast',
      profiles: ['pusher', 'agent-presence'],
      nodes: [{ ws: wsUrl, http: httpUrl }],
      app: { ...o.app },
      agents: [{ identifier: 'bare-agent', token: 'bare-token-0001', projects: [1] }],
      process: { pid: process.pid },
    }),
    stats: () => ({ published, dropped, connections: wss.clients.size }),
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

// Standalone: a child process whose RSS is the bare server's own.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      'target-out': { type: 'string' },
      'delay-ms': { type: 'string', default: '0' },
      'drop-every': { type: 'string', default: '0' },
      'refuse-every': { type: 'string', default: '0' },
      coalesce: { type: 'boolean', default: false },
      'close-after': { type: 'string', default: '0' },
      'announce-close': { type: 'boolean', default: false },
      'max-requests': { type: 'string', default: '0' },
    },
  });
  const bare = await startBareServer({
    port: Number(values.port),
    delayMs: Number(values['delay-ms']),
    dropEvery: Number(values['drop-every']),
    refuseEvery: Number(values['refuse-every']),
    coalesce: values.coalesce,
    closeAfter: Number(values['close-after']),
    announceClose: values['announce-close'],
    maxRequestsPerSocket: Number(values['max-requests']),
  });
  const target = bare.target();
  if (values['target-out']) writeFileSync(values['target-out'], JSON.stringify(target, null, 2));
  process.stdout.write(`bare ws server listening on ${bare.httpUrl}\n`);
  const stop = (): void => void bare.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
