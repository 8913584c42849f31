/**
 * A minimal RFC 6455 client for the subscriber hot path. The `ws` client allocates a Buffer and emits an
 * event per message; at 100k+ deliveries/s that is most of the driver's CPU. This client reads plain TCP
 * sockets through `onread` into one buffer shared by every client of the thread (no Buffer per read, no
 * stream machinery: the read callback goes straight to the frame parser), parses frames in place and hands
 * the payload as (buffer, start, end), so the marker is found without a copy. Only what a subscriber
 * needs: text frames (fragmented too), ping → pong, close; masked client frames for subscribe.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { createHash, randomBytes } from 'node:crypto';

export interface RawWsHandlers {
  open(): void;
  /**
   * A complete text message: bytes [start, end) of `buf`, valid only during the call. `at` is the clock
   * reading taken once when the TCP chunk carrying it arrived (one clock read per chunk, not per message).
   */
  text(buf: Buffer, start: number, end: number, at: number): void;
  close(code: number, reason: string): void;
  error(err: Error): void;
}

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/**
 * Every read of every plain-TCP client of this thread lands here. Safe to share: a read is parsed
 * synchronously in its callback, and bytes of an incomplete frame are copied out before it returns.
 */
const READ_BUFFER = Buffer.allocUnsafe(256 * 1024);

export class RawWsClient {
  private readonly socket: Socket;
  private handshake: Buffer | null = Buffer.alloc(0);
  private pending: Buffer | null = null;
  private fragments: Buffer[] | null = null;
  private fragmentIsText = false;
  private closed = false;
  private readonly key = randomBytes(16).toString('base64');

  private at = 0;

