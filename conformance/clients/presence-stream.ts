/**
 * The `agent-presence` profile's clients: dashboards on `WS /ws/broadcasts?token=&session_id=` that log
 * and validate every message (a message that is not a PresenceUpdate is kept in `invalid`, never
 * thrown), and the presence HTTP API through the logged sync client.
 */
import WebSocket from 'ws';
import { z } from 'zod';
import { DASHBOARD_PATH, AgentPresence, PresenceList, PresenceUpdate } from '../../spec/schemas/agent-presence.ts';
import type { CaseContext } from '../types.ts';
import { SyncApi, type SyncAgent } from './sync-api.ts';
import { clip, nextLabel, waitUntil } from './wait.ts';
import type { CloseInfo } from './wire-socket.ts';

export type PresenceUpdateT = z.infer<typeof PresenceUpdate>;
export type AgentPresenceT = z.infer<typeof AgentPresence>;

export interface DashboardOptions {
  /** Agent token; `null` connects without one (1008 checks). Default the first agent's. */
  token?: string | null;
  sessionId?: string;
  node?: CaseContext['node'];
  /** Deadline for the handshake, default 5000 ms. */
  timeoutMs?: number;
}

export class Dashboard {
  /** Valid presence updates in arrival order, with their arrival time (performance.now()). */
  readonly updates: Array<{ msg: PresenceUpdateT; at: number }> = [];
  /** Messages that are not a valid PresenceUpdate, with the first schema issue. */
  readonly invalid: Array<{ raw: string; issue: string }> = [];
  closeInfo: CloseInfo | undefined;
  readonly closed: Promise<CloseInfo>;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly ctx: CaseContext,
    readonly ws: WebSocket,
    readonly label: string,
  ) {
    let resolveClosed!: (c: CloseInfo) => void;
    this.closed = new Promise((r) => (resolveClosed = r));
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const raw = data.toString('utf8');
      ctx.log('<', label, isBinary ? `(binary ${data.length} bytes)` : clip(raw));
      const at = performance.now();
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        this.invalid.push({ raw, issue: 'not JSON' });
        return this.poke();
      }
      const parsed = PresenceUpdate.safeParse(json);
      if (parsed.success) this.updates.push({ msg: parsed.data, at });
      else {
        const i = parsed.error.issues[0]!;
        this.invalid.push({ raw, issue: `${i.path.map(String).join('.') || '(root)'}: ${i.message}` });
      }
      this.poke();
    });
    ws.on('error', (err) => ctx.log('note', label, `socket error: ${err.message}`));
    ws.on('close', (code, reason) => {
      this.closeInfo = { code, reason: reason.toString('utf8') };
      ctx.log('close', label, `${code} ${this.closeInfo.reason}`);
      resolveClosed(this.closeInfo);
      this.poke();
    });
  }

  private poke(): void {
    for (const fn of [...this.listeners]) fn();
  }

  /** Waits until `pred` holds, re-checked on every message and on close. */
  waitUntil(pred: () => boolean, timeoutMs: number, desc: string): Promise<void> {
    if (pred()) return Promise.resolve();
    return waitUntil<void>(
      this.ctx,
      (resolve) => {
        const check = () => pred() && resolve();
        this.listeners.add(check);
        return () => this.listeners.delete(check);
      },
      {
        timeoutMs,
        desc: `${desc} on ${this.label}`,
        actual: () =>
          `${this.updates.length} updates, ${this.invalid.length} invalid${this.closeInfo ? `, closed ${this.closeInfo.code}` : ''}`,
      },
    );
  }

  /** The first update (from `from` on) matching `pred`. */
  async waitForUpdate(
    pred: (m: PresenceUpdateT) => boolean,
    timeoutMs = 3000,
    desc = 'presence_update',
    from = 0,
  ): Promise<PresenceUpdateT> {
    const find = () => this.updates.slice(from).find((u) => pred(u.msg));
    await this.waitUntil(() => find() !== undefined, timeoutMs, desc);
    return find()!.msg;
  }

  waitForClose(timeoutMs: number): Promise<CloseInfo> {
    return this.waitUntil(() => this.closeInfo !== undefined, timeoutMs, 'close').then(() => this.closeInfo!);
  }

  send(text: string): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    this.ctx.log('>', this.label, clip(text));
    this.ws.send(text);
  }

  async close(): Promise<void> {
    if (this.closeInfo) return;
    this.ws.close(1000);
    const t = setTimeout(() => this.ws.terminate(), 2000);
    await this.closed;
    clearTimeout(t);
  }
}

export function dashboardUrl(ctx: CaseContext, opts: DashboardOptions = {}): string {
  const node = opts.node ?? ctx.node;
  const url = new URL(`${node.ws.replace(/\/+$/, '')}${DASHBOARD_PATH}`);
  const token = opts.token === undefined ? ctx.target.agents[0]?.token : opts.token;
  if (token !== null && token !== undefined) url.searchParams.set('token', token);
  if (opts.sessionId !== undefined) url.searchParams.set('session_id', opts.sessionId);
  return url.toString();
}

/**
 * Opens a dashboard and resolves once the WebSocket is open (a hub that refuses the upgrade instead of
 * closing with a code resolves too: the dashboard is then already closed, with code 1006).
 */
export async function openDashboard(ctx: CaseContext, opts: DashboardOptions = {}): Promise<Dashboard> {
  const label = nextLabel(ctx, 'dash');
  const url = dashboardUrl(ctx, opts);
  ctx.log('open', label, url.replace(/token=[^&]+/, 'token=…'));
  const ws = new WebSocket(url, { handshakeTimeout: opts.timeoutMs ?? 5000 });
  const d = new Dashboard(ctx, ws, label);
  ctx.defer(() => d.close());
  ws.once('unexpected-response', (_req, res) => {
    ctx.log('note', label, `upgrade refused: HTTP ${res.statusCode}`);
    ws.terminate();
  });
  await waitUntil<void>(
    ctx,
    (resolve) => {
      ws.once('open', () => resolve());
      void d.closed.then(() => resolve());
      return () => undefined;
    },
    { timeoutMs: (opts.timeoutMs ?? 5000) + 500, desc: `dashboard open (${label})` },
  );
  return d;
}

export const PresenceResponse = z.object({ presence: AgentPresence });
export type PresenceEventBody = {
  event_type: string;
  tool_name: string;
  feature_id?: string | null;
  cost_tokens?: number;
  session_id: string;
};

/** The presence HTTP API as one agent (bearer token), logged and validated. */
export class PresenceApi {
  readonly http: SyncApi;
  constructor(ctx: CaseContext, agent: SyncAgent) {
    this.http = new SyncApi(ctx, agent);
  }

  async event(agentId: string, body: PresenceEventBody): Promise<AgentPresenceT> {
    return (await this.http.call(PresenceResponse, { method: 'POST', path: `/api/presence/${encodeURIComponent(agentId)}/events`, body }))
      .presence;
  }

  async featureStatus(featureId: string, body: { agent_id: string; status: string }): Promise<AgentPresenceT> {
    return (
      await this.http.call(PresenceResponse, {
        method: 'POST',
        path: `/api/broadcast/features/${encodeURIComponent(featureId)}/status`,
        body,
      })
    ).presence;
  }

  list(): Promise<z.infer<typeof PresenceList>> {
    return this.http.call(PresenceList, { method: 'GET', path: '/api/presence' });
  }
}
