/**
 * Frames of the Pusher Channels protocol 7, both directions.
 * Source: https://pusher.com/docs/channels/library_auth_reference/pusher-websockets-protocol/
 */
import { z } from 'zod';
import { CHANNEL_NAME_MAX_LENGTH, CHANNEL_NAME_PATTERN } from '../protocol/channels.ts';
import { SOCKET_ID_PATTERN } from '../protocol/frames.ts';

export const ChannelName = z
  .string()
  .min(1)
  .max(CHANNEL_NAME_MAX_LENGTH)
  .regex(CHANNEL_NAME_PATTERN)
  .meta({ id: 'ChannelName', description: 'At most 164 characters of [A-Za-z0-9_-=@,.;]' });
export const SocketId = z.string().regex(SOCKET_ID_PATTERN).meta({ id: 'SocketId' });

/** A JSON string that itself holds JSON: how hubs send `data`. */
const jsonString = <T extends z.ZodType>(inner: T) =>
  z.string().transform((s, ctx) => {
    try {
      const parsed = inner.safeParse(JSON.parse(s));
      if (parsed.success) return parsed.data as z.output<T>;
      for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, code: 'custom', message: issue.message });
    } catch {
      ctx.addIssue({ code: 'custom', message: 'data is not a JSON string' });
    }
    return z.NEVER;
  });

export const ConnectionEstablishedData = z
  .object({
    socket_id: SocketId,
    activity_timeout: z.number().int().positive().describe('Seconds of silence after which the client should ping'),
  })
  .meta({ id: 'ConnectionEstablishedData' });

export const ConnectionEstablished = z
  .object({ event: z.literal('pusher:connection_established'), data: z.string() })
  .meta({ id: 'PusherConnectionEstablished', description: 'data is a JSON string of ConnectionEstablishedData' });
export const ConnectionEstablishedDecoded = z.object({
  event: z.literal('pusher:connection_established'),
  data: jsonString(ConnectionEstablishedData),
});

export const PusherErrorData = z.object({ code: z.number().int().nullable(), message: z.string() }).meta({ id: 'PusherErrorData' });
export const PusherError = z
  .object({
    event: z.literal('pusher:error'),
    // Hubs send an object; some send it double-encoded. Both are accepted as `non-strict` where noted.
    data: z.union([PusherErrorData, z.string()]),
  })
  .meta({ id: 'PusherError' });

export const Ping = z.object({ event: z.literal('pusher:ping'), data: z.unknown().optional() }).meta({ id: 'PusherPing' });
export const Pong = z.object({ event: z.literal('pusher:pong'), data: z.unknown().optional() }).meta({ id: 'PusherPong' });

export const SubscribeData = z
  .object({
    channel: ChannelName,
    auth: z.string().optional().describe('key:signature, required for private-, presence- and encrypted channels'),
    channel_data: z.string().optional().describe('JSON string {user_id, user_info?}, presence channels only'),
  })
  .meta({ id: 'SubscribeData' });
export const Subscribe = z.object({ event: z.literal('pusher:subscribe'), data: SubscribeData }).meta({ id: 'PusherSubscribe' });
export const Unsubscribe = z
  .object({ event: z.literal('pusher:unsubscribe'), data: z.object({ channel: ChannelName }) })
  .meta({ id: 'PusherUnsubscribe' });

export const PresenceChannelData = z
  .object({ user_id: z.union([z.string().min(1), z.number()]), user_info: z.unknown().optional() })
  .meta({ id: 'PresenceChannelData' });

export const PresenceHash = z
  .object({
    presence: z.object({
      ids: z.array(z.string()),
      hash: z.record(z.string(), z.unknown()),
      count: z.number().int().nonnegative(),
    }),
  })
  .meta({ id: 'PresenceHash' });

export const SubscriptionSucceeded = z
  .object({
    event: z.literal('pusher_internal:subscription_succeeded'),
    channel: ChannelName,
    data: z.string().optional().describe('"{}" or, on presence channels, a JSON string of PresenceHash'),
  })
  .meta({ id: 'PusherSubscriptionSucceeded' });

export const SubscriptionError = z
  .object({
    event: z.literal('pusher:subscription_error'),
    channel: ChannelName.optional(),
    data: z.unknown(),
  })
  .meta({ id: 'PusherSubscriptionError', description: 'Non-standard: some hubs send this instead of pusher:error 4009' });

export const MemberAdded = z
  .object({
    event: z.literal('pusher_internal:member_added'),
    channel: ChannelName,
    data: z.string().describe('JSON string of {user_id, user_info}'),
  })
  .meta({ id: 'PusherMemberAdded' });
export const MemberRemoved = z
  .object({
    event: z.literal('pusher_internal:member_removed'),
    channel: ChannelName,
    data: z.string().describe('JSON string of {user_id}'),
  })
  .meta({ id: 'PusherMemberRemoved' });

export const SubscriptionCount = z
  .object({
    event: z.literal('pusher_internal:subscription_count'),
    channel: ChannelName,
    data: z.string().describe('JSON string of {subscription_count}'),
  })
  .meta({ id: 'PusherSubscriptionCount' });

export const CacheMiss = z.object({ event: z.literal('pusher:cache_miss'), channel: ChannelName }).meta({ id: 'PusherCacheMiss' });

export const Signin = z
  .object({ event: z.literal('pusher:signin'), data: z.object({ auth: z.string(), user_data: z.string() }) })
  .meta({ id: 'PusherSignin' });
export const SigninSuccess = z
  .object({ event: z.literal('pusher:signin_success'), data: z.union([z.string(), z.object({ user_data: z.string() })]) })
  .meta({ id: 'PusherSigninSuccess' });

export const ClientEventName = z.string().startsWith('client-').max(200).meta({ id: 'ClientEventName' });
export const ClientEvent = z
  .object({ event: ClientEventName, channel: ChannelName, data: z.unknown() })
  .meta({ id: 'PusherClientEvent', description: 'Client-to-client event; the hub adds user_id on presence channels' });

/** Any event a hub relays to subscribers: `data` is a string (usually JSON). */
export const ChannelEvent = z
  .object({ event: z.string().min(1), channel: ChannelName, data: z.string(), user_id: z.string().optional() })
  .meta({ id: 'PusherChannelEvent' });

export const ClientToHubFrame = z.union([Ping, Pong, Subscribe, Unsubscribe, Signin, ClientEvent]).meta({ id: 'PusherClientToHubFrame' });
export const HubToClientFrame = z
  .union([
    ConnectionEstablished,
    PusherError,
    Ping,
    Pong,
    SubscriptionSucceeded,
    SubscriptionError,
    MemberAdded,
    MemberRemoved,
    SubscriptionCount,
    CacheMiss,
    SigninSuccess,
    ChannelEvent,
  ])
  .meta({ id: 'PusherHubToClientFrame' });
