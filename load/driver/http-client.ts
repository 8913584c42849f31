/**
 * A keep-alive HTTP client for the publishing side: fire requests on schedule without awaiting them
 * (open model), count failures and in-flight requests, never throw into the schedule loop.
 */
import http from 'node:http';
import https from 'node:https';

export interface HttpClientOptions {
  /** Base URL, may carry a path prefix (`http://127.0.0.1:6001/prefix`). */
  base: string;
  /** Parallel keep-alive connections (default 16). */
  maxSockets?: number;
  /** Per-request deadline, ms (default 10 s). */
  timeoutMs?: number;
}

export interface HttpResult {
  status: number;
  body: string;
}

export class HttpClient {
  private readonly agent: http.Agent;
  private readonly url: URL;
  private readonly mod: typeof http | typeof https;
  private readonly timeoutMs: number;
  inFlight = 0;
  maxInFlight = 0;
  failures = 0;
  readonly failureSamples: string[] = [];
  /** Requests sent a second time on a new connection (see request), and why (first five). */
  retries = 0;
  readonly retrySamples: string[] = [];
  /** Answers completed per socket: a request on a socket that had answered went out on a reused connection. */
  private readonly served = new WeakMap<object, number>();

  constructor(options: HttpClientOptions) {
    this.url = new URL(options.base);
    this.mod = this.url.protocol === 'https:' ? https : http;
    this.agent = new this.mod.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 16 });
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** Lets at least `n` requests be in flight (keep-alive sockets are opened as needed). */
  ensureSockets(n: number): void {
    if (this.agent.maxSockets < n) this.agent.maxSockets = n;
  }

  /** The path prefix of the base URL ('' or '/prefix'), which signed requests must include. */
  get prefix(): string {
    return this.url.pathname.replace(/\/+$/, '');
  }

  /**
   * Resolves with status and body; a transport error resolves with status 0 (and counts as a failure). A
   * request that went out on a reused keep-alive socket the server closed before answering (ECONNRESET,
   * "socket hang up", not one byte of answer) is sent once more on a new connection, as Node's docs advise
   * (`request.reusedSocket`): the same rule as RawHttpClient (load/README.md).
   */
  request(
    method: string,
    path: string,
    opts: { query?: Record<string, string>; body?: string; headers?: Record<string, string> } = {},
  ): Promise<HttpResult> {
    this.inFlight++;
    if (this.inFlight > this.maxInFlight) this.maxInFlight = this.inFlight;
    return new Promise<HttpResult>((resolve) => this.attempt(method, path, opts, false, resolve));
  }

  private attempt(
    method: string,
    path: string,
    opts: { query?: Record<string, string>; body?: string; headers?: Record<string, string> },
    retry: boolean,
    resolve: (r: HttpResult) => void,
  ): void {
    const qs = opts.query ? `?${new URLSearchParams(opts.query).toString()}` : '';
    const body = opts.body ?? '';
    let answered = false;
    const req = this.mod.request(
      {
        // The retry gets a connection of its own (agent false: a new socket, closed after the answer).
        agent: retry ? false : this.agent,
        host: this.url.hostname.replace(/^\[|\]$/g, ''),
        port: this.url.port,
        method,
        path: `${this.prefix}${path}${qs}`,
        headers: {
          ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}),
          ...opts.headers,
        },
        timeout: this.timeoutMs,
      },
      (res) => {
        answered = true;
        this.served.set(res.socket, (this.served.get(res.socket) ?? 0) + 1);
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const text = Buffer.concat(chunks).toString('utf8');
          if (status >= 400) this.fail(`${method} ${path} → ${status} ${text.slice(0, 160)}`);
          this.inFlight--;
          resolve({ status, body: text });
        });
        res.on('error', (err) => {
          this.fail(`${method} ${path}: ${err.message}`);
          this.inFlight--;
          resolve({ status: 0, body: '' });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (answered) return;
      // req.reusedSocket is not set for a request that waited for a socket: count answers per socket instead.
      const reused = req.socket !== null && (this.served.get(req.socket) ?? 0) > 0;
      if (!retry && reused && (err.code === 'ECONNRESET' || err.code === 'EPIPE')) {
        this.retries++;
        if (this.retrySamples.length < 5) this.retrySamples.push(`${method} ${path}: ${err.message} on a reused connection`);
        this.attempt(method, path, opts, true, resolve);
        return;
      }
      this.fail(`${method} ${path}: ${err.message}`);
      this.inFlight--;
      resolve({ status: 0, body: '' });
    });
    req.end(body || undefined);
  }

  private fail(sample: string): void {
    this.failures++;
    if (this.failureSamples.length < 5) this.failureSamples.push(sample);
  }

  close(): void {
    this.agent.destroy();
  }
}
