/**
 * A logged WebSocket for conformance cases: every frame sent and received, every control frame and the
 * close go to the case's wire log; received frames are kept so a wait can never miss one that arrived
 * early. Every wait has a deadline and honours the case's abort signal.
 */
import WebSocket from 'ws';
import { decodeFrame, PusherEvent, type Frame } from '../../spec/protocol/frames.ts';
import { connectionClosedCause, connectionRefusedCause } from '../root-cause.ts';
import { CheckFailure, type CaseContext } from '../types.ts';
import { clip, nextLabel, sleep, waitUntil } from './wait.ts';

export interface CloseInfo {
  code: number;
  reason: string;
}

export interface WireSocketOptions {
  /** Full ws:// URL. */
  url: string;
  /** Connection label in the wire log; default `ws#<n>`. */
  label?: string;
  /** Answer WebSocket ping control frames (ws default). Default true; false to test the hub's pong timeout. */
  autoPong?: boolean;
  /** Answer the hub's `pusher:ping` with `pusher:pong`, as pusher-js does. Default true. */
  answerPings?: boolean;
  /** Deadline for the TCP + WebSocket handshake. Default 5000 ms. */
  openTimeoutMs?: number;
  /** Extra request headers for the upgrade. */
  headers?: Record<string, string>;
}

export interface WaitForOptions {
  /** Default 3000 ms. */
  timeoutMs?: number;
  /** What is awaited, for the failure message (`pusher:pong`). */
  desc: string;
  /** Only frames that arrive after this call (default: also earlier frames no wait has taken yet). */
  fresh?: boolean;
}

export type FramePredicate = (frame: Frame) => boolean;

/** Matches by event name and, when given, channel. */
export const isEvent =
  (event: string, channel?: string): FramePredicate =>
  (f) =>
    f.event === event && (channel === undefined || f.channel === channel);

interface Waiter {
  pred: FramePredicate;
  resolve: (f: Frame) => void;
  reject: (e: unknown) => void;
  desc: string;
}

export class WireSocket {
  readonly label: string;
  /** Every parsed frame received, in order. */
  readonly frames: Frame[] = [];
  /** Received payloads that were not a Pusher frame (not JSON, binary, no event). */
  readonly invalid: string[] = [];
  /** WebSocket ping control frames received from the hub. */
  wsPingsReceived = 0;
  /** WebSocket pong control frames received from the hub. */
  wsPongsReceived = 0;
  /** Resolves once the connection is closed, by either side or by an error. */
  readonly closed: Promise<CloseInfo>;
  closeInfo: CloseInfo | undefined;
  /** The harness closed or dropped the connection itself (a close the hub did not choose). */
  closedByHarness = false;
  /** The last socket error (`ECONNREFUSED`…), for a refused handshake. */
  lastError: string | undefined;

  private readonly taken = new WeakSet<Frame>();
  private readonly waiters = new Set<Waiter>();
  private readonly collectors: Array<{ pred: FramePredicate; into: Frame[] }> = [];
  private readonly listeners = new Set<(f: Frame) => void>();
  private resolveClosed!: (c: CloseInfo) => void;
  /** Keep-alive: ping after this long without a frame from the hub (0: never). */
  private keepAliveMs = 0;
  private keepAliveTimer: NodeJS.Timeout | undefined;
  /** Pongs still due for keep-alive pings; they answer the harness's pings, not a case's. */
  private keepAlivePongsDue = 0;

  constructor(
    protected readonly ctx: CaseContext,
    readonly ws: WebSocket,
    label: string,
    private readonly answerPings: boolean,
  ) {
    this.label = label;
    this.closed = new Promise((r) => (this.resolveClosed = r));
    ws.on('message', (data, isBinary) => this.onMessage(data as Buffer, isBinary));
    ws.on('ping', (d: Buffer) => {
      this.wsPingsReceived++;
      ctx.log('<', label, `(ws ping${d.length ? ` ${clip(d.toString('utf8'), 80)}` : ''})`);
    });
    ws.on('pong', (d: Buffer) => {
      this.wsPongsReceived++;
      ctx.log('<', label, `(ws pong${d.length ? ` ${clip(d.toString('utf8'), 80)}` : ''})`);
    });
    ws.on('error', (err) => {
      this.lastError = (err as NodeJS.ErrnoException).code ?? err.message;
      ctx.log('note', label, `socket error: ${err.message}`);
    });
    ws.on('close', (code, reason) => this.onClose({ code, reason: reason.toString('utf8') }));
  }