  constructor(
    url: string,
    private readonly on: RawWsHandlers,
    timeoutMs = 10_000,
    /** Clock for `at` (default Date.now). */
    private readonly clock: () => number = Date.now,
  ) {
    const u = new URL(url);
    const secure = u.protocol === 'wss:';
    const host = u.hostname.replace(/^\[|\]$/g, '');
    const port = Number(u.port || (secure ? 443 : 80));
    this.socket = secure
      ? tlsConnect({ host, port, servername: host })
      : netConnect({
          host,
          port,
          onread: { buffer: READ_BUFFER, callback: (n: number, buf: Uint8Array) => (this.chunk(buf as Buffer, n), true) },
        });
    this.socket.setNoDelay(true);
    const timer = setTimeout(() => this.fail(new Error(`WebSocket handshake not done within ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
    this.socket.once(secure ? 'secureConnect' : 'connect', () => {
      this.socket.write(
        `GET ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${this.key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    this.handshakeTimer = timer;
    if (secure) this.socket.on('data', (chunk: Buffer) => this.chunk(chunk, chunk.length));
    this.socket.on('error', (err) => this.fail(err));
    this.socket.on('close', () => this.finish(1006, 'connection lost'));
  }

  private readonly handshakeTimer: NodeJS.Timeout;

  /** Bytes [0, n) of `chunk` arrived (valid only during the call when read into the shared buffer). */
  private chunk(chunk: Buffer, n: number): void {
    this.at = this.clock();
    if (this.handshake === null) {
      this.frames(chunk, n);
      return;
    }
    const all = Buffer.concat([this.handshake, chunk.subarray(0, n)]);
    const end = all.indexOf('\r\n\r\n');
    if (end < 0) {
      this.handshake = all;
      return;
    }
    const head = all.toString('latin1', 0, end);
    this.handshake = null;
    clearTimeout(this.handshakeTimer);
    const accept = createHash('sha1')
      .update(this.key + GUID)
      .digest('base64');
    if (!/^HTTP\/1\.1 101/.test(head) || !head.toLowerCase().includes(`sec-websocket-accept: ${accept.toLowerCase()}`)) {
      this.fail(new Error(`WebSocket upgrade refused: ${head.split('\r\n')[0]}`));
      return;
    }
    this.on.open();
    if (all.length > end + 4) this.frames(all.subarray(end + 4), all.length - end - 4);
  }

  /** Parses the frames in bytes [0, n) of `chunk`, after any incomplete frame left from the last read. */
  private frames(chunk: Buffer, n: number): void {
    let buf = chunk;
    let length = n;
    if (this.pending) {
      buf = Buffer.concat([this.pending, chunk.subarray(0, n)]);
      length = buf.length;
      this.pending = null;
    }
    let at = 0;
    while (length - at >= 2) {
      const b0 = buf[at]!;
      const b1 = buf[at + 1]!;
      let len = b1 & 0x7f;
      let head = 2;
      if (len === 126) {
        if (length - at < 4) break;
        len = buf.readUInt16BE(at + 2);
        head = 4;
      } else if (len === 127) {
        if (length - at < 10) break;
        len = Number(buf.readBigUInt64BE(at + 2));
        head = 10;
      }
      const masked = (b1 & 0x80) !== 0;
      if (masked) head += 4;
      if (length - at < head + len) break;
      const start = at + head;
      const end = start + len;
      if (masked) for (let i = 0; i < len; i++) buf[start + i] = buf[start + i]! ^ buf[at + head - 4 + (i & 3)]!;
      this.frame(b0 & 0x80, b0 & 0x0f, buf, start, end);
      at = end;
      if (this.closed) return;
    }
    if (at < length) this.pending = Buffer.from(buf.subarray(at, length));
  }

  private frame(fin: number, opcode: number, buf: Buffer, start: number, end: number): void {
    switch (opcode) {
      case 0x1:
      case 0x2:
        if (fin) {
          if (opcode === 0x1) this.on.text(buf, start, end, this.at);
        } else {
          this.fragments = [Buffer.from(buf.subarray(start, end))];
          this.fragmentIsText = opcode === 0x1;
        }
        return;
      case 0x0:
        if (!this.fragments) return;
        this.fragments.push(Buffer.from(buf.subarray(start, end)));
        if (fin) {
          const whole = Buffer.concat(this.fragments);
          this.fragments = null;
          if (this.fragmentIsText) this.on.text(whole, 0, whole.length, this.at);
        }
        return;
      case 0x8: {
        const code = end - start >= 2 ? buf.readUInt16BE(start) : 1005;
        const reason = end - start > 2 ? buf.toString('utf8', start + 2, end) : '';
        this.send(0x8, end - start >= 2 ? buf.subarray(start, start + 2) : Buffer.alloc(0));
        this.socket.end();
        this.finish(code, reason);
        return;
      }
      case 0x9:
        this.send(0xa, Buffer.from(buf.subarray(start, end)));
        return;
      default:
        return;
    }
  }

  /** Sends a masked frame (clients must mask, RFC 6455 §5.3). */
  private send(opcode: number, payload: Buffer): void {
    if (this.socket.destroyed || this.handshake !== null) return;
    const n = payload.length;
    const head = n < 126 ? 2 : n < 65536 ? 4 : 10;
    const frame = Buffer.allocUnsafe(head + 4 + n);
    frame[0] = 0x80 | opcode;
    if (n < 126) frame[1] = 0x80 | n;
    else if (n < 65536) {
      frame[1] = 0x80 | 126;
      frame.writeUInt16BE(n, 2);
    } else {
      frame[1] = 0x80 | 127;
      frame.writeBigUInt64BE(BigInt(n), 2);
    }
    const mask = randomBytes(4);
    mask.copy(frame, head);
    for (let i = 0; i < n; i++) frame[head + 4 + i] = payload[i]! ^ mask[i & 3]!;
    this.socket.write(frame);
  }

  sendText(text: string): void {
    this.send(0x1, Buffer.from(text, 'utf8'));
  }

  /** Closing handshake with 1000, then the socket ends. */
  close(): void {
    if (this.closed) return;
    const code = Buffer.alloc(2);
    code.writeUInt16BE(1000);
    this.send(0x8, code);
    this.socket.end();
    this.finish(1000, 'closed by client');
  }

  terminate(): void {
    this.socket.destroy();
    this.finish(1006, 'terminated');
  }

  private fail(err: Error): void {
    if (this.closed) return;
    this.on.error(err);
    this.socket.destroy();
    this.finish(1006, err.message);
  }

  private finish(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.on.close(code, reason);
  }
}
