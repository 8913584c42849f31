/**
 * The Pusher side of the scripted sync API: `/app/{key}` on the API's own port, as a sync hub speaks it
 * to agents. It welcomes a connection with a `socket_id`, verifies each subscribe's `auth` for that
 * socket (spec/protocol/signing.ts), answers pings, and broadcasts sync events with their envelope, every
 * event also kept as the channel's history. Frames are recorded on the case clock.
 */
import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import { decodeFrame, encodeFrame, frameData, PusherEvent, verifyChannelAuth, type AppCredentials } from '../../../spec/protocol/index.ts';
import type { SyncEventName } from '../../../spec/schemas/sync.ts';
import { wireEventName } from '../../../spec/schemas/sync.ts';

export interface StreamConnection {
  name: string;
  socketId: string;
  openedAt: number;
  closedAt?: number;
  ws: WebSocket;
  /** Channel → when the hub confirmed the subscribe (case clock). */
  subscribed: Map<string, number>;
  /** Subscribes the hub refused, with why. */
  refused: Array<{ channel: string; why: string }>;
}

export interface HistoryEntry {
  seq: number;
  event_id: string;
  event: string;
  data: Record<string, unknown>;
  emitted_at: string;
}

export interface StreamHost {
  now(): number;
  log(dir: '>' | '<' | 'open' | 'close' | 'note', conn: string, text: string): void;
  notify(): void;
}

/** Announced in `connection_established` (and in `GET /api/hub`); long, since no sync-client case judges Pusher pings. */
export const SYNC_ACTIVITY_TIMEOUT_S = 30;

export class SyncStream {
  readonly connections: StreamConnection[] = [];
  readonly history = new Map<string, HistoryEntry[]>();

  constructor(
    private readonly app: AppCredentials,
    private readonly host: StreamHost,
  ) {}

  accept(ws: WebSocket): StreamConnection {
    const n = this.connections.length + 1;
    const conn: StreamConnection = {
      name: `ws#${n}`,
      socketId: `${1000 + n}.${Math.floor(Math.random() * 1e6)}`,
      openedAt: this.host.now(),
      ws,
      subscribed: new Map(),
      refused: [],
    };
    this.connections.push(conn);
    this.host.log('open', conn.name, `stream connection, socket_id ${conn.socketId}`);
    ws.on('message', (raw) => this.onFrame(conn, raw.toString()));
    ws.on('close', (code) => {
      conn.closedAt ??= this.host.now();
      this.host.log('close', conn.name, `closed (${code})`);
      this.host.notify();
    });
    ws.on('error', () => undefined);
    this.send(conn, PusherEvent.CONNECTION_ESTABLISHED, { socket_id: conn.socketId, activity_timeout: SYNC_ACTIVITY_TIMEOUT_S });
    this.host.notify();
    return conn;
  }

  /** Appends the event to the channel's history and, unless `historyOnly`, sends it to the channel's subscribers. */
  broadcast(channel: string, name: SyncEventName, payload: Record<string, unknown>, historyOnly = false): HistoryEntry {
    const list = this.history.get(channel) ?? [];
    this.history.set(channel, list);
    const emitted = new Date().toISOString();
    const data = { ...payload, event_id: randomUUID(), seq: list.length + 1, emitted_at: emitted };
    const entry: HistoryEntry = { seq: data.seq, event_id: data.event_id, event: wireEventName(name), data, emitted_at: emitted };
    list.push(entry);
    if (historyOnly) this.host.log('note', 'hub', `kept ${name} seq ${entry.seq} on ${channel} for history only`);
    else for (const c of this.openConnections()) if (c.subscribed.has(channel)) this.send(c, entry.event, data, channel);
    return entry;
  }

  /** Ends every stream connection without a close frame, as a network drop or a killed hub would. */
  dropAll(): void {
    for (const c of this.openConnections()) {
      c.closedAt = this.host.now();
      this.host.log('close', c.name, 'dropped by the script (no close frame)');
      c.ws.terminate();
    }
    this.host.notify();
  }

  openConnections(): StreamConnection[] {
    return this.connections.filter((c) => c.closedAt === undefined);
  }

  private send(conn: StreamConnection, event: string, data: unknown, channel?: string): void {
    const text = encodeFrame(event, data, channel);
    this.host.log('>', conn.name, text);
    conn.ws.send(text);
  }

  private onFrame(conn: StreamConnection, raw: string): void {
    this.host.log('<', conn.name, raw);
    let frame;
    try {
      frame = decodeFrame(raw);
    } catch {
      return;
    }
    if (frame.event === PusherEvent.PING) this.send(conn, PusherEvent.PONG, {});
    if (frame.event === PusherEvent.SUBSCRIBE) {
      const d = frameData<{ channel?: string; auth?: string }>(frame) ?? {};
      const channel = String(d.channel ?? '');
      if (!verifyChannelAuth(this.app, d.auth, conn.socketId, channel)) {
        conn.refused.push({ channel, why: `auth ${JSON.stringify(d.auth)} is not signed for ${conn.socketId}:${channel}` });
        this.send(conn, PusherEvent.ERROR, { code: 4009, message: 'invalid signature' });
      } else {
        conn.subscribed.set(channel, this.host.now());
        this.send(conn, PusherEvent.SUBSCRIPTION_SUCCEEDED, '{}', channel);
      }
    }
    if (frame.event === PusherEvent.UNSUBSCRIBE) conn.subscribed.delete(String(frameData<{ channel?: string }>(frame)?.channel));
    this.host.notify();
  }
}
