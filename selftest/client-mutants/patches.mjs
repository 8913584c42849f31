// @ts-check
/**
 * Patches on a live pusher-js instance, for the self-test's mutant clients. FIXES turn pusher-js into the
 * conformant base every mutant starts from (pusher-js has no jitter, sends client events on public
 * channels, and throws from its message handler on a frame without an event); BREAKS each break one rule
 * of the pusher-client profile. A mutant is the base with one fix left out or one break added.
 */

/** @typedef {{ options?: (o: Record<string, any>) => Record<string, any>, instance?: (pusher: any) => void, channel?: (channel: any, pusher: any) => void }} Patch */

const isPublic = (/** @type {string} */ name) => !name.startsWith('private-') && !name.startsWith('presence-');
/** Events pusher-js and its hubs know; anything else under `pusher:` / `pusher_internal:` is new. */
const KNOWN = new Set([
  'pusher:connection_established',
  'pusher:error',
  'pusher:ping',
  'pusher:pong',
  'pusher:signin_success',
  'pusher:cache_miss',
  'pusher_internal:subscription_succeeded',
  'pusher_internal:subscription_count',
  'pusher_internal:member_added',
  'pusher_internal:member_removed',
]);

/** @type {Record<string, Patch>} */
export const FIXES = {
  /** Reconnect delays drawn from [delay, 3 × delay) instead of pusher-js's fixed 1 s. */
  jitter: {
    instance(pusher) {
      const manager = pusher.connection;
      const retryIn = manager.retryIn.bind(manager);
      manager.retryIn = (/** @type {number} */ delay) => retryIn(delay > 0 ? delay + Math.random() * 2 * delay : delay);
    },
  },
  /** A client event on a public channel is refused at the call. */
  'public-client-events': {
    channel(channel) {
      if (!isPublic(channel.name)) return;
      channel.trigger = () => {
        throw new Error(`client events need a private or presence channel; ${channel.name} is public`);
      };
    },
  },
  /** A frame without a string event is reported as a parse error instead of reaching pusher-js's handler. */
  'malformed-frames': {
    instance(pusher) {
      const manager = pusher.connection;
      const emit = manager.emit.bind(manager);
      manager.emit = (/** @type {string} */ name, /** @type {any} */ data) =>
        name === 'message' && typeof data?.event !== 'string' ? emit('error', { type: 'MessageParseError', data }) : emit(name, data);
    },
  },
};

/** @type {Record<string, Patch>} */
export const BREAKS = {
  'reconnects-after-4001': {
    instance(pusher) {
      let asked = false;
      const disconnect = pusher.disconnect.bind(pusher);
      pusher.disconnect = () => ((asked = true), disconnect());
      pusher.connection.bind('state_change', (/** @type {any} */ s) => {
        if (s.current === 'disconnected' && !asked) setTimeout(() => pusher.connect(), 100);
      });
    },
  },
  'never-pings': {
    instance(pusher) {
      pusher.connection.sendActivityCheck = () => undefined;
    },
  },
  'ignores-missing-pong': {
    options: (o) => ({ ...o, pongTimeout: 3_600_000 }),
  },
  'no-pong': {
    instance(pusher) {
      pusher.connection.connectionCallbacks.ping = () => undefined;
    },
  },
  'no-resubscribe': {
    instance(pusher) {
      pusher.subscribeAll = () => undefined;
    },
  },
  'stale-auth': {
    channel(channel) {
      if (isPublic(channel.name)) return;
      const authorize = channel.authorize.bind(channel);
      /** @type {any} */
      let first;
      channel.authorize = (/** @type {string} */ socketId, /** @type {Function} */ done) =>
        first
          ? done(null, first)
          : authorize(socketId, (/** @type {any} */ err, /** @type {any} */ data) => ((first = err ? undefined : data), done(err, data)));
    },
  },
  'resubscribes-left-channel': {
    instance(pusher) {
      pusher.unsubscribe = (/** @type {string} */ name) => pusher.channel(name)?.unsubscribe();
    },
  },
  'no-backoff-after-4100': {
    instance(pusher) {
      const manager = pusher.connection;
      manager.connectionCallbacks.backoff = () => manager.retryIn(0);
      manager.handshakeCallbacks.backoff = () => manager.retryIn(0);
    },
  },
  'double-member': {
    channel(channel) {
      const members = channel.members;
      if (!members) return;
      const add = members.addMember.bind(members);
      members.addMember = (/** @type {any} */ data) => {
        const had = members.get(data.user_id) !== null;
        const member = add(data);
        if (had) members.count++;
        return member;
      };
    },
  },
  'stale-members': {
    channel(channel) {
      const members = channel.members;
      if (!members) return;
      /** @type {Record<string, unknown>} */
      let before = {};
      const reset = members.reset.bind(members);
      members.reset = () => ((before = { ...members.members }), reset());
      const onSubscription = members.onSubscription.bind(members);
      members.onSubscription = (/** @type {any} */ data) => {
        onSubscription(data);
        for (const [id, info] of Object.entries(before))
          if (!(id in members.members)) {
            members.members[id] = info;
            members.count++;
          }
      };
    },
  },
  'no-prefix-check': {
    channel(channel, pusher) {
      if (isPublic(channel.name)) return;
      channel.trigger = (/** @type {string} */ event, /** @type {unknown} */ data) => pusher.send_event(event, data, channel.name);
    },
  },
  'drops-on-unknown-event': {
    instance(pusher) {
      pusher.connection.bind('message', (/** @type {any} */ m) => {
        const internal = typeof m?.event === 'string' && (m.event.startsWith('pusher:') || m.event.startsWith('pusher_internal:'));
        if (internal && !KNOWN.has(m.event)) pusher.connection.connection?.close();
      });
    },
  },
  'decodes-twice': {
    channel(channel) {
      const emit = channel.emit.bind(channel);
      channel.emit = (/** @type {string} */ event, /** @type {unknown} */ data, /** @type {unknown} */ meta) => {
        if (typeof data === 'string' && !event.startsWith('pusher:'))
          try {
            data = JSON.parse(data);
          } catch {
            // not JSON: as it was
          }
        return emit(event, data, meta);
      };
    },
  },
};

/**
 * The hooks of the pusher-js driver for a mutant: `base` is every fix, a fix name leaves that one out,
 * a break name adds it to every fix, and `pusher-js` is pusher-js as it is.
 * @param {string} mutant
 */
export function mutantHooks(mutant) {
  if (mutant === 'pusher-js') return {};
  const without = Object.hasOwn(FIXES, mutant) ? mutant : undefined;
  if (mutant !== 'base' && !without && !Object.hasOwn(BREAKS, mutant)) throw new Error(`unknown mutant ${mutant}`);
  /** @type {Patch[]} */
  const patches = [
    ...Object.entries(FIXES)
      .filter(([name]) => name !== without)
      .map(([, p]) => p),
    ...(BREAKS[mutant] ? [BREAKS[mutant]] : []),
  ];
  return {
    options: (/** @type {Record<string, any>} */ o) => patches.reduce((acc, p) => (p.options ? p.options(acc) : acc), o),
    instance: (/** @type {any} */ pusher) => patches.forEach((p) => p.instance?.(pusher)),
    channel: (/** @type {any} */ channel, /** @type {any} */ pusher) => patches.forEach((p) => p.channel?.(channel, pusher)),
  };
}
