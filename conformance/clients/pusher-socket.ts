/**
 * A Pusher protocol 7 client for conformance cases: connects to `/app/{key}`, waits for
 * `pusher:connection_established`, subscribes (signing with the target's secret), and logs every frame.
 * Tolerant of third-party hubs: `pusher:error` data as a string or an object, `pusher:subscription_error`.
 */
import { connectionUrl, frameData, PusherEvent, type Frame } from '../../spec/protocol/frames.ts';
import { channelKind, requiresAuth } from '../../spec/protocol/channels.ts';
import { signChannelAuth } from '../../spec/protocol/signing.ts';
import { connectionRefusedCause, subscriptionRefusedCause, type SubscriptionShape } from '../root-cause.ts';
import { CheckFailure, type CaseContext } from '../types.ts';
import { openWireSocket, WireSocket, type WireSocketOptions } from './wire-socket.ts';

/** pusher-js's own `activityTimeout` default; it pings after the shorter of this and the hub's announced one. */
const PUSHER_JS_ACTIVITY_TIMEOUT_S = 120;

export interface OpenPusherSocketOptions {
  /** Which target node (default the first). */
  node?: CaseContext['node'];
  /** App key in the URL (default the target's); an unknown key tests 4001. */
  key?: string;
  /** Query parameters merged over `protocol=7&client=hubproof&version=…`; `null` removes one. */
  query?: Record<string, string | null>;
  /** Connection label in the wire log (default `ws#<n>`). */
  label?: string;
  /** Answer WebSocket pings (default true). */
  autoPong?: boolean;
  /** Answer `pusher:ping` with `pusher:pong` (default true). */
  answerPings?: boolean;
  /**
   * Ping like pusher-js: `pusher:ping` after min(activity_timeout, 120 s) without a frame from the hub.
   * Default: whatever `answerPings` is — a connection that answers pings also sends them, a silent one
   * stays silent. False for a case that watches what the hub does with an idle client.
   */
  clientPings?: boolean;
  /** Deadline for the handshake and `pusher:connection_established` (default 5000 ms). */
  timeoutMs?: number;
}

export interface SubscribeOptions {
  /** `key:signature`; undefined signs with the target's secret when the channel needs it; null sends none. */
  auth?: string | null;
  /** Presence `channel_data` as a JSON string (or an object, stringified). */
  channelData?: string | { user_id: string | number; user_info?: unknown };
  /** Default 3000 ms. */
  timeoutMs?: number;
}

/** The code in a `pusher:error` whose data is an object, a JSON string, or a bare string. */
export function pusherErrorCode(frame: Frame): number | null {
  const data = frameData<unknown>(frame);
  if (data && typeof data === 'object' && 'code' in data) {
    const code = (data as { code: unknown }).code;
    if (typeof code === 'number') return code;
    if (typeof code === 'string' && /^\d+$/.test(code)) return Number(code);
  }
  return null;
}

/** The `message` of a `pusher:error` (object or JSON-string data), if it has one. */
export function pusherErrorMessage(frame: Frame): string | undefined {
  const data = frameData<unknown>(frame);
  const message = data && typeof data === 'object' && 'message' in data ? (data as { message: unknown }).message : undefined;
  return typeof message === 'string' ? message : undefined;
}

/**
 * A subscription the hub refused: carries the frame and its code, reads as a check failure whose root
 * cause is the refusal's shape (channel kind, presence with or without user_info, the code), so cases
 * that needed the same kind of subscription group together when the hub refuses it.
 */
export class SubscriptionRejected extends CheckFailure {
  constructor(
    readonly channel: string,
    readonly frame: Frame,
    readonly code: number | null,
    shape: SubscriptionShape = { kind: channelKind(channel) },
  ) {
    super(
      `subscription to ${channel} was rejected with ${frame.event}${code !== null ? ` ${code}` : ''}`,
      `pusher_internal:subscription_succeeded on ${channel}`,
      JSON.stringify(frame),
      undefined,
      {
        rootCause: subscriptionRefusedCause(
          shape,
          frame.event,
          code,
          frame.event === PusherEvent.ERROR ? pusherErrorMessage(frame) : undefined,
        ),
      },
    );
  }
}

/** What a subscription looked like, for the refusal's root cause. */
function subscriptionShape(channel: string, channelData: string | undefined): SubscriptionShape {
  const kind = channelKind(channel);
  if (!kind.startsWith('presence')) return { kind };
  try {
    const data = JSON.parse(channelData ?? '') as { user_info?: unknown };
    return { kind, userInfo: data !== null && typeof data === 'object' && data.user_info !== undefined };
  } catch {
    return { kind };
  }
}

export class PusherSocket extends WireSocket {
  socketId = '';
  activityTimeout = 0;
  /** The `pusher:connection_established` frame as received. */
  established: Frame | undefined;

