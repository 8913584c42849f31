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

export class Router {
  private readonly routes: Route[] = [];

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
    const q = url.indexOf('?');
    const rawPath = q === -1 ? url : url.slice(0, q);
    const query = Object.fromEntries(new URLSearchParams(q === -1 ? '' : url.slice(q + 1)));
    const method = (req.method ?? 'GET').toUpperCase();
    try {
      let pathMatched = false;
      for (const route of this.routes) {
        const m = route.pattern.exec(rawPath);
        if (!m) continue;
        pathMatched = true;
        if (route.method !== method) continue;
        const params: Record<string, string> = {};
        route.keys.forEach((k, i) => (params[k] = safeDecode(m[i + 1]!)));
        const body = await readBody(req, this.maxBodyBytes);
        await route.handler({ req, res, method, rawPath, params, query, body });
        return;
      }
      if (pathMatched) throw new HttpError(405, 'method_not_allowed', `${method} is not allowed on ${rawPath}`);
      throw new HttpError(404, 'not_found', `no route for ${method} ${rawPath}`);
    } catch (err) {
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
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new HttpError(400, 'bad_request', `path segment "${s}" is not valid percent-encoding`);
  }
}

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
export function parseJsonBody(body: string): unknown {
  if (body.trim() === '') return {};
  try {
    return JSON.parse(body);
  } catch (err) {
    throw new HttpError(400, 'invalid_json', `body is not valid JSON: ${(err as Error).message}`);
  }
}
