/**
 * pusher:subscribe / pusher:unsubscribe for public, private-, presence-, cache- and private-encrypted-
 * channels, and the cleanup when a connection goes away (including an abrupt drop).
 * Source: https://pusher.com/docs/channels/library_auth_reference/pusher-websockets-protocol/#subscription-events
 */
import {
  CHANNEL_NAME_MAX_LENGTH,
  isCache,
  isEncrypted,
  isPresence,
  isValidChannelName,
  requiresAuth,
} from '../../spec/protocol/channels.ts';
import { encodeFrame, PusherEvent } from '../../spec/protocol/frames.ts';
import { verifyChannelAuth } from '../../spec/protocol/signing.ts';
import { cacheMissFrame } from './cache.ts';
import type { PusherConnection } from './connection.ts';
import { isServerToUserChannel, SERVER_TO_USER_PREFIX, type PusherHub } from './hub-state.ts';
import { memberAddedData } from './presence.ts';
import { invalidMessage, unauthorized } from './socket-errors.ts';

const EMPTY_ACK_DATA = '{}';

/** Checks a channel name from a client frame; the error says which rule it broke. */
// implements: pusher/channel-names/1, pusher/channel-names/2
export function requireChannelName(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length === 0) throw invalidMessage(`${what} needs a non-empty string "channel"`);
  if (value.length > CHANNEL_NAME_MAX_LENGTH) {
    throw invalidMessage(`channel name is ${value.length} characters; the limit is ${CHANNEL_NAME_MAX_LENGTH}`);
  }
  const name: string = value;
  if (isValidChannelName(name)) return name;
  throw invalidMessage(`channel name ${JSON.stringify(value.slice(0, 40))} may only contain A-Z a-z 0-9 _ - = @ , . ;`);
}

// implements: pusher/bad-input/4
function asObject(data: unknown, what: string): Record<string, unknown> {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw invalidMessage(`${what} needs an object "data"`);
  return data as Record<string, unknown>;
}

export interface PresenceMember {
  userId: string;
  info: { value: unknown } | undefined;
}

// implements: pusher/auth/7, pusher/presence/8, pusher/presence/9 — user_info is optional
function parseChannelData(channelData: string): PresenceMember {
  let parsed: unknown;
  try {
    parsed = JSON.parse(channelData);
  } catch {
    throw unauthorized('channel_data is not JSON; it must be a JSON string of {user_id, user_info?}');
  }
  const obj = parsed as Record<string, unknown> | null;
  const id = obj !== null && typeof obj === 'object' ? obj.user_id : undefined;
  if (!(typeof id === 'string' && id.length > 0) && !(typeof id === 'number' && Number.isFinite(id))) {
    throw unauthorized('channel_data needs a non-empty string "user_id"');
  }
  return { userId: String(id), info: obj !== null && 'user_info' in obj ? { value: obj.user_info } : undefined };
}

/** Verifies the subscription's signature; returns the presence member on presence channels. */
function authorize(hub: PusherHub, conn: PusherConnection, channel: string, data: Record<string, unknown>): PresenceMember | undefined {
  if (isServerToUserChannel(channel)) {
    if (conn.userId === undefined || channel !== `${SERVER_TO_USER_PREFIX}${conn.userId}`) {
      throw unauthorized(`${channel} is only open to the connection signed in as that user (pusher:signin first)`);
    }
    return undefined;
  }
  // implements: pusher/channel-names/3, pusher/subscribe/1, pusher/cache/3, pusher/encrypted/1
  if (!requiresAuth(channel)) return undefined;
  const { auth, channel_data: channelData } = data;
  // implements: pusher/auth/3
  if (typeof auth !== 'string' || auth.length === 0) {
    throw unauthorized(`subscribing to ${channel} needs "auth" = key:signature from your auth endpoint`);
  }
  if (isPresence(channel) && typeof channelData !== 'string') {
    throw unauthorized(`subscribing to presence channel ${channel} needs "channel_data", a JSON string of {user_id, user_info?}`);
  }
  const signed = typeof channelData === 'string' ? channelData : undefined;
  if (!auth.startsWith(`${hub.config.app.key}:`)) {
    throw unauthorized(`auth for ${channel} is not signed with this app's key`);
  }
  // implements: pusher/auth/1, pusher/auth/2, pusher/auth/4, pusher/auth/5, pusher/auth/6, pusher/auth/7
  if (!verifyChannelAuth(hub.config.app, auth, conn.socketId, channel, signed)) {
    throw unauthorized(
      `invalid signature for ${channel}: expected HMAC-SHA256 of "${conn.socketId}:${channel}${signed === undefined ? '' : ':<channel_data>'}"`,
    );
  }
  return isPresence(channel) ? parseChannelData(signed!) : undefined;
}

// implements: pusher/auth/8 — a refused subscription throws before anything is registered; the dispatcher answers it and the connection keeps the rest
export function handleSubscribe(hub: PusherHub, conn: PusherConnection, rawData: unknown): void {
  const data = asObject(rawData, 'pusher:subscribe');
  const channel = isServerToUserChannel(data.channel) ? data.channel : requireChannelName(data.channel, 'pusher:subscribe');
  // implements: pusher/encrypted/4
  if (isEncrypted(channel) && !hub.config.features.encryptedChannels) {
    throw invalidMessage(`encrypted channels are not enabled on this hub (${channel})`);
  }
  const member = authorize(hub, conn, channel, data);
  if (hub.cluster) return hub.cluster.subscribe(conn, channel, member);
  applySubscribe(hub, conn, channel, member);
}

