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

/** Origin and path prefix of a node's HTTP URL (k6 has no WHATWG URL global), computed once per URL. */
const split = new Map<string, { origin: string; prefix: string }>();
function splitUrl(http: string): { origin: string; prefix: string } {
  let s = split.get(http);
  if (!s) {
    const m = /^(https?:\/\/[^/]+)(\/.*)?$/.exec(trimSlash(http));
    if (!m) throw new Error(`nodes[0].http is not an http(s) URL: ${http}`);
    split.set(http, (s = { origin: m[1]!, prefix: m[2] ?? '' }));
  }
  return s;
}

const JSON_HEADERS = { headers: { 'content-type': 'application/json' } };

/**
 * Signed `POST /apps/{id}/events` (auth_key, auth_timestamp, auth_version, body_md5, auth_signature). Each
 * send costs k6 about a millisecond of CPU, most of it k6's own (bench/k6-runs.ts): the JS here is kept to
 * a few native calls, and the request carries no extra tag (a tag set per request costs ~0.1 ms more).
 */
export function publish(t: K6Target, channel: string, name: string, data: string): { status: number } {
  const { origin, prefix } = splitUrl(t.nodes[0]!.http);
  const path = `${prefix}/apps/${t.app.id}/events`;
  const body = JSON.stringify({ name, channel, data });
  // Sorted by key, as the signature requires.
  const query = `auth_key=${t.app.key}&auth_timestamp=${Math.floor(Date.now() / 1000)}&auth_version=1.0&body_md5=${crypto.md5(body, 'hex')}`;
  const signature = crypto.hmac('sha256', t.app.secret, `POST\n${path}\n${query}`, 'hex');
  return http.post(`${origin}${path}?${query}&auth_signature=${signature}`, body, JSON_HEADERS);
}
