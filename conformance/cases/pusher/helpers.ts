/**
 * Small building blocks the pusher cases share: unique channel names, "subscribed socket", publish via
 * the HTTP API, refusal detection that tolerates third-party hubs, and capability probes.
 */
import { randomBytes } from 'node:crypto';
import { frameData, PusherEvent, type Frame } from '../../../spec/protocol/frames.ts';
import { closeClass } from '../../../spec/protocol/close-codes.ts';
import { channelKind } from '../../../spec/protocol/channels.ts';
import type { Requirement } from '../../../spec/requirements/types.ts';
import { pusherApi, type HttpResponse } from '../../clients/http.ts';
import {
  openPusherSocket,
  pusherErrorCode,
  SubscriptionRejected,
  type OpenPusherSocketOptions,
  type PusherSocket,
  type SubscribeOptions,
} from '../../clients/pusher-socket.ts';
import { nextLabel } from '../../clients/wait.ts';
import { isEvent } from '../../clients/wire-socket.ts';
import { startFaultProxy, type FaultProxy } from '../../faults/proxy.ts';
import { needs, reliesOn } from '../../needs.ts';
import { CheckFailure, type CaseContext } from '../../types.ts';
import { blockedBy, expectAbsent, expectStatus, expectThat } from '../../verify.ts';

/** A channel name no other case (or run) uses: `<prefix>hp-<hex>`. */
export function uniq(prefix = ''): string {
  return `${prefix}hp-${randomBytes(5).toString('hex')}`;
}

/** The requirement that says a hub accepts a (correctly signed) subscription of this channel's kind. */
export function subscriptionRequirement(channel: string): string {
  const kind = channelKind(channel);
  if (kind === 'private-encrypted' || kind === 'private-encrypted-cache') return 'pusher/encrypted/1';
  if (kind.startsWith('presence')) return 'pusher/auth/2';
  if (kind.startsWith('private')) return 'pusher/auth/1';
  return 'pusher/subscribe/1';
}

/**
 * Subscribes as a setup step: a refusal (or silence) blocks the case by the requirement that says the
 * hub accepts such a subscription, when the case relies on it.
 */
export function subscribeAsSetup(ctx: CaseContext, sock: PusherSocket, channel: string, opts?: SubscribeOptions): Promise<Frame> {
  return needs(ctx, subscriptionRequirement(channel), () => sock.subscribe(channel, opts));
}

/** Opens a connection and subscribes it to each channel (presence channels get `channelData`, by default a member with user_info). */
export async function subscribed(
  ctx: CaseContext,
  channels: string | string[],
  opts: OpenPusherSocketOptions & { sub?: SubscribeOptions } = {},
): Promise<PusherSocket> {
  const sock = await openPusherSocket(ctx, opts);
  for (const ch of Array.isArray(channels) ? channels : [channels]) {
    const sub =
      opts.sub?.channelData === undefined && channelKind(ch).startsWith('presence')
        ? { ...opts.sub, channelData: member(`u-${sock.socketId}`) }
        : opts.sub;
    await subscribeAsSetup(ctx, sock, ch, sub);
  }
  return sock;
}

/** The user_info a member gets unless a case is about another: the form every client library sends. */
export const defaultInfo = (userId: string | number): { name: string } => ({ name: `User ${userId}` });

/**
 * `{user_id, user_info}` as the JSON string a presence subscription signs and sends. Members carry
 * user_info (by default `{name}`), the most interoperable form: some hubs refuse presence data without
 * it, and only cases about that form (bareMember) should meet that refusal.
 */
export function member(userId: string | number, userInfo: unknown = defaultInfo(userId)): string {
  return JSON.stringify({ user_id: userId, user_info: userInfo });
}

/** `{user_id}` alone: presence data without user_info, for the cases about that form. */
export function bareMember(userId: string | number): string {
  return JSON.stringify({ user_id: userId });
}

/** Opens a connection and joins presence `channel` as `userId` (with `info` as user_info, by default `{name}`). */
export async function joinPresence(
  ctx: CaseContext,
  channel: string,
  userId: string | number,
  info?: unknown,
  node?: CaseContext['node'],
): Promise<{ sock: PusherSocket; ack: Frame }> {
  const sock = await openPusherSocket(ctx, { node, label: nextLabel(ctx, `ws:${userId}`) });
  const ack = await subscribeAsSetup(ctx, sock, channel, { channelData: member(userId, info) });
  return { sock, ack };
}

/** The `user_id` of a member_added / member_removed frame. */
export const memberUserId = (f: Frame): unknown => frameData<{ user_id?: unknown }>(f)?.user_id;

/** Publishes through `POST /apps/{id}/events`; fails the check unless the hub answers 200. */
export async function publish(
  ctx: CaseContext,
  channels: string | string[],
  name: string,
  data: string,
  extra: Record<string, unknown> = {},
): Promise<HttpResponse> {
  const body = { name, data, ...(Array.isArray(channels) ? { channels } : { channel: channels }), ...extra };
  return needs(ctx, 'pusher/http-api/1', async () => {
    const res = await pusherApi(ctx).trigger(body);
    expectStatus(res, 200, 'POST /apps/{id}/events');
    return res;
  });
}

