/**
 * The pusher profile's in-memory state, shared by the frame handlers and the HTTP API. Nothing here is
 * persisted: Pusher channels are fire-and-forget; durability belongs to the sync profile.
 */
import { encodeFrame } from '../../spec/protocol/frames.ts';
import { isCache } from '../../spec/protocol/channels.ts';
import type { HubConfig } from '../config.ts';
import type { HubContext } from '../context.ts';
import { EventCache } from './cache.ts';
import { ChannelRegistry } from './channels.ts';
import type { PusherConnection } from './connection.ts';
import { PresenceRegistry } from './presence.ts';
import type { PusherCluster } from './replicated.ts';
import { createWebhooks, type Webhooks } from './webhooks.ts';

export interface PusherHub {
  ctx: HubContext;
  config: HubConfig;
  /** socket id → connection, for `socket_id` exclusion. */
  connections: Map<string, PusherConnection>;
  channels: ChannelRegistry;
  presence: PresenceRegistry;
  cache: EventCache;
  /** Signed-in user id → its connections, for terminate_connections and `#server-to-user-` channels. */
  users: Map<string, Set<PusherConnection>>;
  webhooks: Webhooks;
  /** Set on a cluster node: subscriptions, disconnects and client events go through the shared log. */
  cluster?: PusherCluster;
}

export function createPusherHub(ctx: HubContext): PusherHub {
  return {
    ctx,
    config: ctx.config,
    connections: new Map(),
    channels: new ChannelRegistry(),
    presence: new PresenceRegistry(),
    cache: new EventCache(() => ctx.now()),
    users: new Map(),
    webhooks: createWebhooks(ctx),
  };
}

/** Pusher's per-user channel, subscribed by pusher-js after `pusher:signin` succeeds. */
export const SERVER_TO_USER_PREFIX = '#server-to-user-';
const SERVER_TO_USER_PATTERN = /^#server-to-user-[A-Za-z0-9_\-=@,.;]{1,200}$/;

export function isServerToUserChannel(name: unknown): name is string {
  return typeof name === 'string' && SERVER_TO_USER_PATTERN.test(name);
}

/**
 * Sends one event to a channel: encoded once, remembered when it is a cache channel, written to every
 * subscriber but `except`. Returns how many connections it was written to.
 */
// implements: pusher/connection/10, pusher/encrypted/2 — `data` is the publisher's string, never parsed
export function publishEvent(
  hub: PusherHub,
  channel: string,
  event: string,
  data: string,
  except?: PusherConnection,
  userId?: string,
): number {
  const frame = encodeFrame(event, data, channel, userId);
  if (hub.config.features.cacheChannels && isCache(channel)) hub.cache.set(channel, frame);
  return hub.channels.publish(channel, frame, except);
}
