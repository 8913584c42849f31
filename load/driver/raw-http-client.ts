/**
 * A minimal HTTP/1.1 client for the publisher's hot path: keep-alive TCP connections, one request in flight
 * per connection, requests written as one string and responses parsed for status, Content-Length, chunked
 * or close-delimited body, and Connection: close. Node's http client costs about two and a half times the
 * CPU per request (measured on the 2-core build machine: 573 vs 222 µs per request at 500/s), and at 1000
 * publishes/s that was most of the driver's main thread. Plain http only; https targets use HttpClient.
 *
 * Servers that close a kept-alive connection without saying so. Laravel Reverb 1.10 closes the connection
 * after every response with no `Connection: close`; other servers close after N requests or when idle. A
 * request written into such a connection as the server closes it gets no answer. Two rules keep every
 * publish honest (see load/README.md):
 *   - Learn the limit: when the server ends a connection within LEARN_WINDOW_MS of its Nth answer without
 *     having announced it, no connection is used for more than N requests from then on.
 *   - Retry once, as curl does and Node's docs advise (`request.reusedSocket`): a request is written again,
 *     on a new connection, only when it went out on a connection that had already answered, not one byte
 *     of its answer came, and the server ended that connection (FIN or reset, not a timeout). A server that
 *     read a request and then closed without answering it would get it twice: every retry is counted.
 */
import { connect, type Socket } from 'node:net';
import type { HttpResult } from './http-client.ts';

interface Pending {
  head: string;
  body: string;
  label: string;
  resolve: (r: HttpResult) => void;
  /** Written again once already (a retry goes out on a new connection, and is final). */
  retried: boolean;
}

interface Conn {
  socket: Socket;
  busy: Pending | null;
  buf: Buffer;
  closed: boolean;
  /** Answers completed on this connection, and when the last one completed (performance.now(), ms). */
  answered: number;
  answeredAt: number;
  /** The current answer has no length: its body ends when the server closes. */
  untilClose: boolean;
}

const CRLF2 = Buffer.from('\r\n\r\n');
/** A close this soon after an answer was the server's choice, not an idle timeout (every real one is longer). */
const LEARN_WINDOW_MS = 1000;
/** Connection errors that say the server ended the connection (as opposed to never reaching it, or timing out). */
const SERVER_ENDED = new Set(['ECONNRESET', 'EPIPE']);

export class RawHttpClient {
  private readonly host: string;
  private readonly port: number;
  private readonly hostHeader: string;
  readonly prefix: string;
  private readonly conns: Conn[] = [];
  private readonly queue: Pending[] = [];
  private maxSockets: number;
  private readonly timeoutMs: number;
  inFlight = 0;
  maxInFlight = 0;
  failures = 0;
  readonly failureSamples: string[] = [];
  /** Requests written a second time under the retry rule, and why (first five). */
  retries = 0;
  readonly retrySamples: string[] = [];
  /** Answers per connection the server allows without announcing its close (Infinity until one is seen). */
  reuseLimit = Infinity;