/** Waits for an event on a channel whose data equals `data` (the relayed string). */
export function waitForData(sock: PusherSocket, channel: string, event: string, data: string, timeoutMs = 3000): Promise<Frame> {
  return sock.waitFor((f) => f.event === event && f.channel === channel && f.data === data, {
    desc: `${event} on ${channel} with data ${data.slice(0, 60)}`,
    timeoutMs,
  });
}

export type Refusal = { kind: 'error'; code: number | null; frame: Frame } | { kind: 'subscription_error'; frame: Frame };

/**
 * Subscribes expecting a refusal: resolves with how the hub refused (pusher:error with its code, or
 * pusher:subscription_error). A subscription_succeeded instead fails the check.
 */
export async function expectSubscribeRefused(
  sock: PusherSocket,
  channel: string,
  opts: SubscribeOptions & { why: string },
): Promise<Refusal> {
  try {
    await sock.subscribe(channel, opts);
  } catch (err) {
    if (err instanceof SubscriptionRejected) {
      return err.frame.event === PusherEvent.SUBSCRIPTION_ERROR
        ? { kind: 'subscription_error', frame: err.frame }
        : { kind: 'error', code: err.code, frame: err.frame };
    }
    if (err instanceof CheckFailure && !sock.closeInfo) {
      throw new CheckFailure(
        `hub neither refused nor confirmed a subscription to ${channel} ${opts.why}`,
        `pusher:error (4009) refusing ${channel}`,
        err.actual,
      );
    }
    throw err;
  }
  throw new CheckFailure(
    `hub accepted a subscription to ${channel} ${opts.why}`,
    `pusher:error (4009) refusing ${channel}`,
    `pusher_internal:subscription_succeeded on ${channel}`,
  );
}

/** Waits for a pusher:error and returns its code (null when it has none). */
export async function expectPusherError(
  sock: PusherSocket,
  desc: string,
  timeoutMs = 3000,
): Promise<{ code: number | null; frame: Frame }> {
  const frame = await sock.waitFor(isEvent(PusherEvent.ERROR), { desc: `pusher:error answering ${desc}`, timeoutMs, fresh: true });
  return { code: pusherErrorCode(frame), frame };
}

/** Does a fresh connection get a pusher:pong for its pusher:ping? (Telling "wedged" from "never answers pings".) */
async function freshConnectionPongs(ctx: CaseContext): Promise<boolean> {
  const probe = await openPusherSocket(ctx, { label: nextLabel(ctx, 'ping-probe') });
  probe.send({ event: PusherEvent.PING, data: {} });
  return probe.waitFor(isEvent(PusherEvent.PONG), { desc: 'pusher:pong on a fresh connection', timeoutMs: 3000, fresh: true }).then(
    () => true,
    (err: unknown) => (err instanceof CheckFailure ? false : Promise.reject(err)),
  );
}

/**
 * The connection still answers pusher:ping — it was not closed or wedged. A hub that answers no
 * pusher:ping on a fresh connection either does not meet pusher/heartbeat/1, and a case relying on it
 * is blocked by that, not failed.
 */
export async function expectAlive(sock: PusherSocket, why: string, ctx?: CaseContext): Promise<void> {
  expectAbsent(sock.closeInfo, 'close (the connection stays open)', `hub closed the connection ${why}`);
  sock.send({ event: PusherEvent.PING, data: {} });
  try {
    await sock.waitFor(isEvent(PusherEvent.PONG), { desc: `pusher:pong (connection alive ${why})`, timeoutMs: 3000, fresh: true });
  } catch (err) {
    if (
      err instanceof CheckFailure &&
      !sock.closeInfo &&
      ctx &&
      reliesOn(ctx, 'pusher/heartbeat/1') &&
      !(await freshConnectionPongs(ctx))
    ) {
      blockedBy('pusher/heartbeat/1', 'the hub answers no pusher:ping, not even on a fresh connection, so "still alive" cannot be asked');
    }
    throw err;
  }
}

/**
 * Proves a subscription still delivers: publishes a fresh event on `channel` and waits for it.
 * Used after bad input to show "other subscriptions keep working". When a fresh subscriber of a fresh
 * channel gets nothing either, delivery itself (pusher/subscribe/3) is what the hub lacks.
 */
export async function expectDelivers(ctx: CaseContext, sock: PusherSocket, channel: string, why: string): Promise<void> {
  const data = JSON.stringify({ probe: uniq() });
  await publish(ctx, channel, 'hp-probe', data);
  try {
    await waitForData(sock, channel, 'hp-probe', data);
  } catch (err) {
    if (!(err instanceof CheckFailure)) throw err;
    if (reliesOn(ctx, 'pusher/subscribe/3') && !(await freshDelivery(ctx))) {
      blockedBy('pusher/subscribe/3', 'the hub delivers no published event, not even to a fresh subscriber of a fresh channel');
    }
    throw new CheckFailure(
      `subscription to ${channel} stopped delivering ${why}`,
      err.expected,
      err.actual,
      undefined,
      err.rootCause ? { rootCause: err.rootCause } : {},
    );
  }
}

