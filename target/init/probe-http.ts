/**
 * The HTTP side of `hubproof init`: a signed `GET /apps/{id}/channels` (does the HTTP API take these
 * credentials?), `GET /api/hub` (what the hub advertises), and the agent endpoints of the sync
 * (`GET /api/channels/{channel}/events`) and agent-presence (`GET /api/presence`, `WS /ws/broadcasts`)
 * profiles, which answer 401 without an agent token and 404 on a hub that lacks them.
 */
import WebSocket from 'ws';
import { HubInfo } from '../../spec/schemas/sync.ts';
import { signHttpRequest } from '../../spec/protocol/signing.ts';
import type { TargetFile } from '../../spec/target.ts';

export const HTTP_TIMEOUT_MS = 5000;
/** A dashboard stream still open this long after its handshake was accepted: the hub took the token. */
export const STREAM_SETTLE_MS = 300;

export interface HttpAnswer {
  /** The request line as the summary shows it: `GET http://…/apps/1/channels`. */
  request: string;
  /** HTTP status, or undefined when the request failed (then `error` says why). */
  status?: number;
  error?: string;
  /** The hub's error message (`{error:{message}}`) or the start of the body. */
  detail?: string;
  json?: unknown;
}

async function get(url: string, headers: Record<string, string> = {}, shown = url): Promise<HttpAnswer> {
  const request = `GET ${shown}`;
  try {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const message = (json as { error?: { message?: unknown } } | undefined)?.error?.message;
    const detail = typeof message === 'string' ? message : text.trim().slice(0, 120) || undefined;
    return { request, status: res.status, json, ...(detail ? { detail } : {}) };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    return { request, error: e.cause?.code ?? e.message };
  }
}

const join = (base: string, path: string): string => `${base.replace(/\/+$/, '')}${path}`;

/** Signed GET {http}/apps/{id}/channels; the signature covers the path as the hub sees it, prefix included. */
export function signedChannels(http: string, app: TargetFile['app']): Promise<HttpAnswer> {
  const path = `/apps/${encodeURIComponent(app.id)}/channels`;
  const prefix = new URL(http).pathname.replace(/\/+$/, '');
  const query = new URLSearchParams(signHttpRequest(app, { method: 'GET', path: `${prefix}${path}` })).toString();
  return get(`${join(http, path)}?${query}`, {}, join(http, path));
}

export type HubInfoProbe = { info: HubInfo; answer: HttpAnswer } | { info?: undefined; answer: HttpAnswer };

export async function hubInfo(http: string, token?: string): Promise<HubInfoProbe> {
  const answer = await get(join(http, '/api/hub'), token ? { authorization: `Bearer ${token}` } : {});
  const parsed = answer.status === 200 ? HubInfo.safeParse(answer.json) : undefined;
  return parsed?.success ? { info: parsed.data, answer } : { answer };
}

/**
 * What an agent endpoint said: `answered` (took the token), `needs-token` (401 without one),
 * `token-refused` (401 with one), `absent` (404, or the stream refused its handshake), or `other`.
 */
export type EndpointState = 'answered' | 'needs-token' | 'token-refused' | 'absent' | 'other';

export interface EndpointProbe {
  state: EndpointState;
  /** One line for the summary: what was asked and what came back, with the hub's reason. */
  said: string;
  /** The same without host and reason: `GET /api/presence → 401`. */
  brief: string;
}

function stateOf(status: number | undefined, token: string | undefined, ok: (s: number) => boolean): EndpointState {
  if (status === undefined) return 'other';
  if (ok(status)) return 'answered';
  if (status === 401) return token ? 'token-refused' : 'needs-token';
  return status === 404 || status === 405 ? 'absent' : 'other';
}

const said = (a: HttpAnswer): string => `${a.request} → ${a.status ?? a.error}${a.detail && a.status !== 200 ? ` (${a.detail})` : ''}`;
const brief = (a: HttpAnswer): string => `GET ${new URL(a.request.slice(4)).pathname} → ${a.status ?? a.error}`;

/** Sync: a channel's history. 200 (scoped) and 403 (not scoped to that project) both show a hub that took the token. */
export async function probeSync(http: string, token: string | undefined, project: number): Promise<EndpointProbe> {
  const channel = `private-project.${project}`;
  const a = await get(
    join(http, `/api/channels/${encodeURIComponent(channel)}/events?limit=1`),
    token ? { authorization: `Bearer ${token}` } : {},
  );
  return { state: stateOf(a.status, token, (s) => s === 200 || s === 403), said: said(a), brief: brief(a) };
}

/** Agent presence over HTTP: the presence list. */
export async function probePresenceHttp(http: string, token: string | undefined): Promise<EndpointProbe> {
  const a = await get(join(http, '/api/presence'), token ? { authorization: `Bearer ${token}` } : {});
  return { state: stateOf(a.status, token, (s) => s === 200), said: said(a), brief: brief(a) };
}

/** Agent presence stream: open, and still open after STREAM_SETTLE_MS = took the token; 1008 = refused it. */
export function probePresenceStream(ws: string, token: string | undefined): Promise<EndpointProbe> {
  const query = new URLSearchParams({ session_id: `hubproof-init-${process.pid}-${Date.now()}`, ...(token ? { token } : {}) });
  const url = `${ws.replace(/\/+$/, '')}/ws/broadcasts`;
  return new Promise((resolve) => {
    const socket = new WebSocket(`${url}?${query.toString()}`, { handshakeTimeout: HTTP_TIMEOUT_MS });
    let timer: NodeJS.Timeout | undefined;
    const done = (state: EndpointState, what: string) => {
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.terminate();
      resolve({ state, said: `WS ${url} → ${what}`, brief: `WS /ws/broadcasts → ${what.split(' (')[0]}` });
    };
    socket.on('open', () => {
      timer = setTimeout(() => done('answered', `open after ${STREAM_SETTLE_MS} ms`), STREAM_SETTLE_MS);
    });
    socket.on('close', (code: number, reason: Buffer) => {
      const what = `closed ${code}${reason.length ? ` (${reason.toString()})` : ''}`;
      done(code === 1008 ? (token ? 'token-refused' : 'needs-token') : 'other', what);
    });
    socket.on('unexpected-response', (_req, res) => done(res.statusCode === 404 ? 'absent' : 'other', `HTTP ${res.statusCode ?? '?'}`));
    socket.on('error', (err: NodeJS.ErrnoException) => done('other', err.code ?? err.message));
  });
}
