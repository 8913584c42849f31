/**
 * One client connection: its socket id, subscriptions, signed-in user and heartbeat bookkeeping.
 * Kept small on purpose: the hub holds thousands of these.
 */
import { randomInt } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { WebSocket } from 'ws';
import { closeReason, errorFrame } from './socket-errors.ts';
import { writeThisTurn } from '../wire/turn-writes.ts';

/**
 * A connection that does not finish the close handshake within this long after the hub closed it is
 * destroyed, so a dead peer (the 4201 case) cannot hold its socket for ws's 30 s default.
 */
const CLOSE_GRACE_MS = 1_000;

/**
 * A subscriber this far behind (bytes queued in the kernel + ws) is a slow consumer; it is closed with
 * 4100 (back off) rather than let one reader grow the hub's memory without bound.
 */
export const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

export class PusherConnection {
  /** channel → presence user id on presence channels, `undefined` elsewhere. */
  readonly channels = new Map<string, string | undefined>();
  /** Set by a successful `pusher:signin`. */
  userId: string | undefined;
  /** Last time anything arrived from the client (ms since epoch). */
  lastSeen: number;
  /** When the hub's outstanding `pusher:ping` went out; 0 when none is outstanding. */
  pingSentAt = 0;
  /** Fixed one-second window for the client-event rate limit. */
  eventWindowStart = 0;
  eventWindowCount = 0;
  closing = false;

  /** presence channel → the member's `user_info` as subscribed (a cluster node re-registers it after an outage). */
  readonly memberInfo = new Map<string, { value: unknown } | undefined>();

  constructor(
    readonly socketId: string,
    /** Null for a connection held by another node of a cluster (a stand-in that receives nothing here). */
    readonly ws: WebSocket | null,
    /** The TCP socket under `ws`: fan-out writes pre-framed bytes to it directly. */
    private readonly socket: Duplex | null,
    now: number,
  ) {
    this.lastSeen = now;
  }

  /** A connection held by another node of the cluster. */
  static remote(socketId: string): PusherConnection {
    return new PusherConnection(socketId, null, null, 0);
  }

  touch(now: number): void {
    this.lastSeen = now;
    this.pingSentAt = 0;
  }

  /** Sends an already-encoded frame as a text message. */
  // implements: pusher/connection/9
  send(frame: string | Buffer): void {
    if (this.writable()) this.ws!.send(frame, { binary: false });
  }

  /**
   * Writes a whole WebSocket frame built once by `textFrame` for every subscriber, with the connection's
   * other frames of this loop turn (turn-writes.ts). Safe beside `ws`'s own writes: with permessage-deflate
   * off, `ws` writes each frame to the socket at once, never queued, so they keep their order.
   */
  sendFramed(frame: Buffer): void {
    if (this.writable()) writeThisTurn(this.socket!, frame);
  }

  /** Open and not a slow consumer; a subscriber too far behind is closed with 4100 (back off). */
  // implements: pusher/close-codes/2
  private writable(): boolean {
    if (this.ws === null || this.closing || this.ws.readyState !== WebSocket.OPEN) return false;
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.close(4100, 'slow consumer: too much undelivered data, reconnect later');
      return false;
    }
    return true;
  }

  sendError(code: number, message: string): void {
    this.send(errorFrame(code, message));
  }

  /** Closes with a Pusher code; the socket is destroyed if the peer does not answer the close frame. */
  close(code: number, reason: string): void {
    const ws = this.ws;
    if (this.closing || ws === null) return;
    this.closing = true;
    ws.close(code, closeReason(reason));
    setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
  }
}

/** `\d+\.\d+`, random, unique among the live connections. */
// implements: pusher/connection/4
export function newSocketId(taken: (id: string) => boolean): string {
  for (;;) {
    const id = `${randomInt(1, 1_000_000_000)}.${randomInt(1, 1_000_000_000)}`;
    if (!taken(id)) return id;
  }
}
