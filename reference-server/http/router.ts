/**
 * A small HTTP router: method + path pattern (`/api/sessions/:id`), body read with a size cap, JSON
 * error bodies `{error:{code,message}}`. Kept tiny on purpose; the hub has a few dozen routes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  /** Path without the query string, as received (percent-encoding intact). */
  rawPath: string;
  params: Record<string, string>;
  query: Record<string, string>;
  /** Raw body as UTF-8 (empty string when none). */
  body: string;
}

export type Handler = (ctx: RequestContext) => void | Promise<void>;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

/**
 * What a cluster node does with a matched request instead of running it at once (cluster/http-gate.ts):
 * run it locally, after catching up with the shared log, or as a logged command on every node.
 */
export type RouteGate = (request: GatedRequest) => Promise<void>;
export interface GatedRequest {
  method: string;
  rawPath: string;
  url: string;
  req: IncomingMessage;
  res: ServerResponse;
  body: string;
  /** Runs the route's handler here, now. */
  run(): Promise<void>;
}

export class Router {
  private readonly routes: Route[] = [];
  /** Set only on a cluster node; a single node runs every handler directly. */
  gate: RouteGate | undefined;

  constructor(private readonly maxBodyBytes: number) {}

  add(method: string, path: string, handler: Handler): this {
    const keys: string[] = [];
    const source = path
      .split('/')
      .map((part) => {
        if (!part.startsWith(':')) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        keys.push(part.slice(1));
        return '([^/]+)';
      })
      .join('/');
    this.routes.push({ method, pattern: new RegExp(`^${source}$`), keys, handler });
    return this;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const method = (req.method ?? 'GET').toUpperCase();
    try {
      const found = this.match(method, url);
      const body = await readBody(req, this.maxBodyBytes);
      const run = () => found.run(req, res, body);
      if (this.gate === undefined) await run();
      else await this.gate({ method, rawPath: found.rawPath, url, req, res, body, run });
    } catch (err) {
      sendError(res, err);
    }
  }

  /**
   * Runs a request whose body is already read (a logged command being applied) with no gate; errors
   * become their JSON answers as in handle().
   */
  async dispatch(method: string, url: string, req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    try {
      await this.match(method, url).run(req, res, body);
    } catch (err) {
      sendError(res, err);
    }
  }

  private match(method: string, url: string) {
    const q = url.indexOf('?');
    const rawPath = q === -1 ? url : url.slice(0, q);
    let pathMatched = false;
    for (const route of this.routes) {
      const m = route.pattern.exec(rawPath);
      if (!m) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      const params: Record<string, string> = {};
      route.keys.forEach((k, i) => (params[k] = safeDecode(m[i + 1]!)));
      const query = Object.fromEntries(new URLSearchParams(q === -1 ? '' : url.slice(q + 1)));
      return {
        rawPath,
        run: async (req: IncomingMessage, res: ServerResponse, body: string) =>
          route.handler({ req, res, method, rawPath, params, query, body }),
      };
    }
    // implements: sync/errors/3
    if (pathMatched) throw new HttpError(405, 'method_not_allowed', `${method} is not allowed on ${rawPath}`);
    throw new HttpError(404, 'not_found', `no route for ${method} ${rawPath}`);
  }
}

/** The JSON answer for an error thrown by a handler (or the end of a response already started). */
// implements: pusher/http-api/13, sync/errors/1
export function sendError(res: ServerResponse, err: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  if (err instanceof HttpError) {
    sendJson(res, err.status, { error: { code: err.code, message: err.message }, ...err.extra });
  } else {
    sendJson(res, 500, { error: { code: 'internal', message: (err as Error).message } });
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new HttpError(400, 'bad_request', `path segment "${s}" is not valid percent-encoding`);
  }
}

// implements: sync/bad-input/3
export function readBody(req: IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > max) {
      req.resume();
      reject(new HttpError(413, 'payload_too_large', `body of ${declared} bytes exceeds the ${max}-byte limit`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        reject(new HttpError(413, 'payload_too_large', `body exceeds the ${max}-byte limit`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendEmpty(res: ServerResponse, status = 204): void {
  res.writeHead(status);
  res.end();
}

/** Parses a JSON body or throws 400 invalid_json; an empty body is `{}`. */
// implements: pusher/bad-input/8, sync/bad-input/1, agent-presence/bad-input/1
export function parseJsonBody(body: string): unknown {
  if (body.trim() === '') return {};
  try {
    return JSON.parse(body);
  } catch (err) {
    throw new HttpError(400, 'invalid_json', `body is not valid JSON: ${(err as Error).message}`);
  }
}
