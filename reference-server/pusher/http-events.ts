/**
 * POST /apps/{id}/events and /apps/{id}/batch_events: publish to channels, optionally excluding one
 * socket and returning channel attributes (`info`).
 * Source: https://pusher.com/docs/channels/library_auth_reference/rest-api/#events
 */
import { isPresence, isValidChannelName } from '../../spec/protocol/channels.ts';
import { SOCKET_ID_PATTERN } from '../../spec/protocol/frames.ts';
import { PUSHER_LIMITS } from '../../spec/schemas/pusher-http.ts';
import { HttpError, parseJsonBody, sendJson, type RequestContext } from '../http/router.ts';
import { authenticate } from './http-auth.ts';
import { isServerToUserChannel, publishEvent, type PusherHub } from './hub-state.ts';

const bad = (message: string) => new HttpError(400, 'bad_request', message);

interface EventRequest {
  name: string;
  data: string;
  channels: string[];
  socketId: string | undefined;
  info: string[];
}

function requireObject(value: unknown, what: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw bad(`${what} must be a JSON object`);
  return value as Record<string, unknown>;
}

function checkChannel(value: unknown, what: string): string {
  if (isValidChannelName(value) || isServerToUserChannel(value)) return value;
  throw bad(`${what} must be a channel name of at most 164 characters of A-Z a-z 0-9 _ - = @ , . ;`);
}

/** Reads `info` (comma-separated attributes) and checks each is one the hub knows. */
export function parseInfo(value: unknown): string[] {
  if (value === undefined || value === '') return [];
  if (typeof value !== 'string') throw bad('info must be a comma-separated string');
  const attrs = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  for (const a of attrs) {
    if (a !== 'user_count' && a !== 'subscription_count') throw bad(`unknown info attribute "${a}"; use user_count or subscription_count`);
  }
  return attrs;
}

/** Validates one event; `multi` allows `channels`, a batch item has a single `channel`. */
function readEvent(hub: PusherHub, body: Record<string, unknown>, what: string, multi: boolean): EventRequest {
  const { name, data, socket_id: socketId } = body;
  // implements: pusher/http-api/7
  if (typeof name !== 'string' || name.length === 0) throw bad(`${what}: "name" must be a non-empty string`);
  if (name.length > PUSHER_LIMITS.maxEventNameLength)
    throw bad(`${what}: event name is longer than ${PUSHER_LIMITS.maxEventNameLength} characters`);
  if (name.startsWith('pusher:') || name.startsWith('pusher_internal:'))
    throw bad(`${what}: event names starting with "pusher" are reserved`);
  // implements: pusher/http-api/7, pusher/connection/10
  if (typeof data !== 'string') throw bad(`${what}: "data" must be a string (JSON-encode objects first)`);
  const maxBytes = hub.config.limits.maxEventBytes;
  const size = Buffer.byteLength(data);
  // implements: pusher/http-api/3, pusher/limits/1
  if (size > maxBytes) throw new HttpError(413, 'payload_too_large', `${what}: data is ${size} bytes; the limit is ${maxBytes}`);

  let channels: string[];
  if (multi && body.channels !== undefined) {
    if (body.channel !== undefined) throw bad(`${what}: give either "channels" or "channel", not both`);
    if (!Array.isArray(body.channels) || body.channels.length === 0) throw bad(`${what}: "channels" must be a non-empty array`);
    const max = hub.config.limits.maxChannelsPerEvent;
    // implements: pusher/http-api/2, pusher/limits/1
    if (body.channels.length > max) throw bad(`${what}: ${body.channels.length} channels; at most ${max} per event`);
    channels = body.channels.map((c, i) => checkChannel(c, `${what}: channels[${i}]`));
  } else {
    if (body.channel === undefined) throw bad(`${what}: "${multi ? 'channels' : 'channel'}" is required`);
    channels = [checkChannel(body.channel, `${what}: channel`)];
  }
  if (socketId !== undefined && (typeof socketId !== 'string' || !SOCKET_ID_PATTERN.test(socketId))) {
    throw bad(`${what}: socket_id must look like 123.456`);
  }
  return { name, data, channels, socketId: socketId as string | undefined, info: parseInfo(body.info) };
}

/** Channel attributes for an `info` list; user_count only where it means something (presence). */
export function channelAttributes(hub: PusherHub, channel: string, info: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  if (info.includes('user_count') && isPresence(channel)) out.user_count = hub.presence.userCount(channel);
  if (info.includes('subscription_count')) out.subscription_count = hub.channels.count(channel);
  return out;
}

// implements: pusher/http-api/4
function publish(hub: PusherHub, ev: EventRequest): void {
  const except = ev.socketId === undefined ? undefined : hub.connections.get(ev.socketId);
  for (const channel of ev.channels) publishEvent(hub, channel, ev.name, ev.data, except);
}

export function mountEventRoutes(hub: PusherHub): void {
  // implements: pusher/http-api/1
  hub.ctx.router.add('POST', '/apps/:appId/events', (rc: RequestContext) => {
    authenticate(hub, rc);
    const ev = readEvent(hub, requireObject(parseJsonBody(rc.body), 'body'), 'event', true);
    publish(hub, ev);
    if (ev.info.length === 0) return sendJson(rc.res, 200, {});
    sendJson(rc.res, 200, { channels: Object.fromEntries(ev.channels.map((c) => [c, channelAttributes(hub, c, ev.info)])) });
  });

  // implements: pusher/http-api/5
  hub.ctx.router.add('POST', '/apps/:appId/batch_events', (rc: RequestContext) => {
    authenticate(hub, rc);
    const body = requireObject(parseJsonBody(rc.body), 'body');
    if (!Array.isArray(body.batch) || body.batch.length === 0) throw bad('"batch" must be a non-empty array of events');
    const max = hub.config.limits.maxBatchEvents;
    // implements: pusher/http-api/6
    if (body.batch.length > max) throw bad(`batch has ${body.batch.length} events; at most ${max}`);
    // Validate the whole batch before publishing any of it: a bad batch publishes nothing.
    const events = body.batch.map((item, i) => readEvent(hub, requireObject(item, `batch[${i}]`), `batch[${i}]`, false));
    for (const ev of events) publish(hub, ev);
    if (events.every((ev) => ev.info.length === 0)) return sendJson(rc.res, 200, {});
    sendJson(rc.res, 200, { batch: events.map((ev) => channelAttributes(hub, ev.channels[0]!, ev.info)) });
  });
}
