/**
 * The hub `hubproof client` plays: a small Pusher protocol 7 server of the harness's own, on 127.0.0.1
 * port 0, one per case, with an auth endpoint beside it (docs/client-conformance.md says why it is not a
 * relay in front of the reference hub). Well behaved by default: it verifies every channel signature
 * against the connection's own socket id, keeps presence per user, relays client events, answers pings.
 * The case scripts the rest through its levers (close, drop, silence, withheld pongs and confirmations,
 * injected members, raw frames, a restart) and judges from what it recorded: every connection and frame,
 * on the case clock.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomInt } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  allowsClientEvents,
  CLIENT_EVENT_PREFIX,
  CloseCode,
  decodeFrame,
  isPresence,
  PusherEvent,
  requiresAuth,
  verifyChannelAuth,
  type Frame,
} from '../../../spec/protocol/index.ts';
import { sleep } from '../../clients/wait.ts';
import { Changes } from '../changes.ts';
import { AuthEndpoint, memberInfo } from './auth-endpoint.ts';
import { frameFields, HubConnection, type HubFrame, type Subscription } from './hub-connection.ts';
import { PresenceBook } from './presence-book.ts';

export interface ScriptedHubOptions {
  /** The case clock (ms since the case started). */
  now(): number;
  /** The case's wire log. */
  log(dir: '>' | '<' | 'http>' | 'http<' | 'close' | 'open' | 'note', conn: string, text: string): void;
  /** The case's deadline: every wait ends with it. */
  signal: AbortSignal;
  /** Announced in `pusher:connection_established` (default 30 s: no client pings unless a case wants them). */
  activityTimeoutS?: number;
  /** Delay before `pusher:connection_established` (default 0). */
  establishDelayMs?: number;
}

export const SCRIPTED_APP = { id: '1', key: 'hubproof-client-key', secret: 'hubproof-client-secret' } as const;
/** The activity_timeout announced unless a case asks for another (long enough that no client pings unasked). */
export const SCRIPTED_ACTIVITY_TIMEOUT_S = 30;

export class ScriptedHub {
  readonly connections: HubConnection[] = [];
  readonly frames: HubFrame[] = [];
  readonly presence = new PresenceBook();
  readonly app = SCRIPTED_APP;
  activityTimeoutS: number;
  establishDelayMs: number;
  /** Whether `pusher_internal:subscription_succeeded` goes out when a subscribe arrives (the script holds it back with false). */
  confirm: (channel: string, conn: HubConnection) => boolean = () => true;
  private server: Server | undefined;
  private readonly wss = new WebSocketServer({ noServer: true, autoPong: false });
  private readonly timers = new Set<NodeJS.Timeout>();
  private boundPort = 0;

  private constructor(
    readonly auth: AuthEndpoint,
    readonly changes: Changes,
    private readonly opts: ScriptedHubOptions,
  ) {
    this.activityTimeoutS = opts.activityTimeoutS ?? SCRIPTED_ACTIVITY_TIMEOUT_S;
    this.establishDelayMs = opts.establishDelayMs ?? 0;
  }

  static async start(opts: ScriptedHubOptions): Promise<ScriptedHub> {
    const changes = new Changes();
    const auth = await AuthEndpoint.start({ app: SCRIPTED_APP, now: opts.now, log: opts.log, onRequest: () => changes.notify() });
    const hub = new ScriptedHub(auth, changes, opts);
    await hub.listen();
    return hub;
  }

  /** The port it listens on (the same after a restart). */
  get port(): number {
    return this.boundPort;
  }

  /** The connection opened after `after` (0: the first), or undefined if none within `ms`. */
  connection(index: number, ms: number): Promise<HubConnection | undefined> {
    return this.until(() => this.connections[index], ms);
  }

  /** The first truthy value of `check` within `ms`, checked on every frame, connection, close and auth request. */
  until<T>(check: () => T | undefined | false | null, ms: number): Promise<T | undefined> {
    return this.changes.until(check, ms, this.opts.signal);
  }

  /** Frames the hub received from `conn` (all connections without it) with this event. */
  received(event: string, conn?: HubConnection): HubFrame[] {
    return this.frames.filter((f) => f.dir === '<' && f.event === event && (!conn || f.conn === conn.name));
  }

  /** Sends an event to every open connection holding `channel` (confirmed); returns them. */
  publish(channel: string, event: string, data: unknown): HubConnection[] {
    const to = this.connections.filter((c) => c.open && c.subscriptions.get(channel)?.confirmedAt !== undefined);
    for (const c of to) c.send(event, data, channel);
    return to;
  }

