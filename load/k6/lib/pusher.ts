/** Pusher protocol bits for k6: connection URL, channel auth, and the signed HTTP API publish. */
import crypto from 'k6/crypto';
import http from 'k6/http';
import type { K6Target } from './target.ts';
import { trimSlash } from './target.ts';

export function connectionUrl(t: K6Target): string {
  return `${trimSlash(t.nodes[0]!.ws)}/app/${encodeURIComponent(t.app.key)}?protocol=7&client=hubproof-k6&version=0.1.0&flash=false`;
}

export function channelAuth(t: K6Target, socketId: string, channel: string): string {
  return `${t.app.key}:${crypto.hmac('sha256', t.app.secret, `${socketId}:${channel}`, 'hex')}`;
}

/** Signed `POST /apps/{id}/events` (auth_key, auth_timestamp, auth_version, body_md5, auth_signature). */
export function publish(t: K6Target, channel: string, name: string, data: string): { status: number; body: string } {
  // k6 has no WHATWG URL global: split origin and path prefix by hand.
  const m = /^(https?:\/\/[^/]+)(\/.*)?$/.exec(trimSlash(t.nodes[0]!.http));
  if (!m) throw new Error(`nodes[0].http is not an http(s) URL: ${t.nodes[0]!.http}`);
  const origin = m[1]!;
  const path = `${m[2] ?? ''}/apps/${t.app.id}/events`;
  const body = JSON.stringify({ name, channel, data });
  const params: Record<string, string> = {
    auth_key: t.app.key,
    auth_timestamp: String(Math.floor(Date.now() / 1000)),
    auth_version: '1.0',
    body_md5: crypto.md5(body, 'hex'),
  };
  const query = Object.keys(params)
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
  const signature = crypto.hmac('sha256', t.app.secret, `POST\n${path}\n${query}`, 'hex');
  const url = `${origin}${path}?${query}&auth_signature=${signature}`;
  const res = http.post(url, body, { headers: { 'content-type': 'application/json' }, tags: { name: 'publish' } });
  return { status: res.status, body: typeof res.body === 'string' ? res.body : '' };
}
