/**
 * A mutating relay in front of a real hub, for mutants. WebSockets: a `ws` server facing the client and
 * one `ws` client per connection to the hub, frame by frame, with hooks that may rewrite, drop, delay or
 * inject frames. HTTP: a buffered pass-through whose hooks may rewrite the request or the response.
 * Without hooks it is a faithful relay (the self-test runs the reference hub through it as the control).
 * Listens on 127.0.0.1:0 only.
 */
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';

export interface ProxyConn {
  readonly id: number;
  /** Path and query of the upgrade request (`/app/{key}?protocol=7…`, `/ws/broadcasts?…`). */
  readonly url: string;
  /** The socket_id from the hub's `pusher:connection_established`, once it has passed. */
  socketId: string | undefined;
  /** Sends to the client after every frame already queued (order is kept), no sooner than `delayMs` from now. */
  toClient(text: string, delayMs?: number): void;
  toHub(text: string): void;
  /** Closes the client side with `code` (after every frame already queued), and the hub side with it. */
  closeClient(code: number, reason: string): void;
}

/** A hook's verdict on a frame: a replacement text, `null` to drop it, `undefined` to pass it unchanged. */
export type FrameVerdict = string | null | undefined;

export interface WsHooks {
  onOpen?(conn: ProxyConn): void;
  /** `json` is the parsed frame, or undefined when it is not JSON. */
  fromClient?(conn: ProxyConn, text: string, json: unknown): FrameVerdict;
  fromHub?(conn: ProxyConn, text: string, json: unknown): FrameVerdict;
  /** The client went away (`abrupt`: without a close frame); called before the hub side is closed. */
  onClose?(conn: ProxyConn, abrupt: boolean): void;
  /** The hub closed its side with `code` (4201: it gave up on a client that answered no ping). */
  onHubClose?(conn: ProxyConn, code: number): void;
}

export interface HttpExchange {
  method: string;
  /** Path and query as the hub will see it; hooks may rewrite it. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface HttpReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface HttpHooks {
  /** Rewrites the request in place before it goes to the hub. */
  request?(req: HttpExchange): void;
  /** Rewrites the hub's answer in place before it goes to the client. */
  response?(req: HttpExchange, res: HttpReply): void;
}

export interface MutatingProxyOptions {
  /** The hub's HTTP base URL (`http://127.0.0.1:6001`); WebSockets go to the same host and port. */
  upstream: string;
  ws?: WsHooks;
  http?: HttpHooks;
  /**
   * false: one connection to the hub per HTTP request, closed after it (default true: Node's pooled
   * keep-alive agent). A relay whose descriptors are counted as the hub's must not keep a pool of its own.
   */
  keepAlive?: boolean;
  /** An HTTP status to refuse a WebSocket upgrade with (as a hub without that endpoint does), or undefined to relay it. */
  refuseUpgrade?(url: string): number | undefined;
}

export interface MutatingProxy {
  httpUrl: string;
  wsUrl: string;
  close(): Promise<void>;
}

/** How long the relay waits for a client to answer the hub's close before destroying its socket. */
const CLOSE_GRACE_MS = 1_000;

/** Headers that describe one hop and must not be copied to the next. */
const HOP_BY_HOP = ['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer'];

function stripHop(headers: IncomingHttpHeaders, length: number): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = { ...headers };
  for (const h of HOP_BY_HOP) delete out[h];
  out['content-length'] = String(length);
  return out;
}

