/**
 * Optional webhooks: signed POSTs of `{time_ms, events:[…]}` with `X-Pusher-Key` and
 * `X-Pusher-Signature: hex(HMAC-SHA256(secret, body))`. channel_vacated and member_removed are held
 * back `vacatedDelayMs`; if the channel is re-occupied (or the user re-joins) within that time both
 * the leave and the re-join are dropped, so a page reload does not flap.
 * Source: https://pusher.com/docs/channels/server_api/webhooks/
 */
import { signWebhook } from '../../spec/protocol/signing.ts';
import type { HubContext } from '../context.ts';

export interface WebhookEvent {
  name: 'channel_occupied' | 'channel_vacated' | 'member_added' | 'member_removed' | 'client_event' | 'cache_miss';
  channel: string;
  user_id?: string;
  event?: string;
  data?: string;
  socket_id?: string;
}

export interface Webhooks {
  channelOccupied(channel: string): void;
  channelVacated(channel: string): void;
  memberAdded(channel: string, userId: string): void;
  memberRemoved(channel: string, userId: string): void;
  clientEvent(channel: string, event: string, data: string, socketId: string, userId?: string): void;
  cacheMiss(channel: string): void;
  /** Drops pending delayed events and aborts requests in flight. */
  close(): void;
  /** Delayed leave events not yet sent, as `[key, event]` (a cluster snapshot); load() puts them back. */
  pending(): Array<[string, WebhookEvent]>;
  load(pending: Array<[string, WebhookEvent]>): void;
}

/** How long one webhook POST may take before it is abandoned. */
const REQUEST_TIMEOUT_MS = 5_000;

const NOOP: Webhooks = {
  channelOccupied: () => undefined,
  channelVacated: () => undefined,
  memberAdded: () => undefined,
  memberRemoved: () => undefined,
  clientEvent: () => undefined,
  cacheMiss: () => undefined,
  close: () => undefined,
  pending: () => [],
  load: () => undefined,
};

// implements: pusher/webhooks/5
export function createWebhooks(ctx: HubContext): Webhooks {
  const settings = ctx.config.webhooks;
  if (settings === undefined) return NOOP;
  const { url, vacatedDelayMs } = settings;
  const app = ctx.config.app;
  const abort = new AbortController();
  // On a cluster node every node records a delayed leave (so a re-join applied anywhere cancels it), but
  // only the node whose command caused it runs the timer, and firing is a logged command (`whf`).
  const delayed = new Map<string, { event: WebhookEvent; timer?: NodeJS.Timeout }>();
  const cluster = ctx.cluster;
  let queue: WebhookEvent[] = [];
  let flushScheduled = false;

  // Events raised in one turn of the event loop go out in one request, as Pusher batches them.
  // implements: pusher/cluster/7
  const enqueue = (event: WebhookEvent): void => {
    // Every node of a cluster applies the change; the node whose command it was sends the webhook.
    if (abort.signal.aborted || (cluster !== undefined && !cluster.isOrigin())) return;
    queue.push(event);
    if (flushScheduled) return;
    flushScheduled = true;
    setImmediate(flush);
  };

  // implements: pusher/webhooks/1
  const flush = (): void => {
    flushScheduled = false;
    if (queue.length === 0 || abort.signal.aborted) return;
    const body = JSON.stringify({ time_ms: ctx.now(), events: queue });
    queue = [];
    fetch(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-pusher-key': app.key, 'x-pusher-signature': signWebhook(app, body) },
      signal: AbortSignal.any([abort.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
    }).then(
      (res) => {
        if (!res.ok) ctx.log(`webhook POST ${url} answered ${res.status}`);
        void res.body?.cancel();
      },
      (err: Error) => {
        if (!abort.signal.aborted) ctx.log(`webhook POST ${url} failed: ${err.message}`);
      },
    );
  };

  /** Schedules a delayed leave event under `key`. */
  // implements: pusher/webhooks/4
  const delay = (key: string, event: WebhookEvent): void => {
    clearTimeout(delayed.get(key)?.timer);
    const entry: { event: WebhookEvent; timer?: NodeJS.Timeout } = { event };
    delayed.set(key, entry);
    if (cluster !== undefined && !cluster.isOrigin()) return;
    entry.timer = setTimeout(() => {
      if (cluster !== undefined) return void cluster.submit({ t: 'whf', k: key }).catch(() => undefined);
      delayed.delete(key);
      enqueue(event);
    }, vacatedDelayMs);
  };
  cluster?.on('whf', (c) => {
    const entry = delayed.get(String(c.k));
    if (entry === undefined) return;
    clearTimeout(entry.timer);
    delayed.delete(String(c.k));
    enqueue(entry.event);
  });

  /** Cancels a pending leave under `key`; true when there was one (so the matching join is dropped too). */
  const cancel = (key: string): boolean => {
    const entry = delayed.get(key);
    if (entry === undefined) return false;
    clearTimeout(entry.timer);
    delayed.delete(key);
    return true;
  };

  const channelKey = (channel: string) => `c\n${channel}`;
  const memberKey = (channel: string, userId: string) => `m\n${channel}\n${userId}`;

  return {
    // implements: pusher/webhooks/2, pusher/webhooks/4
    channelOccupied: (channel) => {
      if (!cancel(channelKey(channel))) enqueue({ name: 'channel_occupied', channel });
    },
    channelVacated: (channel) => delay(channelKey(channel), { name: 'channel_vacated', channel }),
    // implements: pusher/webhooks/3
    memberAdded: (channel, userId) => {
      if (!cancel(memberKey(channel, userId))) enqueue({ name: 'member_added', channel, user_id: userId });
    },
    memberRemoved: (channel, userId) => delay(memberKey(channel, userId), { name: 'member_removed', channel, user_id: userId }),
    clientEvent: (channel, event, data, socketId, userId) =>
      enqueue({ name: 'client_event', channel, event, data, socket_id: socketId, ...(userId === undefined ? {} : { user_id: userId }) }),
    cacheMiss: (channel) => enqueue({ name: 'cache_miss', channel }),
    pending: () => [...delayed].map(([key, entry]) => [key, entry.event]),
    load: (pending) => {
      for (const [key, event] of pending) delayed.set(key, { event });
    },
    close: () => {
      abort.abort();
      for (const entry of delayed.values()) clearTimeout(entry.timer);
      delayed.clear();
      queue = [];
    },
  };
}
