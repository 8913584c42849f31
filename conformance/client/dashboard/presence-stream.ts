/**
 * The agent-presence hub `hubproof client --driver dashboard` plays: `WS /ws/broadcasts` and
 * `GET /api/presence` of the harness's own, on 127.0.0.1 port 0, one per case, serving the page under
 * test on the same origin (page-source.ts) so the page finds the stream where it finds its own hub.
 * Well behaved by default (token checked on both, every update broadcast to every open stream); the case
 * scripts the rest (drops, 1008, 401, raw messages, changes while no stream is open) and judges from what
 * it recorded: every stream connection, message and request, on the case clock.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { z } from 'zod';
import type { AgentPresence as AgentPresenceSchema, PresenceUpdate as PresenceUpdateSchema } from '../../../spec/schemas/agent-presence.ts';
import { Changes } from '../changes.ts';
import type { PageSource } from './page-source.ts';

type AgentPresence = z.infer<typeof AgentPresenceSchema>;
type PresenceUpdate = z.infer<typeof PresenceUpdateSchema>;

export type StreamLog = (dir: '>' | '<' | 'http>' | 'http<' | 'close' | 'open' | 'note', conn: string, text: string) => void;

export interface PresenceStreamOptions {
  now(): number;
  log: StreamLog;
  signal: AbortSignal;
  page: PageSource;
  /** The agent token the stream and the API accept. */
  token?: string;
}

export const SCRIPTED_TOKEN = 'hubproof-dashboard-token';

export interface StreamConnection {
  name: string;
  /** The request URL (path and query). */
  url: string;
  token: string | null;
  openedAt: number;
  closed?: { t: number; code: number; by: 'hub' | 'client' };
  /** Refused at the handshake while the stream was down (no socket). */
  refused?: boolean;
  socket?: WebSocket;
}

export interface ApiRequest {
  t: number;
  path: string;
  bearer: string | null;
  status: number;
}

export class PresenceStream {
  readonly connections: StreamConnection[] = [];
  readonly requests: ApiRequest[] = [];
  readonly agents = new Map<string, AgentPresence>();
  readonly changes = new Changes();
  readonly token: string;
  /** Scripted refusals: close every new stream with 1008, answer GET /api/presence with 401. */
  refuse = { stream: false, api: false };
  private readonly wss = new WebSocketServer({ noServer: true });
  private lastStamp = 0;
  /** Case time until which handshakes are refused (a hub that is down). */
  private downUntil = 0;

  private constructor(
    private readonly server: Server,
    private readonly opts: PresenceStreamOptions,
  ) {
    this.token = opts.token ?? SCRIPTED_TOKEN;
  }