export async function startMutatingProxy(opts: MutatingProxyOptions): Promise<MutatingProxy> {
  const up = new URL(opts.upstream);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const ex: HttpExchange = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: { ...req.headers },
        body: Buffer.concat(chunks),
      };
      opts.http?.request?.(ex);
      const fwd = request(
        {
          host: up.hostname,
          port: up.port,
          method: ex.method,
          path: ex.url,
          headers: stripHop(ex.headers, ex.body.length),
          ...(opts.keepAlive === false ? { agent: false } : {}),
        },
        (ures) => {
          const body: Buffer[] = [];
          ures.on('data', (c: Buffer) => body.push(c));
          ures.on('end', () => {
            const reply: HttpReply = { status: ures.statusCode ?? 502, headers: { ...ures.headers }, body: Buffer.concat(body) };
            opts.http?.response?.(ex, reply);
            res.writeHead(reply.status, stripHop(reply.headers, reply.body.length) as Record<string, string>);
            res.end(reply.body);
          });
          ures.on('error', () => res.destroy());
        },
      );
      fwd.on('error', () => res.destroy());
      fwd.end(ex.body);
    });
  });

  const wss = new WebSocketServer({ noServer: true });
  const upstreams = new Set<WebSocket>();
  let nextId = 0;
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const refused = opts.refuseUpgrade?.(req.url ?? '/');
    if (refused !== undefined) return void socket.end(`HTTP/1.1 ${refused} Refused\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    // Connect to the hub first, so a refused upgrade (or an early close) reaches the client as the hub sent it.
    const hub = new WebSocket(`ws://${up.host}${req.url ?? '/'}`);
    upstreams.add(hub);
    const early: Array<{ data: Buffer; binary: boolean }> = [];
    let conn: Relay | undefined;
    hub.on('message', (data: Buffer, binary: boolean) => (conn ? conn.fromHub(data, binary) : early.push({ data, binary })));
    hub.once('unexpected-response', (_r, res: IncomingMessage) => {
      socket.end(`HTTP/1.1 ${res.statusCode ?? 502} ${res.statusMessage ?? ''}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      hub.terminate();
    });
    hub.once('error', () => (conn ? undefined : socket.destroy()));
    hub.once('open', () => {
      wss.handleUpgrade(req, socket, head, (client) => {
        conn = new Relay(++nextId, req.url ?? '/', client, hub, opts.ws ?? {});
        for (const m of early.splice(0)) conn.fromHub(m.data, m.binary);
      });
    });
    hub.once('close', () => upstreams.delete(hub));
  });

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    httpUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    async close() {
      for (const c of wss.clients) c.terminate();
      for (const u of upstreams) u.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** One proxied WebSocket: client ⇄ hub, with an ordered, optionally delayed, queue towards the client. */
class Relay implements ProxyConn {
  socketId: string | undefined;
  private readonly queue: Array<{ at: number; run: () => void }> = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly id: number,
    readonly url: string,
    private readonly client: WebSocket,
    private readonly hub: WebSocket,
    private readonly hooks: WsHooks,
  ) {
    hooks.onOpen?.(this);
    client.on('message', (data: Buffer, binary: boolean) => {
      if (binary) return this.toHubRaw(data, true);
      const text = data.toString('utf8');
      const verdict = hooks.fromClient?.(this, text, parse(text));
      if (verdict !== null) this.toHub(verdict ?? text);
    });
    // A client may answer the hub's pusher:ping with a WebSocket pong (pusher/heartbeat/5): pass it on.
    client.on('pong', (data: Buffer) => {
      if (hub.readyState === WebSocket.OPEN) hub.pong(data);
    });
    // 1005 (no code) and 1006 (no close frame) cannot be sent; an abrupt end stays abrupt on the other side.
    client.on('close', (code: number, reason: Buffer) => {
      hooks.onClose?.(this, code === 1006);
      if (code === 1006) hub.terminate();
      else if (hub.readyState === WebSocket.OPEN) hub.close(code === 1005 ? undefined : code, reason);
    });
    hub.on('close', (code: number, reason: Buffer) => {
      hooks.onHubClose?.(this, code);
      this.enqueue(0, () => {
        if (client.readyState !== WebSocket.OPEN) return;
        if (code === 1006) client.terminate();
        else {
          client.close(code === 1005 ? undefined : code, reason);
          // As the reference hub: a client that does not answer the close within a second is cut off.
          setTimeout(() => client.terminate(), CLOSE_GRACE_MS).unref();
        }
      });
    });
    client.on('error', () => hub.terminate());
    hub.on('error', () => client.terminate());
  }

  fromHub(data: Buffer, binary: boolean): void {
    if (binary) return this.enqueue(0, () => this.sendClient(data, true));
    const text = data.toString('utf8');
    const json = parse(text);
    const frame = json as { event?: unknown; data?: unknown } | undefined;
    if (frame?.event === 'pusher:connection_established' && typeof frame.data === 'string') {
      this.socketId = (parse(frame.data) as { socket_id?: string } | undefined)?.socket_id;
    }
    const verdict = this.hooks.fromHub?.(this, text, json);
    if (verdict !== null) this.toClient(verdict ?? text);
  }

  toClient(text: string, delayMs = 0): void {
    this.enqueue(delayMs, () => this.sendClient(text, false));
  }

  toHub(text: string): void {
    this.toHubRaw(text, false);
  }

  closeClient(code: number, reason: string): void {
    this.enqueue(0, () => {
      if (this.client.readyState === WebSocket.OPEN) this.client.close(code, reason);
      this.hub.terminate();
    });
  }

  private toHubRaw(data: string | Buffer, binary: boolean): void {
    if (this.hub.readyState === WebSocket.OPEN) this.hub.send(data, { binary });
  }

  private sendClient(data: string | Buffer, binary: boolean): void {
    if (this.client.readyState === WebSocket.OPEN) this.client.send(data, { binary });
  }

  /** Runs `run` in queue order, no sooner than `delayMs` from now; a delayed item holds back everything behind it. */
  private enqueue(delayMs: number, run: () => void): void {
    if (delayMs <= 0 && this.queue.length === 0) return run();
    const last = this.queue.at(-1)?.at ?? 0;
    this.queue.push({ at: Math.max(Date.now() + delayMs, last), run });
    this.pump();
  }

  private pump(): void {
    if (this.timer) return;
    while (this.queue.length && this.queue[0]!.at <= Date.now()) this.queue.shift()!.run();
    if (this.queue.length) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.pump();
      }, this.queue[0]!.at - Date.now());
    }
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
