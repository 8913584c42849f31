/**
 * Client events: `client-` prefixed, only on private-/presence- channels (never encrypted), only by a
 * subscriber, never echoed back to the sender, `user_id` added on presence channels, and at most
 * `limits.clientEventsPerSecond` per connection (the excess is refused with `pusher:error` 4301 and
 * not relayed; the connection stays open, as a rate-limited client is not a broken one).
 * Source: https://pusher.com/docs/channels/using_channels/events/#triggering-client-events
 */
import { allowsClientEvents, isPresence } from '../../spec/protocol/channels.ts';
import { CloseCode } from '../../spec/protocol/close-codes.ts';
import type { Frame } from '../../spec/protocol/frames.ts';
import { PUSHER_LIMITS } from '../../spec/schemas/pusher-http.ts';
import type { PusherConnection } from './connection.ts';
import { publishEvent, type PusherHub } from './hub-state.ts';
import { FrameError, invalidMessage } from './socket-errors.ts';
import { requireChannelName } from './subscribe.ts';

/** Counts the event in the connection's one-second window; over the limit the event is refused. */
// implements: pusher/client-events/7, pusher/client-events/8, pusher/close-codes/4
function checkRate(hub: PusherHub, conn: PusherConnection): void {
  const now = hub.ctx.now();
  if (now - conn.eventWindowStart >= 1000) {
    conn.eventWindowStart = now;
    conn.eventWindowCount = 0;
  }
  conn.eventWindowCount++;
  const limit = hub.config.limits.clientEventsPerSecond;
  if (conn.eventWindowCount > limit) {
    throw new FrameError(CloseCode.CLIENT_EVENT_RATE_LIMIT, `client event rate limit of ${limit}/s exceeded; event not relayed`);
  }
}

export function handleClientEvent(hub: PusherHub, conn: PusherConnection, frame: Frame): void {
  // implements: pusher/client-events/9
  if (!hub.config.features.clientEvents) throw invalidMessage('client events are not enabled on this hub');
  // Counted before the other checks so a flood of rejected events is limited too.
  checkRate(hub, conn);
  if (frame.event.length > PUSHER_LIMITS.maxEventNameLength) {
    throw invalidMessage(`event name is ${frame.event.length} characters; the limit is ${PUSHER_LIMITS.maxEventNameLength}`);
  }
  const channel = requireChannelName(frame.channel, `client event ${frame.event}`);
  // implements: pusher/client-events/3, pusher/encrypted/3
  if (!allowsClientEvents(channel)) {
    throw invalidMessage(
      `client event rejected on ${channel}: client events are only allowed on private- and presence- channels, not encrypted ones`,
    );
  }
  // implements: pusher/client-events/4
  if (!conn.channels.has(channel)) {
    throw invalidMessage(`client event rejected: subscribe to ${channel} before sending events on it`);
  }
  const data = typeof frame.data === 'string' ? frame.data : JSON.stringify(frame.data ?? {});
  const max = hub.config.limits.maxEventBytes;
  if (Buffer.byteLength(data) > max) throw invalidMessage(`client event data exceeds the ${max}-byte limit`);

  // implements: pusher/client-events/6
  const userId = isPresence(channel) ? conn.channels.get(channel) : undefined;
  if (hub.cluster) return hub.cluster.clientEvent(conn, channel, frame.event, data, userId);
  relayClientEvent(hub, conn, channel, frame.event, data, userId);
}

/** To every subscriber of the channel but the sender, and the client_event webhook. */
// implements: pusher/client-events/1, pusher/client-events/2
export function relayClientEvent(
  hub: PusherHub,
  conn: PusherConnection | undefined,
  channel: string,
  event: string,
  data: string,
  userId: string | undefined,
): void {
  publishEvent(hub, channel, event, data, conn, userId);
  if (conn !== undefined) hub.webhooks.clientEvent(channel, event, data, conn.socketId, userId);
}