  constructor(options: { base: string; maxSockets?: number; timeoutMs?: number }) {
    const url = new URL(options.base);
    if (url.protocol !== 'http:') throw new TypeError(`RawHttpClient speaks plain http only, got ${url.protocol}`);
    this.host = url.hostname.replace(/^\[|\]$/g, '');
    this.port = Number(url.port || 80);
    this.hostHeader = url.host;
    this.prefix = url.pathname.replace(/\/+$/, '');
    this.maxSockets = options.maxSockets ?? 16;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  ensureSockets(n: number): void {
    if (this.maxSockets < n) this.maxSockets = n;
  }

  /** Same contract as HttpClient.request: resolves with status and body; status 0 on a transport error. */
  request(
    method: string,
    path: string,
    opts: { query?: Record<string, string>; body?: string; headers?: Record<string, string> } = {},
  ): Promise<HttpResult> {
    const qs = opts.query ? `?${new URLSearchParams(opts.query).toString()}` : '';
    const body = opts.body ?? '';
    let head = `${method} ${this.prefix}${path}${qs} HTTP/1.1\r\nHost: ${this.hostHeader}\r\nConnection: keep-alive\r\n`;
    if (body) head += `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n`;
    for (const [k, v] of Object.entries(opts.headers ?? {})) head += `${k}: ${v}\r\n`;
    head += '\r\n';
    this.inFlight++;
    if (this.inFlight > this.maxInFlight) this.maxInFlight = this.inFlight;
    return new Promise<HttpResult>((resolve) => {
      this.queue.push({ head, body, label: `${method} ${path}`, resolve, retried: false });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let c = this.conns.find((x) => !x.busy && !x.closed);
      if (!c) {
        if (this.conns.length >= this.maxSockets) return;
        c = this.open();
      }
      this.write(c, this.queue.shift()!);
    }
  }

  private write(c: Conn, p: Pending): void {
    c.busy = p;
    c.socket.write(p.body ? p.head + p.body : p.head);
  }

  private open(): Conn {
    const socket = connect({ host: this.host, port: this.port });
    socket.setNoDelay(true);
    socket.setTimeout(this.timeoutMs);
    const c: Conn = { socket, busy: null, buf: Buffer.alloc(0), closed: false, answered: 0, answeredAt: 0, untilClose: false };
    this.conns.push(c);
    socket.on('data', (chunk: Buffer) => {
      c.buf = c.buf.length ? Buffer.concat([c.buf, chunk]) : chunk;
      this.parse(c);
    });
    const drop = (why: string, serverEnded: boolean): void => {
      if (c.closed) return;
      c.closed = true;
      this.forget(c);
      socket.destroy();
      // The server closed right after an answer without saying so: use no connection for more answers than this one got.
      if (serverEnded && c.answered > 0 && performance.now() - c.answeredAt < LEARN_WINDOW_MS)
        this.reuseLimit = Math.min(this.reuseLimit, c.answered);
      const p = c.busy;
      if (p && c.untilClose && serverEnded) this.finishAtClose(c);
      else if (p && serverEnded && c.answered > 0 && c.buf.length === 0 && !p.retried) {
        c.busy = null;
        p.retried = true;
        this.retries++;
        if (this.retrySamples.length < 5) this.retrySamples.push(`${p.label}: ${why} after answer ${c.answered} on its connection`);
        this.write(this.open(), p);
      } else if (p) this.settle(c, { status: 0, body: '' }, `${p.label}: ${why}`);
      this.pump();
    };
    socket.on('timeout', () => drop(`no answer within ${this.timeoutMs} ms`, false));
    socket.on('error', (err: NodeJS.ErrnoException) => drop(err.message, SERVER_ENDED.has(err.code ?? '')));
    socket.on('end', () => drop('the server closed the connection', true));
    socket.on('close', () => drop('connection closed', false));
    return c;
  }

  /** Takes one complete response off the connection's buffer, if there is one. */
  private parse(c: Conn): void {
    const end = c.buf.indexOf(CRLF2);
    if (end < 0 || !c.busy || c.untilClose) return;
    const head = c.buf.toString('latin1', 0, end);
    const status = Number(head.slice(9, 12));
    const lower = head.toLowerCase();
    const from = end + 4;
    if (lower.includes('\r\ntransfer-encoding: chunked')) {
      const decoded = dechunk(c.buf, from);
      if (decoded) this.finish(c, status, lower, decoded.end, decoded.body);
      return;
    }
    const m = /\r\ncontent-length:\s*(\d+)/.exec(lower);
    if (!m && status !== 204 && status !== 304) {
      c.untilClose = true;
      return;
    }
    const length = m ? Number(m[1]) : 0;
    if (c.buf.length >= from + length) this.finish(c, status, lower, from + length, c.buf.toString('utf8', from, from + length));
  }

  /** An answer whose body ran until the server closed the connection. */
  private finishAtClose(c: Conn): void {
    const end = c.buf.indexOf(CRLF2);
    this.finish(c, Number(c.buf.toString('latin1', 9, 12)), '', c.buf.length, c.buf.toString('utf8', end + 4));
  }

  /** Settles the answer that ends at `bodyEnd` of the buffer; reuses the connection unless it must close. */
  private finish(c: Conn, status: number, lowerHead: string, bodyEnd: number, body: string): void {
    c.buf = c.buf.subarray(bodyEnd);
    c.answered++;
    c.answeredAt = performance.now();
    const closing = c.untilClose || c.answered >= this.reuseLimit || lowerHead.includes('\r\nconnection: close');
    this.settle(c, { status, body }, status >= 400 ? `${c.busy!.label} → ${status} ${body.slice(0, 160)}` : undefined);
    if (closing && !c.closed) {
      c.closed = true;
      this.forget(c);
      c.socket.end();
    }
    this.pump();
  }

  private forget(c: Conn): void {
    const i = this.conns.indexOf(c);
    if (i >= 0) this.conns.splice(i, 1);
  }

  private settle(c: Conn, r: HttpResult, failure?: string): void {
    const p = c.busy!;
    c.busy = null;
    this.inFlight--;
    if (failure) {
      this.failures++;
      if (this.failureSamples.length < 5) this.failureSamples.push(failure);
    }
    p.resolve(r);
  }

  close(): void {
    for (const c of this.conns) {
      c.closed = true;
      c.socket.destroy();
    }
    this.conns.length = 0;
  }
}

/** A chunked body starting at `from`: its text and where it ends, or undefined while incomplete. */
function dechunk(buf: Buffer, from: number): { body: string; end: number } | undefined {
  const parts: Buffer[] = [];
  let at = from;
  for (;;) {
    const eol = buf.indexOf('\r\n', at);
    if (eol < 0) return undefined;
    const size = parseInt(buf.toString('latin1', at, eol), 16);
    if (Number.isNaN(size)) return { body: '', end: buf.length };
    if (size === 0) {
      const trailerEnd = buf.indexOf('\r\n\r\n', eol);
      if (trailerEnd < 0) return undefined;
      return { body: Buffer.concat(parts).toString('utf8'), end: trailerEnd + 4 };
    }
    if (buf.length < eol + 2 + size + 2) return undefined;
    parts.push(buf.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}
