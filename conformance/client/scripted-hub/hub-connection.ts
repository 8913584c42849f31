/**
 * One client connection as the scripted hub sees it: its URL, `socket_id`, subscriptions, when it
 * opened, was established and closed (with which code, by whom), and the script's levers on it (send any
 * frame, close with a code, drop without a close frame, withhold pongs). Every frame it sends is logged
 * on the case clock.
 */
import type { WebSocket } from 'ws';
import { encodeFrame } from '../../../spec/protocol/index.ts';

export interface Subscription {
  channel: string;
  /** When its `pusher:subscribe` arrived (case clock, ms). */
  at: number;
  auth?: string;
  channelData?: string;
  /** The presence user id its channel data signed. */
  userId?: string;
  /** When the hub sent `pusher_internal:subscription_succeeded`. */
  confirmedAt?: number;
  /** Why the hub refused it (`pusher:error` 4009). */
  refused?: string;
}

export interface CloseRecord {
  t: number;
  code: number;
  reason: string;
  /** `hub`: the script closed it; `client`: the client did; `drop`: the script dropped it without a close frame. */
  by: 'hub' | 'client' | 'drop';
}

export interface HubFrame {
  t: number;
  conn: string;
  dir: '>' | '<';
  raw: string;
  /** The parsed frame's event, when it had one (`(ws ping)` for a WebSocket ping control frame). */
  event?: string;
  channel?: string;
}

export interface ConnectionHost {
  now(): number;
  record(frame: HubFrame): void;
  log(dir: '>' | '<' | 'close' | 'open' | 'note', conn: string, text: string): void;
}

export class HubConnection {
  socketId: string | undefined;
  establishedAt: number | undefined;
  closed: CloseRecord | undefined;
  /** Answer `pusher:ping` and WebSocket pings (the script turns this off to play a dead hub). */
  answerPings = true;
  readonly subscriptions = new Map<string, Subscription>();

  constructor(
    readonly name: string,
    readonly url: string,
    readonly openedAt: number,
    private readonly ws: WebSocket,
    private readonly host: ConnectionHost,
  ) {}

  get open(): boolean {
    return this.closed === undefined;
  }

  /** A raw text frame, exactly as given (malformed frames included). */
  sendRaw(text: string): void {
    if (!this.open) return;
    this.host.record({ t: this.host.now(), conn: this.name, dir: '>', raw: text, ...frameFields(text) });
    this.host.log('>', this.name, text);
    this.ws.send(text);
  }

  /** A Pusher frame, `data` encoded as a hub encodes it (spec/protocol/frames.ts). */
  send(event: string, data: unknown, channel?: string, userId?: string): void {
    this.sendRaw(encodeFrame(event, data, channel, userId));
  }

  /** Closes with a WebSocket close frame carrying `code`. */
  closeWith(code: number, reason = ''): void {
    if (!this.open) return;
    this.closed = { t: this.host.now(), code, reason, by: 'hub' };
    this.host.log('close', this.name, `hub closes with ${code}${reason ? ` ${reason}` : ''}`);
    this.ws.close(code, reason);
  }

  /** Ends the TCP connection without a close frame (the client sees 1006). */
  drop(): void {
    if (!this.open) return;
    this.closed = { t: this.host.now(), code: 1006, reason: 'dropped', by: 'drop' };
    this.host.log('close', this.name, 'hub drops the connection without a close frame');
    this.ws.terminate();
  }

  /** The client closed (or the socket ended by itself). */
  onClosed(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = { t: this.host.now(), code, reason, by: 'client' };
    this.host.log('close', this.name, `client closed with ${code}${reason ? ` ${reason}` : ''}`);
  }

  /** Answers a WebSocket ping control frame (the server's autoPong is off so the script decides). */
  pong(data: Buffer): void {
    if (this.open && this.answerPings) this.ws.pong(data);
  }
}

/** Event and channel of a raw frame, when it parses as a Pusher frame. */
export function frameFields(raw: string): { event?: string; channel?: string } {
  try {
    const f = JSON.parse(raw) as { event?: unknown; channel?: unknown };
    return {
      ...(typeof f?.event === 'string' ? { event: f.event } : {}),
      ...(typeof f?.channel === 'string' ? { channel: f.channel } : {}),
    };
  } catch {
    return {};
  }
}
