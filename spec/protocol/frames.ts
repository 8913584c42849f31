/**
 * Pusher frame encoding. On the wire a frame is `{event, channel?, data, user_id?}` where the hub sends
 * `data` as a JSON *string* (double-encoded); clients may send it as an object. Encode once, write the
 * same string to every subscriber.
 * Source: https://pusher.com/docs/channels/library_auth_reference/pusher-websockets-protocol/
 */
export interface Frame {
  event: string;
  channel?: string;
  /** As received: a string (usually JSON) or, from clients, any JSON value. */
  data?: unknown;
  user_id?: string;
}

export class FrameDecodeError extends Error {
  override readonly name = 'FrameDecodeError';
  constructor(
    message: string,
    readonly reason: 'not-json' | 'not-object' | 'no-event',
  ) {
    super(message);
  }
}

/** Encodes a frame the way a hub sends it: `data` becomes a JSON string unless it already is a string. */
export function encodeFrame(event: string, data: unknown, channel?: string, userId?: string): string {
  const frame: Frame = { event };
  if (channel !== undefined) frame.channel = channel;
  frame.data = typeof data === 'string' ? data : JSON.stringify(data ?? {});
  if (userId !== undefined) frame.user_id = userId;
  return JSON.stringify(frame);
}

/** Parses a raw frame and checks its envelope; throws FrameDecodeError on anything that is not a Pusher frame. */
export function decodeFrame(raw: string): Frame {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new FrameDecodeError('frame is not valid JSON', 'not-json');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new FrameDecodeError('frame is not a JSON object', 'not-object');
  }
  const frame = parsed as Record<string, unknown>;
  if (typeof frame.event !== 'string' || frame.event.length === 0) {
    throw new FrameDecodeError('frame has no string "event"', 'no-event');
  }
  if (frame.channel !== undefined && typeof frame.channel !== 'string') {
    throw new FrameDecodeError('frame "channel" is not a string', 'not-object');
  }
  return frame as unknown as Frame;
}

/** The frame's data as a value: a JSON string is parsed (once), anything else returned as is. */
export function frameData<T = unknown>(frame: Frame): T {
  const { data } = frame;
  if (typeof data !== 'string') return data as T;
  try {
    return JSON.parse(data) as T;
  } catch {
    return data as unknown as T;
  }
}

export const PusherEvent = {
  CONNECTION_ESTABLISHED: 'pusher:connection_established',
  ERROR: 'pusher:error',
  PING: 'pusher:ping',
  PONG: 'pusher:pong',
  SUBSCRIBE: 'pusher:subscribe',
  UNSUBSCRIBE: 'pusher:unsubscribe',
  SIGNIN: 'pusher:signin',
  SIGNIN_SUCCESS: 'pusher:signin_success',
  CACHE_MISS: 'pusher:cache_miss',
  SUBSCRIPTION_ERROR: 'pusher:subscription_error',
  SUBSCRIPTION_COUNT: 'pusher_internal:subscription_count',
  SUBSCRIPTION_SUCCEEDED: 'pusher_internal:subscription_succeeded',
  MEMBER_ADDED: 'pusher_internal:member_added',
  MEMBER_REMOVED: 'pusher_internal:member_removed',
} as const;

/** `ws(s)://host[/prefix]/app/{key}?protocol=7&client=…&version=…` */
export function connectionUrl(wsBase: string, key: string, query: Record<string, string> = {}): string {
  const base = wsBase.replace(/\/+$/, '');
  const params = new URLSearchParams({ protocol: '7', client: 'hubproof', version: '0.1.0', flash: 'false', ...query });
  return `${base}/app/${encodeURIComponent(key)}?${params.toString()}`;
}

export const SOCKET_ID_PATTERN = /^\d+\.\d+$/;
export const PROTOCOL_VERSION = 7;
