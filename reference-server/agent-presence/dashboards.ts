/**
 * `WS /ws/broadcasts?token=…&session_id=…`: the dashboard stream. A connection without a valid agent
 * token is accepted and closed with 1008 (policy violation) and a reason, because a browser sees a
 * close reason but never an HTTP status of a refused upgrade. At most limits.maxDashboardsPerSession
 * connections per session_id; the next is closed with 1013 (try again later).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { DASHBOARD_PATH } from '../../spec/schemas/agent-presence.ts';
import type { HubContext } from '../context.ts';
import { bearerToken, findAgent } from '../sync/http-input.ts';
import { textFrame } from '../wire/text-frame.ts';
import { writeThisTurn } from '../wire/turn-writes.ts';

export const CLOSE_POLICY_VIOLATION = 1008;
export const CLOSE_TRY_AGAIN_LATER = 1013;
export const CLOSE_GOING_AWAY = 1001;

export interface DashboardOptions {
  /** A dashboard with more than this many bytes queued is too slow to follow the stream and is dropped. */
  maxBufferedBytes: number;
  /** How long shutdown waits for closing handshakes before terminating sockets. */
  closeGraceMs: number;
}
const DEFAULTS: DashboardOptions = { maxBufferedBytes: 8 * 1024 * 1024, closeGraceMs: 500 };

export class DashboardHub {
  private readonly wss: WebSocketServer;
  /** session_id → dashboard ids; on a cluster node, every node's dashboards (`d+`/`d-` commands). */
  private readonly bySession = new Map<string, Set<string>>();
  private readonly sessionOf = new Map<string, string>();
  /** This node's open dashboards by id. */
  private readonly local = new Map<string, WebSocket>();
  private readonly all = new Set<WebSocket>();
  /** The TCP socket under each open dashboard: broadcasts write pre-framed bytes to it. */
  private readonly sockets = new WeakMap<WebSocket, Duplex>();
  /** false once pinged until the pong arrives. */
  private readonly alive = new WeakMap<WebSocket, boolean>();
  private readonly opts: DashboardOptions;
  private nextId = 0;

