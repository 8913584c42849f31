/**
 * Bodies of the Pusher HTTP API.
 * Source: https://pusher.com/docs/channels/library_auth_reference/rest-api/
 */
import { z } from 'zod';
import { ChannelName, SocketId } from './pusher-frames.ts';

/** Limits the public API documents; hubs advertise theirs in GET /api/hub. */
export const PUSHER_LIMITS = {
  maxChannelsPerEvent: 100,
  maxEventBytes: 10 * 1024,
  maxBatchEvents: 10,
  maxEventNameLength: 200,
} as const;

export const TriggerEventBody = z
  .object({
    name: z.string().min(1).max(PUSHER_LIMITS.maxEventNameLength),
    data: z.string().describe('The payload, usually a JSON string; at most 10 KB'),
    channels: z.array(ChannelName).min(1).max(PUSHER_LIMITS.maxChannelsPerEvent).optional(),
    channel: ChannelName.optional(),
    socket_id: SocketId.optional().describe('Exclude this connection from receiving the event'),
    info: z.string().optional().describe('Comma-separated attributes to return per channel: user_count, subscription_count'),
  })
  .refine((b) => (b.channels === undefined) !== (b.channel === undefined), {
    message: 'exactly one of `channels` and `channel` is required',
  })
  .meta({ id: 'PusherTriggerEventBody' });

export const ChannelInfoAttributes = z
  .object({
    occupied: z.boolean().optional(),
    user_count: z.number().int().nonnegative().optional(),
    subscription_count: z.number().int().nonnegative().optional(),
  })
  .meta({ id: 'PusherChannelAttributes' });

export const TriggerEventResponse = z
  .object({ channels: z.record(z.string(), ChannelInfoAttributes).optional() })
  .meta({ id: 'PusherTriggerEventResponse' });

export const BatchEvent = z
  .object({
    name: z.string().min(1).max(PUSHER_LIMITS.maxEventNameLength),
    channel: ChannelName,
    data: z.string(),
    socket_id: SocketId.optional(),
    info: z.string().optional(),
  })
  .meta({ id: 'PusherBatchEvent' });
export const TriggerBatchBody = z
  .object({ batch: z.array(BatchEvent).min(1).max(PUSHER_LIMITS.maxBatchEvents) })
  .meta({ id: 'PusherTriggerBatchBody' });
export const TriggerBatchResponse = z
  .object({ batch: z.array(ChannelInfoAttributes).optional() })
  .meta({ id: 'PusherTriggerBatchResponse' });

export const ChannelsResponse = z.object({ channels: z.record(z.string(), ChannelInfoAttributes) }).meta({ id: 'PusherChannelsResponse' });
export const ChannelResponse = ChannelInfoAttributes.extend({ occupied: z.boolean() }).meta({ id: 'PusherChannelResponse' });
export const UsersResponse = z.object({ users: z.array(z.object({ id: z.string() })) }).meta({ id: 'PusherUsersResponse' });

/** Error bodies of the Pusher HTTP API are plain text in Pusher; hubproof hubs answer JSON ErrorBody. */
export const PusherHttpQueryAuth = z
  .object({
    auth_key: z.string(),
    auth_timestamp: z.string().regex(/^\d+$/),
    auth_version: z.literal('1.0'),
    auth_signature: z.string().regex(/^[0-9a-f]{64}$/),
    body_md5: z
      .string()
      .regex(/^[0-9a-f]{32}$/)
      .optional(),
  })
  .meta({ id: 'PusherHttpQueryAuth' });

/** Webhook body: `{time_ms, events:[{name, channel, …}]}` signed with X-Pusher-Key / X-Pusher-Signature. */
export const WebhookEvent = z
  .object({
    name: z.enum([
      'channel_occupied',
      'channel_vacated',
      'member_added',
      'member_removed',
      'client_event',
      'subscription_count',
      'cache_miss',
    ]),
    channel: ChannelName,
    user_id: z.string().optional(),
    event: z.string().optional(),
    data: z.string().optional(),
    socket_id: SocketId.optional(),
    subscription_count: z.number().int().optional(),
  })
  .meta({ id: 'PusherWebhookEvent' });
export const WebhookBody = z.object({ time_ms: z.number().int(), events: z.array(WebhookEvent) }).meta({ id: 'PusherWebhookBody' });
