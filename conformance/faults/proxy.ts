/**
 * A TCP fault proxy the suite places between itself and the target. Bytes pass through unchanged
 * (WebSocket and HTTP alike) until a fault is injected: latency, a stall (TCP stays up, nothing moves),
 * RST or FIN of every connection, or a delayed close. Faults apply to every connection (`apply: 'all'`,
 * the default: live ones and later ones) or only to connections accepted after the call (`'new'`).
 * Listens on 127.0.0.1 only.
 */
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

export interface FaultProxyOptions {
  upstream: { host: string; port: number };
  /** Address to listen on. Default 127.0.0.1 (loopback only). */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
}

export type FaultScope = 'all' | 'new';
export interface FaultOptions {
  /** `all` (default): live and later connections; `new`: only connections accepted after this call. */
  apply?: FaultScope;
}

/** What a new connection starts with; live connections carry their own copy. */
interface Faults {
  latencyMs: number;
  stalled: boolean;
  /** Reset/cut a connection as soon as it is accepted. */
  onAccept: 'none' | 'reset' | 'cut';
  slowCloseMs: number;
}

export interface ProxyConnection {
  id: number;
  /** The client's source port as seen by the proxy (= the client socket's localPort). */
  clientPort: number;
  openedAt: number;
  bytesUp: number;
  bytesDown: number;
  /** Stop forwarding on this connection only. */
  stall(): void;
  resume(): void;
  setLatency(ms: number): void;
  /** TCP RST both sides of this connection. */
  reset(): void;
  /** FIN both sides of this connection. */
  cut(): void;
}

export interface FaultProxy {
  host: string;
  port: number;
  /** `ws://127.0.0.1:<port>` */
  wsUrl: string;
  /** `http://127.0.0.1:<port>` */
  httpUrl: string;
  setLatency(ms: number, opts?: FaultOptions): void;
  stall(opts?: FaultOptions): void;
  /** Clears stalls and latency, and the reset/cut-on-accept policy; flushes held bytes in order. */
  resume(): void;
  /**
   * TCP RST: `all` (default) resets every live connection once; `new` resets every connection accepted
   * from now on, until resume().
   */
  reset(opts?: FaultOptions): void;
  /** FIN, with the same scopes as reset(). */
  cut(opts?: FaultOptions): void;
  /** Propagates a FIN/close from one side to the other only after `ms`. */
  slowClose(ms: number, opts?: FaultOptions): void;
  connections(): ProxyConnection[];
  /** The live connection whose client source port is `port` (a WireSocket's localPort). */
  connectionFor(clientPort: number): ProxyConnection | undefined;
  close(): Promise<void>;
}

const NO_FAULTS: Faults = { latencyMs: 0, stalled: false, onAccept: 'none', slowCloseMs: 0 };

