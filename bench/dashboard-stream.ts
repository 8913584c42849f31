/**
 * A synthetic agent-presence stream for the dashboard page benchmark: the reference hub's /dashboard page
 * and its assets, GET /api/presence and GET /api/hub, and WS /ws/broadcasts sending presence updates on
 * an open schedule, each encoded once for every open socket. No publishing API, no SQLite: the page's
 * cost is measured, not the hub's. Every update carries the load marker in `last_tool_name`, so the
 * measuring instrument times it from its scheduled send to the DOM.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { mountDashboardPage } from '../reference-server/agent-presence/dashboard-page.ts';
import { Router, sendJson } from '../reference-server/http/router.ts';
import { DASHBOARD_PATH } from '../spec/schemas/agent-presence.ts';
import { encodeMarker } from '../load/measure/payload.ts';

export interface StreamOptions {
  agents: number;
  sessions: number;
}

interface Agent {
  agent_id: string;
  status: 'active';
  current_feature_id: string;
  last_tool_name: string;
  last_activity: string;
  total_tools_executed: number;
  total_cost_tokens: number;
  session_id: string;
}

export class DashboardStream {
  private readonly server: Server;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly agents: Agent[];
  private readonly seq: number[];
  url = '';

  constructor(o: StreamOptions) {
    this.agents = Array.from({ length: o.agents }, (_, i) => ({
      agent_id: `agent-${String(i + 1).padStart(3, '0')}`,
      status: 'active',
      current_feature_id: `feat-${(i * 7919).toString(16).padStart(6, '0')}`,
      last_tool_name: 'Read',
      last_activity: new Date().toISOString(),
      total_tools_executed: 0,
      total_cost_tokens: 0,
      session_id: `sess-${i % o.sessions}`,
    }));
    this.seq = new Array<number>(o.agents).fill(0);
    const router = new Router(1024);
    mountDashboardPage(router);
    router.add('GET', '/api/hub', (rc) => sendJson(rc.res, 200, { name: 'dashboard benchmark stream', profiles: ['agent-presence'] }));
    router.add('GET', '/api/presence', (rc) =>
      sendJson(rc.res, 200, { agents: this.agents, timestamp: new Date().toISOString(), dashboards: this.wss.clients.size }),
    );
    this.server = createServer((req, res) => void router.handle(req, res));
    this.server.on('upgrade', (req, socket, head) => {
      if (new URL(req.url ?? '/', 'http://x').pathname !== DASHBOARD_PATH) return socket.destroy();
      this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws));
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get wsUrl(): string {
    return `${this.url.replace(/^http/, 'ws')}${DASHBOARD_PATH}`;
  }

  /** Sends update `i` (scheduled at `scheduledUs`) to every socket; returns its agent (stream) and seq. */
  send(i: number, scheduledUs: number): { stream: number; seq: number } {
    const stream = i % this.agents.length;
    const seq = ++this.seq[stream]!;
    const a = this.agents[stream]!;
    const now = new Date().toISOString();
    a.last_tool_name = encodeMarker(stream, seq, scheduledUs, seq - 1);
    a.last_activity = now;
    a.total_tools_executed++;
    a.total_cost_tokens += 100 + (i % 7) * 250;
    if (seq % 50 === 0) a.current_feature_id = `feat-${((i * 2654435761) % 0xffffff).toString(16).padStart(6, '0')}`;
    const frame = Buffer.from(
      JSON.stringify({ type: 'presence_update', event_type: 'tool_execute', agent_id: a.agent_id, presence: a, timestamp: now }),
    );
    for (const ws of this.wss.clients) if (ws.readyState === WebSocket.OPEN) ws.send(frame, { binary: false });
    return { stream, seq };
  }

  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
