/**
 * Every Pusher HTTP API request is signed: `auth_signature = HMAC-SHA256(secret, METHOD\nPATH\nsorted params)`.
 * An unknown app id is 404 (there is no secret to check against); a bad signature is 401 naming the reason.
 * Source: https://pusher.com/docs/channels/library_auth_reference/rest-api/#authentication
 */
import { HTTP_TIMESTAMP_TOLERANCE_S, verifyHttpRequest, type HttpAuthFailure } from '../../spec/protocol/signing.ts';
import { HttpError, type RequestContext } from '../http/router.ts';
import type { PusherHub } from './hub-state.ts';

const REASONS: Record<HttpAuthFailure, string> = {
  missing_auth_params: 'auth_key, auth_timestamp, auth_version and auth_signature are required query parameters',
  unknown_auth_key: "auth_key is not this app's key",
  unsupported_auth_version: 'auth_version must be 1.0',
  stale_timestamp: `auth_timestamp is more than ${HTTP_TIMESTAMP_TOLERANCE_S} s away from the hub's clock`,
  body_md5_mismatch: 'body_md5 does not match the MD5 of the body',
  invalid_signature: 'auth_signature does not match; sign "METHOD\\nPATH\\nsorted query" with the app secret',
};

/** Throws 404 for another app id, 401 for a failed signature. */
// implements: pusher/http-auth/1, pusher/http-auth/2, pusher/http-auth/3, pusher/http-auth/4, pusher/http-auth/5, pusher/http-auth/6, pusher/http-auth/7
// implements: pusher/http-auth/8 — every route calls it before it reads or publishes anything
export function authenticate(hub: PusherHub, rc: RequestContext): void {
  if (rc.params.appId !== hub.config.app.id) {
    throw new HttpError(404, 'app_not_found', `no app with id "${rc.params.appId ?? ''}" on this hub`);
  }
  const result = verifyHttpRequest(hub.config.app, {
    method: rc.method,
    path: rc.rawPath,
    query: rc.query,
    body: rc.body,
    now: Math.floor(hub.ctx.now() / 1000),
  });
  if (!result.ok) throw new HttpError(401, result.reason, REASONS[result.reason]);
}
