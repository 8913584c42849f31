/**
 * Channel authorization, user authentication and HTTP API request signing, both sides.
 * Source: https://pusher.com/docs/channels/library_auth_reference/auth-signatures/
 *         https://pusher.com/docs/channels/library_auth_reference/rest-api/#authentication
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface AppCredentials {
  key: string;
  secret: string;
}

export function hmacHex(secret: string, message: string): string {
  return createHmac('sha256', secret).update(message).digest('hex');
}

export function md5Hex(body: string | Buffer): string {
  return createHash('md5').update(body).digest('hex');
}

/** Constant-time string compare; different lengths compare unequal without leaking where. */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  if (ab.length !== bb.length) {
    timingSafeEqual(ab, ab);
    return false;
  }
  return timingSafeEqual(ab, bb);
}

/** `socket_id:channel[:channel_data]` */
export function channelAuthString(socketId: string, channel: string, channelData?: string): string {
  return channelData === undefined ? `${socketId}:${channel}` : `${socketId}:${channel}:${channelData}`;
}

/** `key:hex(HMAC-SHA256(secret, socket_id:channel[:channel_data]))` */
export function signChannelAuth(app: AppCredentials, socketId: string, channel: string, channelData?: string): string {
  return `${app.key}:${hmacHex(app.secret, channelAuthString(socketId, channel, channelData))}`;
}

export function verifyChannelAuth(app: AppCredentials, auth: unknown, socketId: string, channel: string, channelData?: string): boolean {
  if (typeof auth !== 'string') return false;
  return safeEqual(auth, signChannelAuth(app, socketId, channel, channelData));
}

/** `socket_id::user::user_data` for pusher:signin */
export function signUserAuth(app: AppCredentials, socketId: string, userData: string): string {
  return `${app.key}:${hmacHex(app.secret, `${socketId}::user::${userData}`)}`;
}

export function verifyUserAuth(app: AppCredentials, auth: unknown, socketId: string, userData: string): boolean {
  return typeof auth === 'string' && safeEqual(auth, signUserAuth(app, socketId, userData));
}

/** How far `auth_timestamp` may be from the hub's clock. */
export const HTTP_TIMESTAMP_TOLERANCE_S = 600;

export interface SignRequestInput {
  method: string;
  /** The path as the hub sees it, e.g. `/apps/3/events` (no host, no query). */
  path: string;
  /** Query parameters other than the auth_* ones. */
  params?: Record<string, string>;
  body?: string;
  /** Unix seconds; defaults to now. */
  timestamp?: number;
}

/** `METHOD\nPATH\nsorted lower-cased params` (values not URL-encoded) */
export function httpStringToSign(method: string, path: string, params: Record<string, string>): string {
  const query = Object.keys(params)
    .map((k) => [k.toLowerCase(), params[k]!] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  return `${method.toUpperCase()}\n${path}\n${query}`;
}

/** Returns the full set of query parameters, `auth_signature` included. */
export function signHttpRequest(app: AppCredentials, input: SignRequestInput): Record<string, string> {
  const params: Record<string, string> = {
    ...(input.params ?? {}),
    auth_key: app.key,
    auth_timestamp: String(input.timestamp ?? Math.floor(Date.now() / 1000)),
    auth_version: '1.0',
  };
  if (input.body !== undefined && input.body.length > 0) params.body_md5 = md5Hex(input.body);
  params.auth_signature = hmacHex(app.secret, httpStringToSign(input.method, input.path, params));
  return params;
}

export type HttpAuthFailure =
  'missing_auth_params' | 'unknown_auth_key' | 'unsupported_auth_version' | 'stale_timestamp' | 'body_md5_mismatch' | 'invalid_signature';

export interface VerifyRequestInput {
  method: string;
  path: string;
  /** Every query parameter as received, auth_* included. */
  query: Record<string, string>;
  body: string;
  /** Unix seconds; defaults to now. */
  now?: number;
}

/** Verifies a signed HTTP API request; `ok: false` carries the reason, for the 401 body. */
export function verifyHttpRequest(app: AppCredentials, input: VerifyRequestInput): { ok: true } | { ok: false; reason: HttpAuthFailure } {
  const { auth_signature: signature, auth_key: key, auth_timestamp: ts, auth_version: version } = input.query;
  if (!signature || !key || !ts || !version) return { ok: false, reason: 'missing_auth_params' };
  if (!safeEqual(key, app.key)) return { ok: false, reason: 'unknown_auth_key' };
  if (version !== '1.0') return { ok: false, reason: 'unsupported_auth_version' };
  const now = input.now ?? Math.floor(Date.now() / 1000);
  const tsNum = Number(ts);
  if (!Number.isFinite(tsNum) || Math.abs(now - tsNum) > HTTP_TIMESTAMP_TOLERANCE_S) {
    return { ok: false, reason: 'stale_timestamp' };
  }
  if (input.body.length > 0 && !safeEqual(input.query.body_md5 ?? '', md5Hex(input.body))) {
    return { ok: false, reason: 'body_md5_mismatch' };
  }
  const { auth_signature: _omit, ...rest } = input.query;
  const expected = hmacHex(app.secret, httpStringToSign(input.method, input.path, rest));
  return safeEqual(signature, expected) ? { ok: true } : { ok: false, reason: 'invalid_signature' };
}

/** Webhook bodies are signed with `X-Pusher-Signature: hex(HMAC-SHA256(secret, body))`. */
export function signWebhook(app: AppCredentials, body: string): string {
  return hmacHex(app.secret, body);
}