/** Does a fresh subscriber of a fresh public channel get a fresh publish? */
async function freshDelivery(ctx: CaseContext): Promise<boolean> {
  const channel = uniq();
  const probe = await subscribed(ctx, channel, { label: nextLabel(ctx, 'delivery-probe') });
  const data = JSON.stringify({ probe: uniq() });
  await publish(ctx, channel, 'hp-probe', data);
  return waitForData(probe, channel, 'hp-probe', data).then(
    () => true,
    (err: unknown) => (err instanceof CheckFailure ? false : Promise.reject(err)),
  );
}

/**
 * Sends `sentinel` after whatever must not arrive, then waits for it plus a short grace: anything
 * matching `unwanted` seen by then is a failure. Deterministic on in-order hubs, tolerant of others.
 */
export async function expectNoneBeforeSentinel(
  ctx: CaseContext,
  sock: PusherSocket,
  unwanted: (f: Frame) => boolean,
  desc: string,
  channel: string,
): Promise<void> {
  const past = sock.untaken(unwanted);
  const seen = sock.collect(unwanted);
  const data = JSON.stringify({ sentinel: uniq() });
  await publish(ctx, channel, 'hp-sentinel', data);
  await waitForData(sock, channel, 'hp-sentinel', data);
  await sock.expectNone(unwanted, { withinMs: 150, desc, fresh: true });
  sock.stopCollecting(seen);
  expectThat(past[0] ?? seen[0], (hit) => hit === undefined, `not to receive ${desc}`, `${sock.label} received ${desc}`);
}

/** The presence hash from a subscription_succeeded frame, or a check failure saying what is wrong. */
export function presenceOf(frame: Frame): { ids: string[]; hash: Record<string, unknown>; count: number } {
  const data = frameData<{ presence?: { ids?: unknown; hash?: unknown; count?: unknown } }>(frame);
  const p = data && typeof data === 'object' ? data.presence : undefined;
  if (!p || !Array.isArray(p.ids) || typeof p.hash !== 'object' || p.hash === null || typeof p.count !== 'number') {
    throw new CheckFailure(
      'presence subscription_succeeded has no {presence:{ids, hash, count}}',
      '{"presence":{"ids":[…],"hash":{…},"count":n}} as a JSON string',
      JSON.stringify(frame.data),
    );
  }
  return { ids: p.ids as string[], hash: p.hash as Record<string, unknown>, count: p.count };
}

/**
 * Makes sure the target has `capability`: declared true → go; undeclared → run the probe, which
 * returns false when the capability is absent (then the case is `unimplemented`).
 */
export async function requireCapability(
  ctx: CaseContext,
  capability: NonNullable<Requirement['capability']>,
  probe: () => Promise<boolean>,
): Promise<void> {
  const declared = ctx.target.capabilities?.[capability] ?? ctx.hub?.capabilities[capability];
  if (declared === true) return;
  ctx.note(`capability ${capability} not declared; probing`);
  if (!(await probe())) ctx.unimplemented(`probe found no ${capability} support`);
}

/** Client events: two sockets on a private channel; does a client- event get relayed? */
export async function probeClientEvents(ctx: CaseContext): Promise<boolean> {
  const channel = uniq('private-');
  const [a, b] = [await subscribed(ctx, channel), await subscribed(ctx, channel)];
  a.trigger(channel, 'client-probe', { probe: true });
  try {
    await b.waitFor(isEvent('client-probe', channel), { desc: 'relayed client-probe', timeoutMs: 1500 });
    return true;
  } catch (err) {
    if (err instanceof CheckFailure) return false;
    throw err;
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
}

/** True when the close code says "reconnect now" (4200-4299). */
export const isReconnectNow = (code: number): boolean => closeClass(code) === 'reconnect-now';

/**
 * A fault proxy in front of the target's first node, closed after the case. Returns a node whose `ws`
 * goes through the proxy (HTTP stays direct). Undefined for wss:// targets, whose certificates would
 * not match the proxy's address.
 */
export async function proxiedNode(ctx: CaseContext): Promise<{ proxy: FaultProxy; node: CaseContext['node'] } | undefined> {
  const u = new URL(ctx.node.ws);
  if (u.protocol !== 'ws:') return undefined;
  const proxy = await startFaultProxy({ upstream: { host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || 80) } });
  ctx.defer(() => proxy.close());
  ctx.log('fault', 'proxy', `fault proxy ${proxy.wsUrl} → ${u.host}`);
  return { proxy, node: { ws: `${proxy.wsUrl}${u.pathname.replace(/\/+$/, '')}`, http: ctx.node.http } };
}