  /** The local TCP port, to find this connection in a fault proxy. */
  get localPort(): number | undefined {
    return (this.ws as unknown as { _socket?: { localPort?: number } })._socket?.localPort;
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  send(frame: Frame | Record<string, unknown>): void {
    this.sendRaw(JSON.stringify(frame));
  }

  /** Sends text as a text frame, a Buffer as a binary frame; a closed socket is noted, not thrown. */
  sendRaw(data: string | Buffer): void {
    const shown = typeof data === 'string' ? clip(data) : `(binary ${data.length} bytes)`;
    if (this.ws.readyState !== WebSocket.OPEN) {
      this.ctx.log('note', this.label, `not sent (socket ${this.closeInfo ? 'closed' : 'not open'}): ${shown}`);
      return;
    }
    this.ctx.log('>', this.label, shown);
    this.ws.send(data, { binary: typeof data !== 'string' });
  }

  /**
   * Behaves like pusher-js from now on: after `ms` without a frame from the hub, sends `pusher:ping`.
   * The pongs it gets back are not offered to a case's waits (a case's own ping/pong sync point stays
   * its own); the harness never closes the connection for a missing pong — that is the hub's call to judge.
   */
  keepAlive(ms: number): void {
    this.keepAliveMs = ms;
    this.armKeepAlive();
  }

  private armKeepAlive(): void {
    clearTimeout(this.keepAliveTimer);
    if (this.keepAliveMs <= 0 || this.closeInfo) return;
    this.keepAliveTimer = setTimeout(() => {
      if (this.ws.readyState !== WebSocket.OPEN) return;
      this.keepAlivePongsDue++;
      this.ctx.log('note', this.label, `keep-alive: nothing from the hub for ${this.keepAliveMs} ms`);
      this.send({ event: PusherEvent.PING, data: {} });
      this.armKeepAlive();
    }, this.keepAliveMs);
    this.keepAliveTimer.unref();
  }

  /** Sends a WebSocket ping control frame. */
  ping(payload = ''): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    this.ctx.log('>', this.label, `(ws ping${payload ? ` ${payload}` : ''})`);
    this.ws.ping(payload);
  }