/**
 * Registers an authorized subscription: presence join (member_added once per user), occupied webhook,
 * the ack with the presence snapshot, the cached event. `quiet` re-registers a subscription the client
 * already has (a cluster node after its lease lapsed): no second ack.
 */
export function applySubscribe(
  hub: PusherHub,
  conn: PusherConnection,
  channel: string,
  member: PresenceMember | undefined,
  quiet = false,
): void {
  const previousUser = conn.channels.get(channel);
  // implements: pusher/subscribe/6
  const resubscribe = conn.channels.has(channel);
  if (resubscribe && previousUser !== undefined && previousUser !== member?.userId) {
    // Same connection, new presence identity: leave as the old user before joining as the new one.
    leavePresence(hub, conn, channel, previousUser);
  }
  conn.channels.set(channel, member?.userId);
  if (member !== undefined) conn.memberInfo.set(channel, member.info);
  // implements: pusher/webhooks/2
  if (!resubscribe && hub.channels.add(channel, conn)) hub.webhooks.channelOccupied(channel);

  if (member !== undefined && (!resubscribe || previousUser !== member.userId)) {
    // implements: pusher/presence/4, pusher/presence/5, pusher/webhooks/3
    if (hub.presence.join(channel, member.userId, member.info, conn)) {
      hub.channels.publish(channel, encodeFrame(PusherEvent.MEMBER_ADDED, memberAddedData(member.userId, member.info), channel), conn);
      hub.webhooks.memberAdded(channel, member.userId);
    }
  }

  if (quiet) return;
  // implements: pusher/subscribe/2, pusher/presence/1
  const ackData = member === undefined ? EMPTY_ACK_DATA : JSON.stringify({ presence: hub.presence.snapshot(channel) });
  conn.send(encodeFrame(PusherEvent.SUBSCRIPTION_SUCCEEDED, ackData, channel));
  hub.ctx.log(`${conn.socketId} subscribed to ${channel}`);

  // implements: pusher/cache/1, pusher/cache/2, pusher/cache/4
  if (hub.config.features.cacheChannels && isCache(channel)) {
    const cached = hub.cache.get(channel);
    if (cached !== undefined) {
      conn.send(cached);
    } else {
      conn.send(cacheMissFrame(channel));
      hub.webhooks.cacheMiss(channel);
    }
  }
}

// implements: pusher/subscribe/4, pusher/subscribe/5
export function handleUnsubscribe(hub: PusherHub, conn: PusherConnection, rawData: unknown): void {
  const data = asObject(rawData, 'pusher:unsubscribe');
  const channel = isServerToUserChannel(data.channel) ? data.channel : requireChannelName(data.channel, 'pusher:unsubscribe');
  if (hub.cluster) return hub.cluster.unsubscribe(conn, channel);
  // implements: pusher/bad-input/6
  // Unsubscribing from a channel the connection is not on is a no-op, as in Pusher.
  if (conn.channels.has(channel)) removeSubscription(hub, conn, channel);
}

// implements: pusher/presence/6, pusher/webhooks/3
function leavePresence(hub: PusherHub, conn: PusherConnection, channel: string, userId: string): void {
  if (!hub.presence.leave(channel, userId, conn)) return;
  hub.channels.publish(channel, encodeFrame(PusherEvent.MEMBER_REMOVED, JSON.stringify({ user_id: userId }), channel), conn);
  hub.webhooks.memberRemoved(channel, userId);
}

// implements: pusher/subscribe/4, pusher/subscribe/5, pusher/webhooks/2
export function removeSubscription(hub: PusherHub, conn: PusherConnection, channel: string): void {
  const userId = conn.channels.get(channel);
  conn.channels.delete(channel);
  conn.memberInfo.delete(channel);
  if (userId !== undefined) leavePresence(hub, conn, channel, userId);
  if (hub.channels.remove(channel, conn)) hub.webhooks.channelVacated(channel);
}

/** Forgets a closed connection: every subscription (member_removed where it was the user's last), its sign-in. */
// implements: pusher/presence/6, pusher/presence/7
export function dropConnection(hub: PusherHub, conn: PusherConnection): void {
  if (hub.connections.get(conn.socketId) !== conn) return;
  hub.connections.delete(conn.socketId);
  releaseConnection(hub, conn);
}

/** Removes every subscription of `conn` (this node's or another node's stand-in) and its sign-in. */
export function releaseConnection(hub: PusherHub, conn: PusherConnection): void {
  for (const channel of [...conn.channels.keys()]) removeSubscription(hub, conn, channel);
  if (conn.userId !== undefined) forgetUser(hub, conn);
}

export function forgetUser(hub: PusherHub, conn: PusherConnection): void {
  if (conn.userId === undefined) return;
  const set = hub.users.get(conn.userId);
  set?.delete(conn);
  if (set?.size === 0) hub.users.delete(conn.userId);
}