  /**
   * Subscribes and resolves with `pusher_internal:subscription_succeeded`; rejects with
   * SubscriptionRejected on `pusher:error` / `pusher:subscription_error`, or a CheckFailure on timeout.
   */
  async subscribe(channel: string, opts: SubscribeOptions = {}): Promise<Frame> {
    const channelData = typeof opts.channelData === 'object' ? JSON.stringify(opts.channelData) : opts.channelData;
    const data: Record<string, string> = { channel };
    let auth = opts.auth;
    if (auth === undefined && requiresAuth(channel)) auth = signChannelAuth(this.ctx.target.app, this.socketId, channel, channelData);
    if (auth !== undefined && auth !== null) data.auth = auth;
    if (channelData !== undefined) data.channel_data = channelData;
    this.send({ event: PusherEvent.SUBSCRIBE, data });
    const frame = await this.waitFor(
      (f) =>
        (f.event === PusherEvent.SUBSCRIPTION_SUCCEEDED && f.channel === channel) ||
        (f.event === PusherEvent.SUBSCRIPTION_ERROR && (f.channel === undefined || f.channel === channel)) ||
        (f.event === PusherEvent.ERROR && (f.channel === undefined || f.channel === channel)),
      { desc: `pusher_internal:subscription_succeeded on ${channel}`, timeoutMs: opts.timeoutMs ?? 3000, fresh: true },
    );
    if (frame.event !== PusherEvent.SUBSCRIPTION_SUCCEEDED) {
      const code = frame.event === PusherEvent.ERROR ? pusherErrorCode(frame) : subscriptionErrorStatus(frame);
      throw new SubscriptionRejected(channel, frame, code, subscriptionShape(channel, channelData));
    }
    return frame;
  }

  unsubscribe(channel: string): void {
    this.send({ event: PusherEvent.UNSUBSCRIBE, data: { channel } });
  }

  /** Sends a client event (`client-…`) on a channel. */
  trigger(channel: string, event: string, data: unknown): void {
    this.send({ event, channel, data });
  }
}

/** `pusher:subscription_error` carries `{type, error, status}` in pusher-js' shape; the status if any. */
function subscriptionErrorStatus(frame: Frame): number | null {
  const data = frameData<unknown>(frame);
  if (data && typeof data === 'object' && 'status' in data && typeof (data as { status: unknown }).status === 'number') {
    return (data as { status: number }).status;
  }
  return null;
}

/** The `/app/{key}` URL for a node, with query overrides (`null` removes a parameter). */
export function pusherUrl(ctx: CaseContext, opts: Pick<OpenPusherSocketOptions, 'node' | 'key' | 'query'> = {}): string {
  const node = opts.node ?? ctx.node;
  const url = new URL(connectionUrl(node.ws, opts.key ?? ctx.target.app.key));
  for (const [k, v] of Object.entries(opts.query ?? {})) {
    if (v === null) url.searchParams.delete(k);
    else url.searchParams.set(k, v);
  }
  return url.toString();
}

/**
 * Opens a connection and resolves after `pusher:connection_established`. A close or silence instead
 * rejects with a CheckFailure that says what came back.
 */
export async function openPusherSocket(ctx: CaseContext, opts: OpenPusherSocketOptions = {}): Promise<PusherSocket> {
  const timeoutMs = opts.timeoutMs ?? 5000;
  const wireOpts: WireSocketOptions = {
    url: pusherUrl(ctx, opts),
    label: opts.label,
    autoPong: opts.autoPong,
    answerPings: opts.answerPings,
    openTimeoutMs: timeoutMs,
  };
  const sock = await openWireSocket(ctx, wireOpts, (c, ws, label, answerPings) => new PusherSocket(c, ws, label, answerPings));
  const frame = await sock
    .waitFor((f) => f.event === PusherEvent.CONNECTION_ESTABLISHED || f.event === PusherEvent.ERROR, {
      desc: 'pusher:connection_established',
      timeoutMs,
    })
    .catch((err: unknown) => {
      // Closed before the handshake finished: the hub refused the connection, whatever code it chose.
      const c = sock.closeInfo;
      if (err instanceof CheckFailure && c && !sock.closedByHarness) {
        throw new CheckFailure(err.message, err.expected, err.actual, undefined, {
          rootCause: connectionRefusedCause({ close: c.code, reason: c.reason }),
        });
      }
      throw err;
    });
  if (frame.event === PusherEvent.ERROR) {
    const code = pusherErrorCode(frame);
    throw new CheckFailure(
      `hub answered the connection with pusher:error ${code ?? ''}`.trim(),
      'pusher:connection_established',
      JSON.stringify(frame),
      undefined,
      {
        rootCause: connectionRefusedCause({ pusherError: code, message: pusherErrorMessage(frame) }),
      },
    );
  }
  const data = frameData<{ socket_id?: unknown; activity_timeout?: unknown }>(frame);
  const socketId = data && typeof data === 'object' ? data.socket_id : undefined;
  if (typeof socketId !== 'string' || socketId.length === 0) {
    throw new CheckFailure(
      'pusher:connection_established has no socket_id',
      'data.socket_id: a string like "123.456"',
      JSON.stringify(frame),
    );
  }
  sock.socketId = socketId;
  sock.activityTimeout = typeof data.activity_timeout === 'number' ? data.activity_timeout : 0;
  sock.established = frame;
  if ((opts.clientPings ?? opts.answerPings ?? true) && sock.activityTimeout > 0)
    sock.keepAlive(Math.min(sock.activityTimeout, PUSHER_JS_ACTIVITY_TIMEOUT_S) * 1000);
  return sock;
}

/** `key:hex(HMAC-SHA256(secret, "socket_id:channel[:channel_data]"))` with the target's credentials. */
export function authorizeChannel(ctx: CaseContext, socketId: string, channel: string, channelData?: string): string {
  return signChannelAuth(ctx.target.app, socketId, channel, channelData);
}