  static async start(opts: PresenceStreamOptions): Promise<PresenceStream> {
    const server = createServer();
    const stream = new PresenceStream(server, opts);
    server.on('request', (req, res) => void stream.onRequest(req, res));
    server.on('upgrade', (req, socket, head) => {
      if (new URL(req.url ?? '/', 'http://x').pathname !== '/ws/broadcasts') return void socket.destroy();
      if (opts.now() < stream.downUntil) {
        stream.refuseHandshake(req.url ?? '/');
        return void socket.end('HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      }
      stream.wss.handleUpgrade(req, socket, head, (ws) => stream.onStream(req, ws));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return stream;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The page's URL with the token (what a viewer opens). */
  get pageUrl(): string {
    return `http://127.0.0.1:${this.port}${this.opts.page.path}?token=${encodeURIComponent(this.token)}`;
  }

  /** The first truthy value of `check` within `ms`, checked on every connection, close, message and request. */
  until<T>(check: () => T | undefined | false | null, ms: number): Promise<T | undefined> {
    return this.changes.until(check, ms, this.opts.signal);
  }

  open(): StreamConnection[] {
    return this.connections.filter((c) => !c.closed);
  }

  /** Presence requests (GET /api/presence) from `t` on. */
  presenceRequests(from = 0): ApiRequest[] {
    return this.requests.filter((r) => r.path === '/api/presence' && r.t >= from);
  }

  /** Sets an agent's presence (a new agent with defaults) and broadcasts it to every open stream. */
  update(agentId: string, change: Partial<AgentPresence> = {}, o: { broadcast?: boolean } = {}): PresenceUpdate {
    const stamp = this.stamp();
    const presence: AgentPresence = {
      agent_id: agentId,
      status: 'active',
      current_feature_id: null,
      last_tool_name: null,
      last_activity: stamp,
      total_tools_executed: 0,
      total_cost_tokens: 0,
      session_id: 'sess-1',
      ...this.agents.get(agentId),
      ...change,
    };
    presence.last_activity = stamp;
    this.agents.set(agentId, presence);
    const update: PresenceUpdate = { type: 'presence_update', event_type: 'tool_execute', agent_id: agentId, presence, timestamp: stamp };
    if (o.broadcast ?? true) this.sendRaw(JSON.stringify(update));
    else this.opts.log('note', 'stream', `${agentId} changes while no stream hears it: ${JSON.stringify(change)}`);
    return update;
  }

  /** Sends `text` as is to every open stream. */
  sendRaw(text: string): void {
    for (const c of this.open()) {
      c.socket?.send(text);
      this.opts.log('>', c.name, text);
    }
  }

  /** Refuses every handshake for the next `ms` (a hub that is down), each attempt recorded. */
  down(ms: number): void {
    this.downUntil = this.opts.now() + ms;
    this.opts.log('note', 'stream', `down for ${ms} ms: handshakes refused with 503`);
  }

  /** Ends every open stream without a close frame (a network drop, a killed hub). */
  dropAll(): void {
    for (const c of this.open()) {
      this.opts.log('close', c.name, 'stream drops the connection without a close frame');
      c.closed = { t: this.opts.now(), code: 1006, by: 'hub' };
      c.socket?.terminate();
    }
    this.changes.notify();
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.socket?.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** An ISO time strictly later than the previous one, so the page never takes a new state for an old one. */
  private stamp(): string {
    this.lastStamp = Math.max(Date.now(), this.lastStamp + 1);
    return new Date(this.lastStamp).toISOString();
  }

  private refuseHandshake(url: string): void {
    const t = this.opts.now();
    const name = `s${this.connections.length + 1}`;
    const token = new URL(url, 'http://x').searchParams.get('token');
    this.connections.push({ name, url, token, openedAt: t, refused: true, closed: { t, code: 1006, by: 'hub' } });
    this.opts.log('open', name, `GET ${url} refused with 503 (stream down)`);
    this.changes.notify();
  }

  private onStream(req: IncomingMessage, socket: WebSocket): void {
    const url = req.url ?? '/';
    const conn: StreamConnection = {
      name: `s${this.connections.length + 1}`,
      url,
      token: new URL(url, 'http://x').searchParams.get('token'),
      openedAt: this.opts.now(),
      socket,
    };
    this.connections.push(conn);
    this.opts.log('open', conn.name, `GET ${url}`);
    socket.on('message', (data) => {
      this.opts.log('<', conn.name, String(data));
      this.changes.notify();
    });
    socket.on('close', (code) => {
      if (!conn.closed) {
        conn.closed = { t: this.opts.now(), code, by: 'client' };
        this.opts.log('close', conn.name, `dashboard closed with ${code}`);
      }
      this.changes.notify();
    });
    if (this.refuse.stream || conn.token !== this.token) {
      const reason = conn.token === null ? 'missing token' : 'invalid token';
      conn.closed = { t: this.opts.now(), code: 1008, by: 'hub' };
      this.opts.log('close', conn.name, `stream closes with 1008 ${reason}`);
      socket.close(1008, reason);
    }
    this.changes.notify();
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const auth = req.headers.authorization ?? null;
    const bearer = auth?.startsWith('Bearer ') ? auth.slice(7) : null;
    const reply = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(text);
      if (path.startsWith('/api/')) {
        this.requests.push({ t: this.opts.now(), path, bearer, status });
        this.opts.log('http>', 'api', `${status} ${text.length > 300 ? `${text.slice(0, 300)}…` : text}`);
        this.changes.notify();
      }
    };
    if (path.startsWith('/api/')) this.opts.log('http<', 'api', `${req.method} ${req.url}${auth ? ` (authorization: ${auth})` : ''}`);
    if (path === '/api/presence' && req.method === 'GET') {
      if (this.refuse.api || bearer !== this.token)
        return reply(401, { error: { code: 'unauthenticated', message: 'a valid bearer token is required' } });
      return reply(200, { agents: [...this.agents.values()], timestamp: this.stamp(), dashboards: this.open().length });
    }
    if (path === '/api/hub' && req.method === 'GET') return reply(200, { name: 'hubproof scripted presence stream' });
    if (path.startsWith('/api/')) return reply(404, { error: { code: 'not_found', message: `no route ${path}` } });
    try {
      const asset = await this.opts.page.fetch(path);
      if (!asset) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      res.writeHead(200, { 'content-type': asset.type, 'cache-control': 'no-store' }).end(asset.body);
    } catch (err) {
      this.opts.log('note', 'page', `could not serve ${path}: ${(err as Error).message}`);
      res.writeHead(502, { 'content-type': 'text/plain' }).end(`could not fetch ${path}`);
    }
  }
}
