/**
 * The sync API `hubproof client --profile sync-client` plays: a small server of the harness's own on
 * 127.0.0.1 port 0, one per case, answering the sync routes an agent calls (sync-routes.ts) and the
 * Pusher event stream on the same port (sync-stream.ts). Well behaved by default; a case scripts faults
 * through its levers: refuse the next N connections of a route (the request's connection is closed
 * unanswered, so every attempt is counted and named), answer the next N requests of a route with a 5xx,
 * drop every stream connection, broadcast, or keep an event for history only. It records every request
 * and stream connection on the case clock, which the case judges from.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import type { SyncEventName } from '../../../spec/schemas/sync.ts';
import { Changes } from '../changes.ts';
import { answer, DEFAULT_HEARTBEAT_INTERVAL_MS, routeOf, SESSION_CHANNEL, type RouteState, type SyncRoute } from './sync-routes.ts';
import { SyncStream, type HistoryEntry } from './sync-stream.ts';

export interface SyncApiOptions {
  now(): number;
  log(dir: '>' | '<' | 'http>' | 'http<' | 'close' | 'open' | 'note' | 'fault', conn: string, text: string): void;
  signal: AbortSignal;
  /** Advertised in `GET /api/hub` (default 300 ms, so heartbeat cases take about a second). */
  heartbeatIntervalMs?: number;
}

/** One request (or stream connection attempt) as the API saw it. */
export interface SyncRequest {
  n: number;
  /** When its head arrived (case clock, ms). */
  t: number;
  route: SyncRoute;
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: string;
  /** The status answered, `refused` (closed unanswered by the script), or `accepted` for a stream upgrade. */
  outcome: number | 'refused' | 'accepted';
  /** When the answer (or the refusal) went out. */
  answeredAt?: number;
}

export const SCRIPTED_SYNC_APP = { id: '1', key: 'hubproof-sync-key', secret: 'hubproof-sync-secret' } as const;

export class ScriptedSyncApi {
  readonly requests: SyncRequest[] = [];
  readonly changes = new Changes();
  readonly stream: SyncStream;
  readonly app = SCRIPTED_SYNC_APP;
  private readonly state: RouteState;
  private readonly faults = new Map<SyncRoute, Array<'refuse' | number>>();
  private readonly sockets = new Set<Socket>();
  private readonly wss = new WebSocketServer({ noServer: true });
  private server: Server | undefined;

  private constructor(private readonly opts: SyncApiOptions) {
    this.stream = new SyncStream(this.app, { now: opts.now, log: opts.log, notify: () => this.changes.notify() });
    this.state = {
      app: this.app,
      stream: this.stream,
      heartbeatIntervalMs: opts.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS,
      participants: new Map(),
      todos: 0,
      keys: new Map(),
    };
  }

  static async start(opts: SyncApiOptions): Promise<ScriptedSyncApi> {
    const api = new ScriptedSyncApi(opts);
    const server = createServer((req, res) => {
      void api.onRequest(req).then((a) => {
        if (a === 'refused') return void req.socket.destroy();
        res.writeHead(a.status, a.body === undefined ? {} : { 'content-type': 'application/json' });
        res.end(a.body === undefined ? undefined : JSON.stringify(a.body));
      });
    });
    server.on('connection', (s) => {
      api.sockets.add(s);
      s.on('close', () => api.sockets.delete(s));
    });
    server.on('upgrade', (req, socket, head) => {
      const r = api.record(req, 'stream', '');
      if (api.takeFault('stream') !== undefined || !/^\/app\/[^/?]+/.test(req.url ?? '')) {
        r.outcome = 'refused';
        r.answeredAt = opts.now();
        opts.log('fault', `req#${r.n}`, `refused the stream connection ${req.url}`);
        api.changes.notify();
        return void socket.destroy();
      }
      r.outcome = 'accepted';
      api.wss.handleUpgrade(req, socket, head, (ws) => api.stream.accept(ws));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    api.server = server;
    return api;
  }

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get heartbeatIntervalMs(): number {
    return this.state.heartbeatIntervalMs;
  }

  /** The next `n` requests of `route` have their connection closed unanswered. */
  refuse(route: SyncRoute, n: number): void {
    this.faults.set(route, [...(this.faults.get(route) ?? []), ...Array<'refuse'>(n).fill('refuse')]);
  }

  /** The next `n` requests of `route` are answered `status` (a 5xx) with an error body. */
  fail(route: SyncRoute, n: number, status = 503): void {
    this.faults.set(route, [...(this.faults.get(route) ?? []), ...Array<number>(n).fill(status)]);
  }

  broadcast(name: SyncEventName, payload: Record<string, unknown>, opts: { historyOnly?: boolean; channel?: string } = {}): HistoryEntry {
    return this.stream.broadcast(opts.channel ?? SESSION_CHANNEL, name, payload, opts.historyOnly);
  }

  /** Requests of `route`, in arrival order. */
  of(route: SyncRoute): SyncRequest[] {
    return this.requests.filter((r) => r.route === route);
  }

  until<T>(check: () => T | undefined | false | null, ms: number): Promise<T | undefined> {
    return this.changes.until(check, ms, this.opts.signal);
  }

  async close(): Promise<void> {
    for (const c of this.stream.openConnections()) c.ws.terminate();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private takeFault(route: SyncRoute): 'refuse' | number | undefined {
    return this.faults.get(route)?.shift();
  }

  private record(req: IncomingMessage, route: SyncRoute, body: string): SyncRequest {
    const url = new URL(req.url ?? '/', 'http://x');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    const r: SyncRequest = {
      n: this.requests.length + 1,
      t: this.opts.now(),
      route,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers,
      body,
      outcome: 'refused',
    };
    this.requests.push(r);
    const key = headers['idempotency-key'] ? ` Idempotency-Key: ${headers['idempotency-key']}` : '';
    this.opts.log('http<', `req#${r.n}`, `${r.method} ${req.url}${key}${body ? ` ${body.slice(0, 300)}` : ''}`);
    return r;
  }

  private async onRequest(req: IncomingMessage): Promise<{ status: number; body?: unknown } | 'refused'> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString();
    const url = new URL(req.url ?? '/', 'http://x');
    const { route, pid } = routeOf(req.method ?? 'GET', url.pathname);
    const r = this.record(req, route, body);
    const fault = this.takeFault(route);
    let a: { status: number; body?: unknown } | 'refused';
    if (fault === 'refuse') a = 'refused';
    else if (fault !== undefined) a = { status: fault, body: { error: { code: 'unavailable', message: 'scripted outage' } } };
    else a = answer(this.state, { route, pid, method: r.method, path: r.path, query: r.query, headers: r.headers, body });
    r.outcome = a === 'refused' ? 'refused' : a.status;
    r.answeredAt = this.opts.now();
    if (a === 'refused') this.opts.log('fault', `req#${r.n}`, 'closed the connection unanswered (scripted)');
    else this.opts.log('http>', `req#${r.n}`, `${a.status}${a.body === undefined ? '' : ` ${JSON.stringify(a.body).slice(0, 300)}`}`);
    this.changes.notify();
    return a;
  }
}
