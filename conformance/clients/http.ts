/**
 * HTTP for conformance cases: every request and response goes to the wire log (`http>` / `http<`),
 * every request has a deadline, and a refused connection reads as a check failure, never a crash.
 * `pusherApi(ctx)` signs Pusher HTTP API calls with the target's credentials.
 */
import { signHttpRequest, type SignRequestInput } from '../../spec/protocol/signing.ts';
import { connectionRefusedCause } from '../root-cause.ts';
import { CheckFailure, type CaseContext } from '../types.ts';
import { CaseAbortedError, clip, nextLabel } from './wait.ts';

export interface HttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  /** A string is sent as is; an object as JSON (with content-type). */
  body?: string | object;
  /** Default 5000 ms. */
  timeoutMs?: number;
  /** Label in the wire log (default `http#<n>`). */
  label?: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export async function httpRequest(ctx: CaseContext, req: HttpRequest): Promise<HttpResponse> {
  const label = req.label ?? nextLabel(ctx, 'http');
  const timeoutMs = req.timeoutMs ?? 5000;
  const headers: Record<string, string> = { ...(req.headers ?? {}) };
  let body: string | undefined;
  if (typeof req.body === 'string') body = req.body;
  else if (req.body !== undefined) {
    body = JSON.stringify(req.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  }
  ctx.log('http>', label, `${req.method} ${req.url}${body !== undefined ? ` ${clip(body, 1000)}` : ''}`);
  const timeout = AbortSignal.timeout(timeoutMs);
  let res: Response;
  let text: string;
  for (let attempt = 1; ; attempt++) {
    try {
      res = await fetch(req.url, { method: req.method, headers, body, signal: AbortSignal.any([ctx.signal, timeout]) });
      text = await res.text();
      break;
    } catch (err) {
      if (ctx.signal.aborted) throw new CaseAbortedError(`case deadline passed during ${req.method} ${req.url}`);
      const msg = timeout.aborted ? `no response within ${timeoutMs} ms` : describeFetchError(err);
      // A pooled keep-alive socket the hub closed a moment earlier (idle timeout, restart) fails before any
      // answer. Like any HTTP client, retry an idempotent request once on a fresh connection; a POST may
      // have reached the hub, so it is never repeated here.
      if (attempt === 1 && !timeout.aborted && IDEMPOTENT.has(req.method.toUpperCase()) && STALE_SOCKET_ERRORS.has(msg)) {
        ctx.log('http<', label, `(${msg} on a reused connection; retrying once)`);
        continue;
      }
      ctx.log('http<', label, `(${msg})`);
      throw new CheckFailure(`${req.method} ${new URL(req.url).pathname} got no answer: ${msg}`, 'an HTTP response', msg, undefined, {
        rootCause: connectionRefusedCause({ network: timeout.aborted ? 'timeout' : msg }),
      });
    }
  }
  const outHeaders: Record<string, string> = {};
  res.headers.forEach((v, k) => (outHeaders[k] = v));
  ctx.log('http<', label, `${res.status} ${clip(text, 1000)}`);
  let json: unknown;
  try {
    json = text.length ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: outHeaders, text, json };
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const STALE_SOCKET_ERRORS = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

function describeFetchError(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message ?? String(err);
}

/** Joins a base URL that may carry a path prefix with an absolute API path. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}

export interface SignedRequest {
  method: string;
  /** API path below the node's base, e.g. `/apps/1/events`. */
  path: string;
  params?: Record<string, string>;
  body?: string;
  /** Unix seconds for auth_timestamp (default now); a stale one tests the ±600 s rule. */
  timestamp?: number;
  /** Changes the signed query before sending, for negative tests (e.g. flip a signature digit). */
  tamper?: (query: Record<string, string>) => Record<string, string>;
  /** Body actually sent, when it should differ from the signed one (body_md5 tampering). */
  sentBody?: string;
  node?: CaseContext['node'];
  timeoutMs?: number;
}

export interface PusherApi {
  /** POST /apps/{id}/events with a JSON body `{name, data, channels|channel, socket_id?, info?}`. */
  trigger(body: Record<string, unknown>): Promise<HttpResponse>;
  /** POST /apps/{id}/batch_events with `{batch:[…]}`. */
  batch(batch: Array<Record<string, unknown>>): Promise<HttpResponse>;
  /** GET /apps/{id}/channels */
  channels(params?: Record<string, string>): Promise<HttpResponse>;
  /** GET /apps/{id}/channels/{name} */
  channel(name: string, params?: Record<string, string>): Promise<HttpResponse>;
  /** GET /apps/{id}/channels/{name}/users */
  users(name: string): Promise<HttpResponse>;
  /** Any signed request; `path` is below `/apps/{id}` when it does not start with `/`. */
  signed(req: SignedRequest): Promise<HttpResponse>;
  /** `/apps/{id}` */
  readonly appPath: string;
}

export function pusherApi(ctx: CaseContext, defaults: { node?: CaseContext['node'] } = {}): PusherApi {
  const appPath = `/apps/${encodeURIComponent(ctx.target.app.id)}`;
  const signed = async (req: SignedRequest): Promise<HttpResponse> => {
    const node = req.node ?? defaults.node ?? ctx.node;
    const apiPath = req.path.startsWith('/') ? req.path : `${appPath}/${req.path}`;
    // The signature covers the path as the hub sees it, prefix included.
    const prefix = new URL(node.http).pathname.replace(/\/+$/, '');
    const input: SignRequestInput = {
      method: req.method,
      path: `${prefix}${apiPath}`,
      params: req.params,
      body: req.body,
      timestamp: req.timestamp,
    };
    let query = signHttpRequest(ctx.target.app, input);
    if (req.tamper) query = req.tamper(query);
    const qs = new URLSearchParams(query).toString();
    const body = req.sentBody ?? req.body;
    return httpRequest(ctx, {
      method: req.method,
      url: `${joinUrl(node.http, apiPath)}?${qs}`,
      headers: body !== undefined ? { 'content-type': 'application/json' } : {},
      body,
      timeoutMs: req.timeoutMs,
    });
  };
  return {
    appPath,
    signed,
    trigger: (body) => signed({ method: 'POST', path: 'events', body: JSON.stringify(body) }),
    batch: (batch) => signed({ method: 'POST', path: 'batch_events', body: JSON.stringify({ batch }) }),
    channels: (params) => signed({ method: 'GET', path: 'channels', params }),
    channel: (name, params) => signed({ method: 'GET', path: `channels/${encodeURIComponent(name)}`, params }),
    users: (name) => signed({ method: 'GET', path: `channels/${encodeURIComponent(name)}/users` }),
  };
}
