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
  private readonly bySession = new Map<string, Set<WebSocket>>();
  private readonly all = new Set<WebSocket>();
  /** false once pinged until the pong arrives. */
  private readonly alive = new WeakMap<WebSocket, boolean>();
  private readonly opts: DashboardOptions;

  constructor(
    private readonly ctx: HubContext,
    options: Partial<DashboardOptions> = {},
  ) {
    this.opts = { ...DEFAULTS, ...options };
    this.wss = new WebSocketServer({ noServer: true, clientTracking: false, maxPayload: ctx.config.limits.maxFrameBytes });
    const timer = setInterval(() => this.pingAll(), ctx.config.timings.activityTimeoutS * 1000);
    timer.unref();
    ctx.onClose.push(async () => {
      clearInterval(timer);
      await this.closeAll();
    });
  }

  get size(): number {
    return this.all.size;
  }

  /** The upgrade claimant for DASHBOARD_PATH. */
  readonly claim = (req: IncomingMessage, socket: Duplex, head: Buffer): boolean => {
    const url = new URL(req.url ?? '/', 'http://hub');
    if (url.pathname !== DASHBOARD_PATH) return false;
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, req, url));
    return true;
  };

  private accept(ws: WebSocket, req: IncomingMessage, url: URL): void {
    ws.on('error', () => ws.terminate());
    const agent = findAgent(this.ctx.config.agents, url.searchParams.get('token') ?? bearerToken(req));
    if (!agent) {
      ws.close(CLOSE_POLICY_VIOLATION, 'missing or invalid token: connect with ?token=<agent token>');
      return;
    }
    const sessionId = url.searchParams.get('session_id') ?? '';
    const peers = this.bySession.get(sessionId) ?? new Set<WebSocket>();
    const max = this.ctx.config.limits.maxDashboardsPerSession;
    if (peers.size >= max) {
      ws.close(CLOSE_TRY_AGAIN_LATER, `session dashboard limit (${max}) reached`);
      return;
    }
    peers.add(ws);
    this.bySession.set(sessionId, peers);
    this.all.add(ws);
    this.alive.set(ws, true);
    ws.on('pong', () => this.alive.set(ws, true));
    ws.on('close', () => {
      this.all.delete(ws);
      peers.delete(ws);
      if (peers.size === 0 && this.bySession.get(sessionId) === peers) this.bySession.delete(sessionId);
    });
    this.ctx.log(`presence: dashboard connected (${agent.identifier}, session "${sessionId}", ${peers.size}/${max})`);
  }

  /** Sends one message, encoded once, to every open dashboard. */
  broadcast(message: unknown): void {
    if (this.all.size === 0) return;
    const frame = Buffer.from(JSON.stringify(message));
    for (const ws of this.all) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      if (ws.bufferedAmount > this.opts.maxBufferedBytes) {
        ws.close(CLOSE_TRY_AGAIN_LATER, 'dashboard too slow: send buffer full');
        continue;
      }
      ws.send(frame, { binary: false });
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