  constructor(
    private readonly ctx: HubContext,
    options: Partial<DashboardOptions> = {},
  ) {
    this.opts = { ...DEFAULTS, ...options };
    this.wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false, // broadcasts write pre-framed text frames
      maxPayload: ctx.config.limits.maxFrameBytes,
    });
    const timer = setInterval(() => this.pingAll(), ctx.config.timings.activityTimeoutS * 1000);
    timer.unref();
    ctx.onClose.push(async () => {
      clearInterval(timer);
      await this.closeAll();
    });
    const cluster = ctx.cluster;
    if (cluster !== undefined) {
      cluster.on('d+', (c) => {
        if (cluster.isLive(c.o)) this.register(String(c.id), String(c.s));
      });
      cluster.on('d-', (c) => this.unregister(String(c.id)));
      cluster.snapshotPart('dashboards', {
        save: () => [...this.sessionOf],
        load: (data) => {
          for (const [id, sessionId] of data as Array<[string, string]>) this.register(id, sessionId);
        },
      });
      cluster.onNodeDead((node) => {
        for (const id of [...this.sessionOf.keys()]) if (id.startsWith(`${node}/`) && !this.local.has(id)) this.unregister(id);
      });
    }
  }

  get size(): number {
    return this.all.size;
  }

  /** The upgrade claimant for DASHBOARD_PATH. */
  // implements: agent-presence/stream/1
  readonly claim = (req: IncomingMessage, socket: Duplex, head: Buffer): boolean => {
    const url = new URL(req.url ?? '/', 'http://hub');
    if (url.pathname !== DASHBOARD_PATH) return false;
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.sockets.set(ws, socket);
      this.accept(ws, req, url);
    });
    return true;
  };

  // implements: agent-presence/bad-input/3 — no message handler: what a dashboard sends is dropped
  private accept(ws: WebSocket, req: IncomingMessage, url: URL): void {
    ws.on('error', () => ws.terminate());
    const agent = findAgent(this.ctx.config.agents, url.searchParams.get('token') ?? bearerToken(req));
    // implements: agent-presence/stream/2
    if (!agent) {
      ws.close(CLOSE_POLICY_VIOLATION, 'missing or invalid token: connect with ?token=<agent token>');
      return;
    }
    const sessionId = url.searchParams.get('session_id') ?? '';
    const cluster = this.ctx.cluster;
    const id = `${cluster?.nodeId ?? 'local'}/${++this.nextId}`;
    this.local.set(id, ws);
    ws.on('close', () => {
      this.all.delete(ws);
      // Not registered: refused, or (cluster) its `d+` not applied yet, where register() sees it closed.
      if (!this.sessionOf.has(id) || !this.local.delete(id)) return;
      if (cluster === undefined) this.unregister(id);
      else void cluster.submit({ t: 'd-', id }, { queue: true }).catch(() => undefined);
    });
    if (cluster === undefined) return this.register(id, sessionId, agent.identifier);
    // The per-session limit counts every node's dashboards, so opening one is a logged command.
    cluster.submit({ t: 'd+', id, s: sessionId }).catch(() => {
      this.local.delete(id);
      ws.close(CLOSE_TRY_AGAIN_LATER, 'the hub cannot reach its Redis; try again later');
    });
  }

  /** Counts dashboard `id` in its session; opens it if it is this node's, or refuses it over the limit. */
  // implements: agent-presence/limits/1, agent-presence/limits/2
  private register(id: string, sessionId: string, agent = ''): void {
    const peers = this.bySession.get(sessionId) ?? new Set<string>();
    const max = this.ctx.config.limits.maxDashboardsPerSession;
    const ws = this.local.get(id);
    if (peers.size >= max) {
      if (ws !== undefined) {
        this.local.delete(id);
        ws.close(CLOSE_TRY_AGAIN_LATER, `session dashboard limit (${max}) reached`);
      }
      return;
    }
    peers.add(id);
    this.bySession.set(sessionId, peers);
    this.sessionOf.set(id, sessionId);
    if (ws === undefined) return;
    if (ws.readyState !== WebSocket.OPEN) {
      // Closed before its registration was applied: its close found nothing to remove.
      this.local.delete(id);
      this.unregister(id);
      if (this.ctx.cluster !== undefined) void this.ctx.cluster.submit({ t: 'd-', id }, { queue: true }).catch(() => undefined);
      return;
    }
    this.all.add(ws);
    this.alive.set(ws, true);
    ws.on('pong', () => this.alive.set(ws, true));
    this.ctx.log(`presence: dashboard connected (${agent || id}, session "${sessionId}", ${peers.size}/${max})`);
  }

  // implements: agent-presence/limits/3
  private unregister(id: string): void {
    const sessionId = this.sessionOf.get(id);
    if (sessionId === undefined) return;
    this.sessionOf.delete(id);
    const peers = this.bySession.get(sessionId);
    peers?.delete(id);
    if (peers?.size === 0) this.bySession.delete(sessionId);
  }

  /** Sends one message, encoded and framed once, to every open dashboard (its frames of the turn in one write). */
  // implements: agent-presence/stream/4, agent-presence/performance/1
  broadcast(message: unknown): void {
    if (this.all.size === 0) return;
    const frame = textFrame(Buffer.from(JSON.stringify(message)));
    for (const ws of this.all) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      if (ws.bufferedAmount > this.opts.maxBufferedBytes) {
        ws.close(CLOSE_TRY_AGAIN_LATER, 'dashboard too slow: send buffer full');
        continue;
      }
      writeThisTurn(this.sockets.get(ws)!, frame);
    }
  }

  /** Drops dashboards whose TCP connection died silently (no pong since the last ping). */
  private pingAll(): void {
    for (const ws of this.all) {
      if (this.alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      this.alive.set(ws, false);
      ws.ping();
    }
  }

  private async closeAll(): Promise<void> {
    const sockets = [...this.all];
    for (const ws of sockets) ws.close(CLOSE_GOING_AWAY, 'hub shutting down');
    const deadline = Date.now() + this.opts.closeGraceMs;
    while (sockets.some((ws) => ws.readyState !== WebSocket.CLOSED) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
    }
    for (const ws of sockets) if (ws.readyState !== WebSocket.CLOSED) ws.terminate();
  }
}