  /** Sends a WebSocket pong control frame (unsolicited or answering a ping by hand). */
  pong(payload = ''): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    this.ctx.log('>', this.label, `(ws pong${payload ? ` ${payload}` : ''})`);
    this.ws.pong(payload);
  }

  /** Sends a WebSocket ping and waits for the pong control frame that answers it. */
  pingAndWaitForPong(timeoutMs = 3000, payload = 'hubproof'): Promise<void> {
    const before = this.wsPongsReceived;
    this.ping(payload);
    return waitUntil<void>(
      this.ctx,
      (resolve, reject) => {
        const onPong = () => {
          if (this.wsPongsReceived > before) resolve();
        };
        this.ws.on('pong', onPong);
        void this.closed.then(() => reject(this.closedBefore('a WebSocket pong')));
        return () => this.ws.off('pong', onPong);
      },
      { timeoutMs, desc: `WebSocket pong control frame on ${this.label}`, actual: () => `no pong; ${this.recentSummary()}` },
    );
  }

  /** Resolves with the first matching frame no earlier wait has taken; rejects on timeout or close. */
  waitFor(pred: FramePredicate, opts: WaitForOptions): Promise<Frame> {
    const timeoutMs = opts.timeoutMs ?? 3000;
    if (!opts.fresh) {
      const early = this.frames.find((f) => !this.taken.has(f) && pred(f));
      if (early) {
        this.taken.add(early);
        return Promise.resolve(early);
      }
    }
    if (this.closeInfo) return Promise.reject(this.closedBefore(opts.desc));
    let waiter: Waiter | undefined;
    return waitUntil<Frame>(
      this.ctx,
      (resolve, reject) => {
        waiter = { pred, resolve, reject, desc: opts.desc };
        this.waiters.add(waiter);
        return () => this.waiters.delete(waiter!);
      },
      { timeoutMs, desc: `${opts.desc} on ${this.label}`, actual: () => this.recentSummary() },
    );
  }

  /** Waits for one frame matching `event` (and `channel`). */
  waitForEvent(event: string, channel?: string, timeoutMs?: number): Promise<Frame> {
    return this.waitFor(isEvent(event, channel), { desc: channel ? `${event} on ${channel}` : event, timeoutMs });
  }

  /** A live array of matching frames received from now on (`includePast` adds the earlier ones). */
  collect(pred: FramePredicate, opts: { includePast?: boolean } = {}): Frame[] {
    const into = opts.includePast ? this.frames.filter(pred) : [];
    this.collectors.push({ pred, into });
    return into;
  }

  /** Frames received so far that match and that no wait has taken. */
  untaken(pred: FramePredicate): Frame[] {
    return this.frames.filter((f) => !this.taken.has(f) && pred(f));
  }

  /** Calls `fn` for every frame received from now on; returns the unsubscribe function. */
  onFrame(fn: (f: Frame) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /**
   * Watches for `withinMs` and fails the check if a matching frame arrives (e.g. an echoed client event).
   * Frames received before the call count too unless `fresh`.
   */
  async expectNone(pred: FramePredicate, opts: { withinMs: number; desc: string; fresh?: boolean }): Promise<void> {
    const seen = opts.fresh ? [] : this.untaken(pred);
    const later = this.collect(pred);
    try {
      await sleep(this.ctx, opts.withinMs);
    } finally {
      this.stopCollecting(later);
    }
    const hit = [...seen, ...later][0];
    if (hit) {
      throw new CheckFailure(
        `${this.label} received ${opts.desc}`,
        `not to receive ${opts.desc} within ${opts.withinMs} ms`,
        `received ${clip(JSON.stringify(hit), 400)}`,
      );
    }
  }

  stopCollecting(into: Frame[]): void {
    const i = this.collectors.findIndex((c) => c.into === into);
    if (i >= 0) this.collectors.splice(i, 1);
  }

  /** Waits for the close, failing the check if none comes within `timeoutMs`. */
  waitForClose(timeoutMs: number, desc = 'close'): Promise<CloseInfo> {
    if (this.closeInfo) return Promise.resolve(this.closeInfo);
    return waitUntil<CloseInfo>(
      this.ctx,
      (resolve) => {
        void this.closed.then(resolve);
        return () => undefined;
      },
      { timeoutMs, desc: `${desc} of ${this.label}`, actual: () => `connection still open; ${this.recentSummary()}` },
    );
  }

  /** Closing handshake with `code`; terminates when the hub does not answer within 2 s. */
  async close(code = 1000, reason = ''): Promise<CloseInfo> {
    if (this.closeInfo) return this.closeInfo;
    if (this.ws.readyState === WebSocket.CONNECTING) {
      this.terminate();
      return this.closed;
    }
    this.ctx.log('note', this.label, `closing with ${code}${reason ? ` ${reason}` : ''}`);
    this.closedByHarness = true;
    this.ws.close(code, reason);
    const timer = setTimeout(() => this.terminate(), 2000);
    const info = await this.closed;
    clearTimeout(timer);
    return info;
  }

  /** Drops the TCP connection without a closing handshake (an abrupt client drop). */
  terminate(): void {
    if (this.closeInfo) return;
    this.ctx.log('note', this.label, 'terminating (no close frame)');
    this.closedByHarness = true;
    this.ws.terminate();
  }

  /** The last few frames, for a failure's `Actual:`. */
  recentSummary(n = 5): string {
    const last = this.frames.slice(-n).map((f) => clip(JSON.stringify(f), 200));
    const closed = this.closeInfo ? `; closed ${this.closeInfo.code} ${this.closeInfo.reason}` : '';
    return last.length ? `last frames: ${last.join(' | ')}${closed}` : `no frames received${closed}`;
  }

  private closedBefore(desc: string): CheckFailure {
    const c = this.closeInfo!;
    return new CheckFailure(
      `${this.label} closed (${c.code}${c.reason ? ` "${c.reason}"` : ''}) before ${desc}`,
      desc,
      `connection closed with ${c.code}${c.reason ? ` "${c.reason}"` : ''}; ${this.recentSummary()}`,
      undefined,
      this.closedByHarness ? {} : { rootCause: connectionClosedCause(c.code, c.reason) },
    );
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    const text = data.toString('utf8');
    if (isBinary) {
      this.ctx.log('<', this.label, `(binary ${data.length} bytes)`);
      this.invalid.push(text);
      return;
    }
    this.ctx.log('<', this.label, clip(text));
    let frame: Frame;
    try {
      frame = decodeFrame(text);
    } catch {
      this.invalid.push(text);
      return;
    }
    if (this.answerPings && frame.event === PusherEvent.PING) this.send({ event: PusherEvent.PONG, data: {} });
    this.armKeepAlive();
    // The hub answers pings in order, so the first pongs after keep-alive pings are theirs.
    if (frame.event === PusherEvent.PONG && this.keepAlivePongsDue > 0) {
      this.keepAlivePongsDue--;
      this.taken.add(frame);
    }
    this.frames.push(frame);
    for (const c of this.collectors) if (c.pred(frame)) c.into.push(frame);
    for (const fn of this.listeners) fn(frame);
    for (const w of [...this.waiters]) {
      if (!this.taken.has(frame) && w.pred(frame)) {
        this.taken.add(frame);
        this.waiters.delete(w);
        w.resolve(frame);
      }
    }
  }

  private onClose(info: CloseInfo): void {
    if (this.closeInfo) return;
    this.closeInfo = info;
    clearTimeout(this.keepAliveTimer);
    this.ctx.log('close', this.label, `${info.code}${info.reason ? ` ${info.reason}` : ''}`);
    for (const w of [...this.waiters]) w.reject(this.closedBefore(w.desc));
    this.waiters.clear();
    this.resolveClosed(info);
  }
}

