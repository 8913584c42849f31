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

  /** Resolves with status and body; a transport error resolves with status 0 (and counts as a failure). */
  request(
    method: string,
    path: string,
    opts: { query?: Record<string, string>; body?: string; headers?: Record<string, string> } = {},
  ): Promise<HttpResult> {
    const qs = opts.query ? `?${new URLSearchParams(opts.query).toString()}` : '';
    const body = opts.body ?? '';
    this.inFlight++;
    if (this.inFlight > this.maxInFlight) this.maxInFlight = this.inFlight;
    return new Promise<HttpResult>((resolve) => {
      const req = this.mod.request(
        {
          agent: this.agent,
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
      req.on('error', (err) => {
        this.fail(`${method} ${path}: ${err.message}`);
        this.inFlight--;
        resolve({ status: 0, body: '' });
      });
      req.end(body || undefined);
    });
  }

  private fail(sample: string): void {
    this.failures++;
    if (this.failureSamples.length < 5) this.failureSamples.push(sample);
  }

  close(): void {
    this.agent.destroy();
  }
}
