/**
 * pusher:signin: the client presents `user_data` signed as `socket_id::user::user_data`; on success the
 * connection is bound to `user_data.id` (for terminate_connections and `#server-to-user-{id}`).
 * Source: https://pusher.com/docs/channels/using_channels/user-authentication/
 */
import { encodeFrame, PusherEvent } from '../../spec/protocol/frames.ts';
import { verifyUserAuth } from '../../spec/protocol/signing.ts';
import type { PusherConnection } from './connection.ts';
import type { PusherHub } from './hub-state.ts';
import { invalidMessage, unauthorized } from './socket-errors.ts';
import { forgetUser } from './subscribe.ts';

export function handleSignin(hub: PusherHub, conn: PusherConnection, rawData: unknown): void {
  // implements: pusher/signin/4
  if (!hub.config.features.signin) throw invalidMessage('pusher:signin is not enabled on this hub');
  if (rawData === null || typeof rawData !== 'object' || Array.isArray(rawData)) {
    throw invalidMessage('pusher:signin needs data {auth, user_data}');
  }
  const { auth, user_data: userData } = rawData as Record<string, unknown>;
  if (typeof userData !== 'string') throw unauthorized('pusher:signin needs "user_data", a JSON string with an "id"');
  // implements: pusher/signin/2
  if (!verifyUserAuth(hub.config.app, auth, conn.socketId, userData)) {
    throw unauthorized(`pusher:signin rejected: "auth" must be key:HMAC-SHA256 of "${conn.socketId}::user::<user_data>"`);
  }
  // implements: pusher/signin/3
  let id: unknown;
  try {
    id = (JSON.parse(userData) as { id?: unknown } | null)?.id;
  } catch {
    throw unauthorized('pusher:signin rejected: user_data is not JSON');
  }
  if (typeof id !== 'string' || id.length === 0) throw unauthorized('pusher:signin rejected: user_data needs a non-empty string "id"');

  if (conn.userId !== id) {
    forgetUser(hub, conn);
    conn.userId = id;
    let set = hub.users.get(id);
    if (set === undefined) hub.users.set(id, (set = new Set()));
    set.add(conn);
  }
  // implements: pusher/signin/1
  conn.send(encodeFrame(PusherEvent.SIGNIN_SUCCESS, JSON.stringify({ user_data: userData })));
  hub.ctx.log(`${conn.socketId} signed in as ${id}`);
}