/**
 * Opens a logged WebSocket and resolves once it is open. A refused or failed handshake rejects with a
 * CheckFailure naming the URL and what came back (HTTP status or close code). The socket is closed
 * after the case through `ctx.defer`.
 */
export async function openWireSocket<S extends WireSocket = WireSocket>(
  ctx: CaseContext,
  opts: WireSocketOptions,
  make: (ctx: CaseContext, ws: WebSocket, label: string, answerPings: boolean) => S = (c, w, l, a) => new WireSocket(c, w, l, a) as S,
): Promise<S> {
  const label = opts.label ?? nextLabel(ctx, 'ws');
  const openTimeoutMs = opts.openTimeoutMs ?? 5000;
  ctx.log('open', label, opts.url);
  const ws = new WebSocket(opts.url, { autoPong: opts.autoPong ?? true, headers: opts.headers, handshakeTimeout: openTimeoutMs });
  const sock = make(ctx, ws, label, opts.answerPings ?? true);
  ctx.defer(async () => {
    if (!sock.closeInfo) await sock.close();
  });
  let httpStatus: number | undefined;
  ws.once('unexpected-response', (_req, res) => {
    httpStatus = res.statusCode;
    ctx.log('note', label, `upgrade refused: HTTP ${res.statusCode}`);
    ws.terminate();
  });
  try {
    await waitUntil<void>(
      ctx,
      (resolve, reject) => {
        const onOpen = () => resolve();
        ws.once('open', onOpen);
        void sock.closed.then((c) => {
          const how =
            httpStatus !== undefined
              ? { http: httpStatus }
              : sock.lastError && c.code === 1006
                ? { network: sock.lastError }
                : { close: c.code, reason: c.reason };
          reject(
            new CheckFailure(
              `WebSocket handshake to ${opts.url} failed`,
              'an open WebSocket',
              httpStatus !== undefined
                ? `HTTP ${httpStatus}`
                : `closed ${c.code}${c.reason ? ` ${c.reason}` : ''}${sock.lastError ? ` (${sock.lastError})` : ''}`,
              undefined,
              { rootCause: connectionRefusedCause(how) },
            ),
          );
        });
        return () => ws.off('open', onOpen);
      },
      { timeoutMs: openTimeoutMs, desc: `WebSocket open (${opts.url})` },
    );
  } catch (err) {
    sock.terminate();
    throw err;
  }
  return sock;
}
