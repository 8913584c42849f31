// @ts-check
/**
 * The pusher-js driver's handlers: each command through pusher-js's own API, and every observation from
 * what pusher-js tells an application (connection state changes, channel events, `channel.members`,
 * errors). `hooks` let the self-test's mutant clients patch one behaviour of a live instance
 * (selftest/client-mutants/); the shipped driver passes none.
 */
import { emit } from './driver-io.mjs';

/** Events pusher-js itself raises on a channel, reported as their own observations, not as `event`. */
const LIBRARY_EVENTS = new Set([
  'pusher:subscription_succeeded',
  'pusher:subscription_error',
  'pusher:member_added',
  'pusher:member_removed',
]);

/**
 * @typedef {object} PusherJsHooks
 * @property {(options: Record<string, any>) => Record<string, any>} [options] rewrites the constructor options
 * @property {(pusher: any, client: string) => void} [instance] patches a new instance
 * @property {(channel: any, pusher: any, client: string) => void} [channel] patches each channel as pusher-js creates it
 */

/**
 * @param {any} Pusher the pusher-js class
 * @param {PusherJsHooks} [hooks]
 */
export function pusherJsHandlers(Pusher, hooks = {}) {
  /** @type {Map<string, any>} */
  const clients = new Map();

  /** @param {string} name */
  const client = (name) => {
    const pusher = clients.get(name);
    if (!pusher) throw new Error(`driver: no client ${name}; connect it first`);
    return pusher;
  };

  /** @param {string} name @param {any} channel */
  const reportMembers = (name, channel) => {
    const members = channel.members;
    /** @type {string[]} */
    const ids = [];
    members.each((/** @type {any} */ m) => ids.push(String(m.id)));
    emit({
      type: 'members',
      client: name,
      channel: channel.name,
      count: members.count,
      ids,
      me: members.me ? String(members.me.id) : null,
    });
  };

  /** @param {string} name @param {any} err */
  const reportError = (name, err) => {
    // pusher-js nests what the hub said: {type, error: {type, data: {code, message}}} or {type, data: {code, message}}.
    const data = err?.error?.data ?? err?.data;
    const code = typeof data?.code === 'number' ? data.code : null;
    const message = data?.message ?? err?.error?.message ?? err?.type ?? String(err);
    emit({ type: 'error', client: name, message: `${err?.type ?? 'error'}: ${message}`, code });
  };

  return {
    /** @param {any} cmd */
    connect(cmd) {
      if (clients.has(cmd.client)) throw new Error(`driver: client ${cmd.client} exists`);
      // Options every pusher-js release since 3.x understands (authEndpoint/auth rather than the newer
      // channelAuthorization), so --client-path can load old releases too.
      /** @type {Record<string, any>} */
      let options = {
        wsHost: cmd.host,
        wsPort: cmd.port,
        forceTLS: false,
        encrypted: false,
        enabledTransports: ['ws'],
        disableStats: true,
        cluster: 'mt1',
        authEndpoint: cmd.auth.endpoint,
        auth: { params: cmd.auth.params },
      };
      if (cmd.pongTimeoutMs !== undefined) options.pongTimeout = cmd.pongTimeoutMs;
      if (hooks.options) options = hooks.options(options);
      const pusher = new Pusher(cmd.key, options);
      clients.set(cmd.client, pusher);
      pusher.connection.bind('state_change', (/** @type {any} */ s) => {
        emit({
          type: 'state',
          client: cmd.client,
          state: s.current,
          ...(s.current === 'connected' ? { socketId: String(pusher.connection.socket_id) } : {}),
        });
      });
      pusher.connection.bind('error', (/** @type {any} */ err) => reportError(cmd.client, err));
      // pusher-js connects from its constructor, before any binding: report where it is now.
      emit({ type: 'state', client: cmd.client, state: pusher.connection.state });
      hooks.instance?.(pusher, cmd.client);
      if (hooks.channel) {
        // Patch each channel as pusher-js creates it, before its first subscribe (and authorization).
        const add = pusher.channels.add.bind(pusher.channels);
        pusher.channels.add = (/** @type {string} */ name, /** @type {any} */ owner) => {
          const fresh = !pusher.channels.channels[name];
          const channel = add(name, owner);
          if (fresh) hooks.channel?.(channel, pusher, cmd.client);
          return channel;
        };
      }
      if (typeof pusher.connect === 'function' && pusher.connection.state === 'initialized') pusher.connect();
    },

    /** @param {any} cmd */
    subscribe(cmd) {
      const pusher = client(cmd.client);
      const channel = pusher.subscribe(cmd.channel);
      if (channel.__hubproofBound) return;
      channel.__hubproofBound = true;
      const presence = cmd.channel.startsWith('presence-');
      channel.bind('pusher:subscription_succeeded', () => {
        emit({ type: 'subscribed', client: cmd.client, channel: cmd.channel });
        if (presence) reportMembers(cmd.client, channel);
      });
      channel.bind('pusher:subscription_error', (/** @type {any} */ e) => {
        emit({
          type: 'subscription_error',
          client: cmd.client,
          channel: cmd.channel,
          ...(typeof e?.status === 'number' ? { status: e.status } : typeof e === 'number' ? { status: e } : {}),
          message: String(e?.error ?? e?.type ?? JSON.stringify(e)),
        });
      });
      if (presence) {
        channel.bind('pusher:member_added', () => reportMembers(cmd.client, channel));
        channel.bind('pusher:member_removed', () => reportMembers(cmd.client, channel));
      }
      const global = typeof channel.bind_global === 'function' ? 'bind_global' : 'bind_all';
      channel[global]((/** @type {string} */ event, /** @type {unknown} */ data, /** @type {any} */ metadata) => {
        if (LIBRARY_EVENTS.has(event)) return;
        emit({
          type: 'event',
          client: cmd.client,
          channel: cmd.channel,
          event,
          data,
          ...(metadata?.user_id !== undefined ? { userId: String(metadata.user_id) } : {}),
        });
      });
    },

    /** @param {any} cmd */
    unsubscribe(cmd) {
      client(cmd.client).unsubscribe(cmd.channel);
    },

    /** @param {any} cmd */
    trigger(cmd) {
      const channel = client(cmd.client).channel(cmd.channel);
      if (!channel) throw new Error(`driver: the application holds no channel ${cmd.channel}`);
      // pusher-js throws BadEventName for a name without `client-`, and returns false when not connected.
      const sent = channel.trigger(cmd.event, cmd.data);
      if (sent === false) throw new Error('pusher-js did not send the event (trigger returned false)');
    },

    /** @param {any} cmd */
    members(cmd) {
      const channel = client(cmd.client).channel(cmd.channel);
      if (!channel?.members) throw new Error(`driver: the application holds no presence channel ${cmd.channel}`);
      reportMembers(cmd.client, channel);
    },

    /** @param {any} cmd */
    disconnect(cmd) {
      client(cmd.client).disconnect();
    },

    /** Disconnects every client (on exit). */
    shutdown() {
      for (const pusher of clients.values()) pusher.disconnect();
    },
  };
}