class Pipe implements ProxyConnection {
  bytesUp = 0;
  bytesDown = 0;
  readonly openedAt = Date.now();
  private held: Array<{ to: Socket; chunk: Buffer | 'end'; dir: 'up' | 'down' }> = [];
  /** Time before which the next delayed chunk may not be written (keeps order under latency). */
  private nextAt = { up: 0, down: 0 };
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    readonly id: number,
    readonly client: Socket,
    readonly upstream: Socket,
    readonly faults: Faults,
    private readonly onGone: (p: Pipe) => void,
  ) {
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    client.on('data', (c: Buffer) => this.forward(upstream, c, 'up'));
    upstream.on('data', (c: Buffer) => this.forward(client, c, 'down'));
    client.on('end', () => this.propagateEnd(upstream, 'up'));
    upstream.on('end', () => this.propagateEnd(client, 'down'));
    const gone = () => this.finish();
    client.on('close', gone);
    upstream.on('close', gone);
    client.on('error', () => this.later(() => upstream.destroy(), this.faults.slowCloseMs));
    upstream.on('error', () => this.later(() => client.destroy(), this.faults.slowCloseMs));
  }

  get clientPort(): number {
    return this.client.remotePort ?? 0;
  }

  stall(): void {
    this.faults.stalled = true;
  }

  resume(): void {
    this.faults.stalled = false;
    this.faults.latencyMs = 0;
    const held = this.held;
    this.held = [];
    for (const h of held) {
      if (h.chunk === 'end') this.propagateEnd(h.to, h.dir);
      else this.write(h.to, h.chunk, h.dir);
    }
  }

  setLatency(ms: number): void {
    this.faults.latencyMs = ms;
  }

  reset(): void {
    this.client.resetAndDestroy();
    this.upstream.resetAndDestroy();
  }

  cut(): void {
    this.client.end();
    this.upstream.end();
    // A peer that never answers the FIN must not keep the pair alive.
    this.later(() => {
      this.client.destroy();
      this.upstream.destroy();
    }, 2000);
  }

  private forward(to: Socket, chunk: Buffer, dir: 'up' | 'down'): void {
    if (dir === 'up') this.bytesUp += chunk.length;
    else this.bytesDown += chunk.length;
    if (this.faults.stalled) {
      this.held.push({ to, chunk, dir });
      return;
    }
    this.write(to, chunk, dir);
  }

  private write(to: Socket, chunk: Buffer, dir: 'up' | 'down'): void {
    const latency = this.faults.latencyMs;
    if (latency <= 0 && this.nextAt[dir] <= Date.now()) {
      if (!to.destroyed) to.write(chunk);
      return;
    }
    const at = Math.max(Date.now() + latency, this.nextAt[dir]);
    this.nextAt[dir] = at;
    this.later(() => {
      if (this.faults.stalled) this.held.push({ to, chunk, dir });
      else if (!to.destroyed) to.write(chunk);
    }, at - Date.now());
  }

  private propagateEnd(to: Socket, dir: 'up' | 'down'): void {
    // A stalled pipe holds the FIN behind the data; delayed chunks go first.
    if (this.faults.stalled) {
      this.held.push({ to, chunk: 'end', dir });
      return;
    }
    const wait = Math.max(this.faults.slowCloseMs, this.nextAt[dir] - Date.now(), 0);
    this.later(() => {
      if (!to.destroyed) to.end();
    }, wait);
  }

  private later(fn: () => void, ms: number): void {
    if (ms <= 0) return fn();
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private finish(): void {
    if (this.client.destroyed && this.upstream.destroyed) {
      this.dispose();
      this.onGone(this);
      return;
    }
    // One side is gone: the other follows (after slowClose, if set).
    this.later(() => {
      this.client.destroy();
      this.upstream.destroy();
    }, this.faults.slowCloseMs);
  }

  dispose(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.client.destroy();
    this.upstream.destroy();
  }
}

export async function startFaultProxy(opts: FaultProxyOptions): Promise<FaultProxy> {
  const host = opts.host ?? '127.0.0.1';
  const pipes = new Set<Pipe>();
  const forNew: Faults = { ...NO_FAULTS };
  let nextId = 1;

  // Half-open on both sides so a FIN is forwarded (or delayed) by us, not answered by Node.
  const server: Server = createServer({ allowHalfOpen: true }, (client) => {
    const upstream = connect({ host: opts.upstream.host, port: opts.upstream.port, allowHalfOpen: true });
    const pipe = new Pipe(nextId++, client, upstream, { ...forNew }, (p) => pipes.delete(p));
    pipes.add(pipe);
    if (forNew.onAccept === 'reset') pipe.reset();
    else if (forNew.onAccept === 'cut') pipe.cut();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const hostInUrl = host.includes(':') ? `[${host}]` : host;

  const each = (apply: FaultScope | undefined, fn: (p: Pipe) => void) => {
    if ((apply ?? 'all') === 'all') for (const p of [...pipes]) fn(p);
  };

  return {
    host,
    port,
    wsUrl: `ws://${hostInUrl}:${port}`,
    httpUrl: `http://${hostInUrl}:${port}`,
    setLatency(ms, o) {
      if (ms < 0 || !Number.isFinite(ms)) throw new TypeError('setLatency(ms): ms must be a finite number >= 0');
      forNew.latencyMs = ms;
      each(o?.apply, (p) => p.setLatency(ms));
    },
    stall(o) {
      forNew.stalled = true;
      each(o?.apply, (p) => p.stall());
    },
    resume() {
      Object.assign(forNew, NO_FAULTS);
      for (const p of pipes) p.resume();
    },
    reset(o) {
      if (o?.apply === 'new') forNew.onAccept = 'reset';
      else for (const p of [...pipes]) p.reset();
    },
    cut(o) {
      if (o?.apply === 'new') forNew.onAccept = 'cut';
      else for (const p of [...pipes]) p.cut();
    },
    slowClose(ms, o) {
      forNew.slowCloseMs = ms;
      each(o?.apply, (p) => (p.faults.slowCloseMs = ms));
    },
    connections: () => [...pipes],
    connectionFor: (clientPort) => [...pipes].find((p) => p.clientPort === clientPort),
    async close() {
      for (const p of pipes) p.dispose();
      pipes.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
