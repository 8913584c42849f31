/**
 * One soak client: a Pusher connection that subscribes (signing private and presence auth with the app
 * secret, as the app's auth endpoint would), counts what arrives, answers the hub's pings like pusher-js,
 * and leaves in one of the ways docs/soak.md lists. A silent client sends nothing at all, not even a
 * WebSocket pong. Few per cycle, so the `ws` client is fine here (the hot paths use raw-ws-client).
 */
import WebSocket from 'ws';
import { connectionUrl } from '../../spec/protocol/index.ts';
import { signChannelAuth } from '../../spec/protocol/signing.ts';
import type { TargetFile } from '../../spec/target.ts';
import type { LeaveKind } from './soak-types.ts';

export interface SoakClientOptions {
  /** WebSocket base URL of the node to connect to. */
  ws: string;
  app: TargetFile['app'];
  /** Sends nothing, ever (no pusher:pong, no WebSocket pong). */
  silent?: boolean;
  /** Every channel event: channel, event name, its `data` string, receipt time (ms, performance clock). */
  onEvent?(channel: string, event: string, data: string): void;
  timeoutMs?: number;
}

export interface Closed {
  code: number;
  reason: string;
  /** performance.now() when it closed. */
  at: number;
}

export class SoakClient {
  readonly ws: WebSocket;
  socketId = '';
  /** Announced in pusher:connection_established. */
  activityTimeoutS: number | undefined;
  /** performance.now() of the last frame this client sent (or of the connection, before any). */
  lastSentAt = 0;
  openedAt = 0;
  readonly closed: Promise<Closed>;
  private readonly waiting = new Map<string, { ok: () => void; fail: (e: Error) => void }>();
  private stopped = false;

  private constructor(private readonly o: SoakClientOptions) {
    this.ws = new WebSocket(connectionUrl(o.ws, o.app.key), { autoPong: !o.silent, handshakeTimeout: o.timeoutMs ?? 10_000 });
    this.closed = new Promise((resolve) => {
      this.ws.once('close', (code, reason) => resolve({ code, reason: reason.toString(), at: performance.now() }));
    });
    this.ws.on('error', () => undefined);
    this.ws.on('message', (raw) => this.frame(raw.toString()));
  }

  /** Resolves once `pusher:connection_established` arrived. */
  static open(o: SoakClientOptions): Promise<SoakClient> {
    const c = new SoakClient(o);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => fail(new Error(`no pusher:connection_established within ${o.timeoutMs ?? 10_000} ms`)),
        o.timeoutMs ?? 10_000,
      );
      const fail = (e: Error) => {
        clearTimeout(timer);
        c.ws.terminate();
        reject(e);
      };
      c.ws.once('error', (e) => fail(e));
      void c.closed.then((x) => fail(new Error(`closed ${x.code} ${x.reason} before connection_established`)));
      c.waiting.set('', {
        ok: () => {
          clearTimeout(timer);
          resolve(c);
        },
        fail,
      });
    });
  }

  private frame(text: string): void {
    let f: { event?: string; channel?: string; data?: unknown };
    try {
      f = JSON.parse(text) as typeof f;
    } catch {
      return;
    }
    const data = typeof f.data === 'string' ? f.data : JSON.stringify(f.data ?? {});
    switch (f.event) {
      case 'pusher:connection_established': {
        const d = JSON.parse(data) as { socket_id?: string; activity_timeout?: number };
        this.socketId = d.socket_id ?? '';
        this.activityTimeoutS = d.activity_timeout;
        this.openedAt = this.lastSentAt = performance.now();
        this.settle('', true);
        return;
      }
      case 'pusher:ping':
        if (!this.o.silent && !this.stopped) this.send({ event: 'pusher:pong', data: {} });
        return;
      case 'pusher_internal:subscription_succeeded':
        this.settle(f.channel ?? '', true);
        return;
      case 'pusher:error':
        for (const ch of [...this.waiting.keys()]) this.settle(ch, false, `pusher:error ${data}`);
        return;
      default:
        if (f.channel && f.event && !f.event.startsWith('pusher')) this.o.onEvent?.(f.channel, f.event, data);
    }
  }

  private settle(channel: string, ok: boolean, why = ''): void {
    const w = this.waiting.get(channel);
    if (!w) return;
    this.waiting.delete(channel);
    if (ok) w.ok();
    else w.fail(new Error(why));
  }

  send(frame: object): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    this.ws.send(JSON.stringify(frame));
    this.lastSentAt = performance.now();
  }

  /** Subscribes; presence channels as `userId`. Resolves on subscription_succeeded. */
  subscribe(channel: string, userId?: string, timeoutMs = 10_000): Promise<void> {
    const channelData = channel.startsWith('presence-') ? JSON.stringify({ user_id: userId, user_info: { soak: true } }) : undefined;
    const needsAuth = channel.startsWith('private-') || channel.startsWith('presence-');
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => this.settle(channel, false, `no subscription_succeeded for ${channel} within ${timeoutMs} ms`),
        timeoutMs,
      );
      this.waiting.set(channel, {
        ok: () => (clearTimeout(timer), resolve()),
        fail: (e) => (clearTimeout(timer), reject(e)),
      });
      this.send({
        event: 'pusher:subscribe',
        data: {
          channel,
          ...(needsAuth ? { auth: signChannelAuth(this.o.app, this.socketId, channel, channelData) } : {}),
          ...(channelData !== undefined ? { channel_data: channelData } : {}),
        },
      });
    });
  }

  /** Leaves as `kind`; resolves once this side is done (the hub may still hold the connection). */
  async leave(kind: LeaveKind, channels: readonly string[]): Promise<void> {
    switch (kind) {
      case 'close':
        return this.close();
      case 'unsubscribe':
        for (const channel of channels) this.send({ event: 'pusher:unsubscribe', data: { channel } });
        return this.close();
      case 'destroy':
        this.ws.terminate();
        return;
      case 'unresponsive':
        // Its last frame restarts the hub's activity timer now; then it reads nothing and answers nothing.
        this.send({ event: 'pusher:ping', data: {} });
        this.stopped = true;
        this.ws.pause();
        return;
    }
  }

  /** Close handshake, destroyed if the hub does not answer within 2 s. */
  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    this.ws.close(1000);
    const timer = setTimeout(() => this.ws.terminate(), 2000);
    await this.closed;
    clearTimeout(timer);
  }

  /** Gone for good, no goodbye. */
  destroy(): void {
    this.ws.terminate();
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }
}