  /** Confirms a subscription the script held back. */
  confirmSubscription(conn: HubConnection, channel: string): void {
    const sub = conn.subscriptions.get(channel);
    if (!sub || sub.refused || sub.confirmedAt !== undefined || !conn.open) return;
    sub.confirmedAt = this.opts.now();
    if (isPresence(channel) && sub.userId !== undefined) {
      const info = channelDataInfo(sub.channelData);
      if (this.presence.join(channel, sub.userId, info, conn.name))
        this.announce(channel, PusherEvent.MEMBER_ADDED, sub.userId, info, conn);
      conn.send(PusherEvent.SUBSCRIPTION_SUCCEEDED, this.presence.subscriptionData(channel), channel);
    } else {
      conn.send(PusherEvent.SUBSCRIPTION_SUCCEEDED, {}, channel);
    }
    this.changes.notify();
  }

  /** A member on no connection (another user of the app), announced to the channel's subscribers. */
  injectMember(channel: string, userId: string): void {
    if (this.presence.join(channel, userId, memberInfo(userId)))
      this.announce(channel, PusherEvent.MEMBER_ADDED, userId, memberInfo(userId));
  }

  /** Removes an injected member, announced. */
  ejectMember(channel: string, userId: string): void {
    if (this.presence.leave(channel, userId)) this.announce(channel, PusherEvent.MEMBER_REMOVED, userId);
  }

  /**
   * Plays a hub restart: every open connection closed with `close` (a code, or `drop` without a close
   * frame), nothing accepted for `downMs` (connections refused), then listening again on the same port.
   */
  async restart(opts: { downMs: number; close: number | 'drop' }): Promise<void> {
    for (const c of this.connections.filter((x) => x.open)) {
      if (opts.close === 'drop') c.drop();
      else c.closeWith(opts.close, 'hub restarting');
      this.leaveAll(c);
    }
    this.server?.close();
    this.server?.closeAllConnections();
    this.server = undefined;
    this.opts.log('note', 'hub', `down for ${opts.downMs} ms (connections refused)`);
    await sleep({ signal: this.opts.signal }, opts.downMs);
    await this.listen();
    this.opts.log('note', 'hub', `listening again on port ${this.port}`);
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    for (const c of this.connections) if (c.open) c.drop();
    this.server?.close();
    this.server?.closeAllConnections();
    this.wss.close();
    await this.auth.close();
  }

  private async listen(): Promise<void> {
    const server = createServer((_req, res) => res.writeHead(404).end());
    server.on('upgrade', (req, socket, head) => this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, req.url ?? '/')));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.boundPort, '127.0.0.1', resolve);
    });
    this.boundPort = (server.address() as AddressInfo).port;
    this.server = server;
  }

  private accept(ws: WebSocket, url: string): void {
    const conn = new HubConnection(`ws#${this.connections.length + 1}`, url, this.opts.now(), ws, {
      now: this.opts.now,
      record: (f) => {
        this.frames.push(f);
        this.changes.notify();
      },
      log: this.opts.log,
    });
    this.connections.push(conn);
    this.opts.log('open', conn.name, `GET ${url}`);
    ws.on('message', (data, isBinary) => this.onFrame(conn, isBinary ? `(binary ${String(data)})` : String(data)));
    ws.on('ping', (data) => {
      this.frames.push({ t: this.opts.now(), conn: conn.name, dir: '<', raw: '(ws ping)', event: '(ws ping)' });
      this.opts.log('<', conn.name, '(WebSocket ping control frame)');
      conn.pong(data);
      this.changes.notify();
    });
    ws.on('close', (code, reason) => {
      conn.onClosed(code, reason.toString());
      this.leaveAll(conn);
      this.changes.notify();
    });
    ws.on('error', () => undefined);
    this.changes.notify();
    const path = new URL(url, 'http://x').pathname;
    if (path !== `/app/${this.app.key}`) {
      conn.send(PusherEvent.ERROR, { code: CloseCode.APP_NOT_FOUND, message: `no app at ${path}` });
      conn.closeWith(CloseCode.APP_NOT_FOUND, 'Application does not exist');
      return;
    }
    const establish = () => {
      if (!conn.open) return;
      conn.socketId = `${randomInt(1, 2 ** 31)}.${randomInt(1, 2 ** 31)}`;
      conn.establishedAt = this.opts.now();
      conn.send(PusherEvent.CONNECTION_ESTABLISHED, { socket_id: conn.socketId, activity_timeout: this.activityTimeoutS });
      this.changes.notify();
    };
    if (this.establishDelayMs <= 0) establish();
    else this.later(this.establishDelayMs, establish);
  }

  private onFrame(conn: HubConnection, raw: string): void {
    this.frames.push({ t: this.opts.now(), conn: conn.name, dir: '<', raw, ...frameFields(raw) });
    this.opts.log('<', conn.name, raw);
    try {
      this.handle(conn, decodeFrame(raw));
    } catch (err) {
      conn.send(PusherEvent.ERROR, { code: null, message: `scripted hub: ${(err as Error).message}` });
    }
    this.changes.notify();
  }

  private handle(conn: HubConnection, frame: Frame): void {
    const data = typeof frame.data === 'string' ? parseOr(frame.data) : frame.data;
    const fields = (data ?? {}) as { channel?: unknown; auth?: unknown; channel_data?: unknown };
    switch (frame.event) {
      case PusherEvent.PING:
        if (conn.answerPings) conn.send(PusherEvent.PONG, {});
        return;
      case PusherEvent.SUBSCRIBE:
        return this.subscribe(conn, String(fields.channel ?? ''), fields.auth, fields.channel_data);
      case PusherEvent.UNSUBSCRIBE: {
        const channel = String(fields.channel ?? '');
        this.leave(conn, channel);
        conn.subscriptions.delete(channel);
        return;
      }
    }
    if (frame.event.startsWith(CLIENT_EVENT_PREFIX)) this.clientEvent(conn, frame);
  }

  private subscribe(conn: HubConnection, channel: string, auth: unknown, channelData: unknown): void {
    const sub: Subscription = { channel, at: this.opts.now() };
    if (typeof auth === 'string') sub.auth = auth;
    if (typeof channelData === 'string') sub.channelData = channelData;
    conn.subscriptions.set(channel, sub);
    if (requiresAuth(channel)) {
      const cd = typeof channelData === 'string' ? channelData : undefined;
      if (!conn.socketId || !verifyChannelAuth(this.app, auth, conn.socketId, channel, cd)) {
        sub.refused = `auth does not sign ${conn.socketId}:${channel}${cd ? ':<channel_data>' : ''}`;
        conn.send(PusherEvent.ERROR, { code: CloseCode.UNAUTHORIZED, message: `Invalid signature: ${sub.refused}` });
        return;
      }
      if (isPresence(channel)) {
        const userId = (parseOr(cd ?? '') as { user_id?: unknown } | undefined)?.user_id;
        if (userId === undefined) {
          sub.refused = 'presence channel_data has no user_id';
          conn.send(PusherEvent.ERROR, { code: CloseCode.UNAUTHORIZED, message: sub.refused });
          return;
        }
        sub.userId = String(userId);
      }
    }
    if (this.confirm(channel, conn)) this.confirmSubscription(conn, channel);
  }

  private clientEvent(conn: HubConnection, frame: Frame): void {
    const channel = frame.channel ?? '';
    const sub = conn.subscriptions.get(channel);
    if (!allowsClientEvents(channel) || sub?.confirmedAt === undefined) {
      conn.send(PusherEvent.ERROR, { code: null, message: `client event refused on ${channel || '(no channel)'}` });
      return;
    }
    for (const other of this.connections)
      if (other !== conn && other.open && other.subscriptions.get(channel)?.confirmedAt !== undefined)
        other.send(frame.event, frame.data, channel, isPresence(channel) ? sub.userId : undefined);
  }

  private announce(channel: string, event: string, userId: string, info?: unknown, except?: HubConnection): void {
    const data = event === PusherEvent.MEMBER_ADDED ? { user_id: userId, user_info: info } : { user_id: userId };
    for (const c of this.connections)
      if (
        c !== except &&
        c.open &&
        c.subscriptions.get(channel)?.confirmedAt !== undefined &&
        c.subscriptions.get(channel)?.userId !== userId
      )
        c.send(event, data, channel);
  }

  private leave(conn: HubConnection, channel: string): void {
    const userId = conn.subscriptions.get(channel)?.userId;
    if (userId !== undefined && this.presence.leave(channel, userId, conn.name)) this.announce(channel, PusherEvent.MEMBER_REMOVED, userId);
  }

  private leaveAll(conn: HubConnection): void {
    for (const channel of [...conn.subscriptions.keys()]) this.leave(conn, channel);
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }
}

function parseOr(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function channelDataInfo(channelData: string | undefined): unknown {
  return (parseOr(channelData ?? '') as { user_info?: unknown } | undefined)?.user_info;
}
