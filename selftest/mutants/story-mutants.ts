/**
 * Mutants shaped like real hubs' deviations, each with the exact run it must produce: one behaviour
 * behind many rows comes out as one root-cause group, and no `fail` is charged to a requirement the
 * mutant does not break (rows that needed the broken requirement read `blocked` by it).
 */
import { signHttpRequest } from '../../spec/protocol/signing.ts';
import type { ProxyConn, WsHooks } from '../kit/mutating-proxy.ts';
import { AUTH_PARAMS, dataObject, proxyMutant, type ClientFrame } from './proxy-mutant.ts';
import type { Mutant } from './types.ts';

/** The `channel_data` of a presence subscription, parsed; undefined when absent or not JSON. */
function channelData(d: Record<string, unknown>): Record<string, unknown> | undefined {
  if (typeof d.channel_data !== 'string') return undefined;
  try {
    const v = JSON.parse(d.channel_data) as unknown;
    return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Soketi 1.6's shape: every HTTP API error goes out with status 200, the real code and message in the
 * JSON body. One behaviour; every case that expects a 4xx fails on it, and the report groups them.
 */
export const httpErrorsAs200: Mutant = proxyMutant({
  name: 'http-errors-as-200',
  breaks: 'pusher/http-auth/2',
  selectors: ['pusher/http-auth', 'pusher/http-api'],
  describe: 'Answers every HTTP API error with status 200, the code and message in the JSON body (Soketi’s shape)',
  // Every row whose requirement asks for a 4xx fails, all in one group; http-auth/8 (publish nothing
  // when refusing) passes: the mutant publishes nothing, whatever status it answers with.
  story: {
    notPassing: {
      'pusher/http-api/2#1': 'fail',
      'pusher/http-api/3#1': 'fail',
      'pusher/http-api/6#1': 'fail',
      'pusher/http-api/7#1': 'fail',
      'pusher/http-api/9#1': 'fail',
      'pusher/http-api/12#1': 'fail',
      'pusher/http-auth/2#1': 'fail',
      'pusher/http-auth/3#1': 'fail',
      'pusher/http-auth/4#1': 'fail',
      'pusher/http-auth/5#1': 'fail',
      'pusher/http-auth/6#1': 'fail',
      'pusher/http-auth/7#1': 'fail',
      'pusher/http-api/13#1': 'skipped',
    },
    groups: {
      'http-error-as-2xx:200:error-in-body': [
        'pusher/http-api/2#1',
        'pusher/http-api/3#1',
        'pusher/http-api/6#1',
        'pusher/http-api/7#1',
        'pusher/http-api/9#1',
        'pusher/http-api/12#1',
        'pusher/http-auth/2#1',
        'pusher/http-auth/3#1',
        'pusher/http-auth/4#1',
        'pusher/http-auth/5#1',
        'pusher/http-auth/6#1',
        'pusher/http-auth/7#1',
      ],
    },
  },
  hooks: () => ({
    http: {
      response(req, res) {
        if (!req.url.startsWith('/apps/') || res.status < 400) return;
        const text = res.body.toString('utf8');
        let message: unknown = text;
        try {
          const j = JSON.parse(text) as { error?: { message?: unknown } | string };
          message = typeof j.error === 'object' ? (j.error.message ?? text) : (j.error ?? text);
        } catch {
          // not JSON: the text is the message
        }
        res.body = Buffer.from(JSON.stringify({ error: message, code: res.status }));
        res.status = 200;
        res.headers = { ...res.headers, 'content-type': 'application/json' };
      },
    },
  }),
});

/**
 * Reverb 1.10's shape: a presence subscription whose `channel_data` has no `user_info` is refused with
 * `pusher:error 4200 "Invalid message format"`. Only the bare form's requirement fails; the cases that
 * use presence channels give their members `user_info` and pass.
 */
export const presenceRefusesBareMember: Mutant = proxyMutant({
  name: 'presence-refuses-bare-member',
  breaks: 'pusher/presence/9',
  selectors: [
    'pusher/presence',
    'pusher/subscribe',
    'pusher/auth',
    'pusher/cache',
    'pusher/client-events',
    'pusher/http-api/9',
    'pusher/http-api/10',
    'pusher/http-api/11',
  ],
  describe: 'Refuses presence subscriptions without `user_info` with pusher:error 4200 "Invalid message format" (Reverb’s shape)',
  strict: true,
  // Only the bare form's SHOULD misses; presence/10 (list a bare member) cannot be judged and is
  // blocked by it; every other presence case sets its members up with user_info and passes.
  story: {
    notPassing: {
      'pusher/presence/9#1': 'non-strict',
      'pusher/presence/9#2': 'non-strict',
      'pusher/presence/10#1': 'blocked:pusher/presence/9',
    },
    groups: {
      'subscription-refused:presence:no-user_info:pusher:error:4200': [
        'pusher/presence/9#1',
        'pusher/presence/9#2',
        'pusher/presence/10#1',
      ],
    },
  },
  hooks: () => ({
    ws: {
      fromClient(conn: ProxyConn, _text, json) {
        const f = json as ClientFrame | undefined;
        if (f?.event !== 'pusher:subscribe') return undefined;
        const d = f ? dataObject(f) : undefined;
        if (typeof d?.channel !== 'string' || !d.channel.startsWith('presence-')) return undefined;
        const cd = d ? channelData(d) : undefined;
        if (!cd || 'user_info' in cd) return undefined;
        conn.toClient(JSON.stringify({ event: 'pusher:error', data: { code: 4200, message: 'Invalid message format' } }));
        return null;
      },
    },
  }),
});

/** channel → connection → {user_id, user_info?} as the clients subscribed (presence only). */
function presenceTracker() {
  const pending = new WeakMap<ProxyConn, Map<string, Record<string, unknown>>>();
  const members = new Map<string, Map<ProxyConn, Record<string, unknown>>>();
  return {
    members,
    fromClient(conn: ProxyConn, json: unknown): void {
      const f = json as ClientFrame | undefined;
      const d = f ? dataObject(f) : undefined;
      if (typeof d?.channel !== 'string' || !d.channel.startsWith('presence-')) return;
      if (f?.event === 'pusher:unsubscribe') members.get(d.channel)?.delete(conn);
      const cd = d ? channelData(d) : undefined;
      if (f?.event === 'pusher:subscribe' && cd) {
        const p = pending.get(conn) ?? new Map<string, Record<string, unknown>>();
        pending.set(conn, p.set(d.channel, cd));
      }
    },
    /** The member a confirmed subscription added, once. */
    confirmed(conn: ProxyConn, json: unknown): { channel: string; member: Record<string, unknown> } | undefined {
      const f = json as ClientFrame | undefined;
      if (f?.event !== 'pusher_internal:subscription_succeeded' || typeof f.channel !== 'string') return undefined;
      const member = pending.get(conn)?.get(f.channel);
      if (!member) return undefined;
      pending.get(conn)!.delete(f.channel);
      const m = members.get(f.channel) ?? new Map<ProxyConn, Record<string, unknown>>();
      members.set(f.channel, m.set(conn, member));
      return { channel: f.channel, member };
    },
    closed(conn: ProxyConn): void {
      for (const m of members.values()) m.delete(conn);
    },
  };
}

type PresenceTracker = ReturnType<typeof presenceTracker>;

/** WebSocket hooks that track presence members; `confirmed` sees each confirmed subscription and may rewrite its frame. */
function presenceHooks(
  t: PresenceTracker,
  confirmed: (conn: ProxyConn, ok: { channel: string; member: Record<string, unknown> }, json: unknown) => string | null | undefined = () =>
    undefined,
): WsHooks {
  return {
    fromClient(conn, _text, json) {
      t.fromClient(conn, json);
      return undefined;
    },
    fromHub(conn, _text, json) {
      const ok = t.confirmed(conn, json);
      return ok ? confirmed(conn, ok, json) : undefined;
    },
    onClose(conn) {
      t.closed(conn);
    },
  };
}

/** A presence hash that leaves out every member who subscribed without `user_info` (ids and count keep them). */
export const presenceHashOmitsBareMembers: Mutant = proxyMutant({
  name: 'presence-hash-omits-bare-members',
  breaks: 'pusher/presence/10',
  selectors: ['pusher/presence'],
  describe: 'Leaves members that subscribed without `user_info` out of the presence hash (ids and count still list them)',
  story: {
    notPassing: { 'pusher/presence/10#1': 'fail', 'pusher/presence/9#1': 'skipped', 'pusher/presence/9#2': 'skipped' },
    groups: {},
  },
  hooks: () => {
    const t = presenceTracker();
    return {
      ws: presenceHooks(t, (_conn, ok, json) => {
        const bare = new Set(
          [...(t.members.get(ok.channel)?.values() ?? [])].filter((m) => !('user_info' in m)).map((m) => String(m.user_id)),
        );
        if (bare.size === 0) return undefined;
        const f = json as { data?: unknown };
        const data = (typeof f.data === 'string' ? JSON.parse(f.data) : f.data) as { presence?: { hash?: Record<string, unknown> } };
        for (const id of bare) delete data.presence?.hash?.[id];
        return JSON.stringify({ ...(json as object), data: JSON.stringify(data) });
      }),
    };
  },
});

/** Reverb#213's shape: `member_added` for every connection of a user, not only the first. */
export const memberAddedPerConnection: Mutant = proxyMutant({
  name: 'member-added-per-connection',
  breaks: 'pusher/presence/4',
  selectors: ['pusher/presence'],
  describe: 'Sends member_added when any connection of a user joins a presence channel, not only the first (reverb#213)',
  // Both cases of presence/4 fail (the direct one and the presence model); the model's presence/6 row is
  // blocked by it (not reached), never failed: the mutant removes members correctly.
  story: {
    notPassing: {
      'pusher/presence/4#1': 'fail',
      'pusher/presence/4#2': 'fail',
      'pusher/presence/6#2': 'blocked:pusher/presence/4',
      'pusher/presence/9#1': 'skipped',
      'pusher/presence/9#2': 'skipped',
    },
    groups: {},
  },
  hooks: () => {
    const t = presenceTracker();
    return {
      ws: presenceHooks(t, (conn, ok) => {
        const user = String(ok.member.user_id);
        // The correct hub announced the user's first connection; this one announces every further one too.
        const others = [...t.members.get(ok.channel)!].filter(([c]) => c !== conn);
        if (!others.some(([, mem]) => String(mem.user_id) === user)) return undefined;
        const frame = JSON.stringify({
          event: 'pusher_internal:member_added',
          channel: ok.channel,
          data: JSON.stringify({ user_id: user, ...('user_info' in ok.member ? { user_info: ok.member.user_info } : {}) }),
        });
        for (const [c, mem] of others) if (String(mem.user_id) !== user) c.toClient(frame);
        return undefined;
      }),
    };
  },
});

/**
 * Reverb 1.10's shape: a correctly signed HTTP API request is accepted however far its `auth_timestamp`
 * is from the hub's clock (a replay window). The relay re-signs such requests with the current time.
 */
export const httpAuthReplayWindow: Mutant = proxyMutant({
  name: 'http-auth-replay-window',
  breaks: 'pusher/http-auth/4',
  selectors: ['pusher/http-auth'],
  describe: 'Accepts correctly signed HTTP API requests whatever their auth_timestamp (700 s away included: a replay window, Reverb 1.10)',
  story: { notPassing: { 'pusher/http-auth/4#1': 'fail' }, groups: {} },
  hooks: (hub) => ({
    http: {
      request(req) {
        const u = new URL(req.url, 'http://hub');
        if (!u.pathname.startsWith('/apps/')) return;
        const ts = Number(u.searchParams.get('auth_timestamp'));
        if (!Number.isFinite(ts) || Math.abs(Date.now() / 1000 - ts) <= 600) return;
        const params: Record<string, string> = {};
        for (const [k, v] of u.searchParams) if (!AUTH_PARAMS.has(k)) params[k] = v;
        const body = req.body.toString('utf8');
        const asSent = signHttpRequest(hub.app, { method: req.method, path: u.pathname, params, body, timestamp: ts });
        // Only the timestamp is let through: a bad signature, key or version is still refused by the hub.
        if (
          asSent.auth_signature !== u.searchParams.get('auth_signature') ||
          u.searchParams.get('auth_key') !== hub.app.key ||
          u.searchParams.get('auth_version') !== '1.0'
        )
          return;
        req.url = `${u.pathname}?${new URLSearchParams(signHttpRequest(hub.app, { method: req.method, path: u.pathname, params, body })).toString()}`;
      },
    },
  }),
});

/**
 * reverb#272's shape: a client event on a private channel the sender never subscribed to (so was never
 * authorised for) is relayed to the channel's subscribers.
 */
export const whisperUnauthorised: Mutant = proxyMutant({
  name: 'whisper-unauthorised',
  breaks: 'pusher/client-events/4',
  selectors: ['pusher/client-events'],
  describe: 'Relays client events sent on a private channel the sender is not subscribed to (reverb#272)',
  story: {
    notPassing: { 'pusher/client-events/4#1': 'fail', 'pusher/client-events/7#1': 'skipped', 'pusher/client-events/8#1': 'skipped' },
    groups: {},
  },
  hooks: () => {
    const subscribers = new Map<string, Set<ProxyConn>>();
    return {
      ws: {
        fromClient(conn, _text, json) {
          const f = json as ClientFrame | undefined;
          if (f?.event === 'pusher:unsubscribe') {
            const d = dataObject(f);
            if (typeof d?.channel === 'string') subscribers.get(d.channel)?.delete(conn);
          }
          if (
            typeof f?.event !== 'string' ||
            !f.event.startsWith('client-') ||
            typeof f.channel !== 'string' ||
            !f.channel.startsWith('private-')
          )
            return undefined;
          const subs = subscribers.get(f.channel);
          if (subs?.has(conn)) return undefined;
          const frame = JSON.stringify({
            event: f.event,
            channel: f.channel,
            data: typeof f.data === 'string' ? f.data : JSON.stringify(f.data ?? {}),
          });
          for (const s of subs ?? []) s.toClient(frame);
          return null;
        },
        fromHub(conn, _text, json) {
          const f = json as ClientFrame | undefined;
          if (f?.event === 'pusher_internal:subscription_succeeded' && typeof f.channel === 'string') {
            subscribers.set(f.channel, (subscribers.get(f.channel) ?? new Set()).add(conn));
          }
          return undefined;
        },
        onClose(conn) {
          for (const s of subscribers.values()) s.delete(conn);
        },
      },
    };
  },
});

/** reverb#130's shape: `user_count` counts a presence channel's connections, not its users. */
export const userCountPerConnection: Mutant = proxyMutant({
  name: 'user-count-per-connection',
  breaks: 'pusher/http-api/10',
  selectors: ['pusher/http-api/9', 'pusher/http-api/10', 'pusher/http-api/11'],
  describe: 'Reports user_count as the number of connections on a presence channel, not of distinct users (reverb#130)',
  // Both requirements that read user_count fail; /users (http-api/11) lists users, untouched, and passes.
  story: { notPassing: { 'pusher/http-api/9#1': 'fail', 'pusher/http-api/10#1': 'fail' }, groups: {} },
  hooks: () => {
    const t = presenceTracker();
    const connections = (channel: string) => t.members.get(channel)?.size ?? 0;
    return {
      ws: presenceHooks(t),
      http: {
        response(req, res) {
          if (req.method !== 'GET' || res.status !== 200 || !/^\/apps\/[^/]+\/channels/.test(req.url)) return;
          const path = new URL(req.url, 'http://hub').pathname;
          const body = JSON.parse(res.body.toString('utf8')) as { user_count?: number; channels?: Record<string, { user_count?: number }> };
          const one = /^\/apps\/[^/]+\/channels\/([^/]+)$/.exec(path);
          if (one && typeof body.user_count === 'number') body.user_count = connections(decodeURIComponent(one[1]!));
          for (const [name, info] of Object.entries(body.channels ?? {}))
            if (typeof info.user_count === 'number') info.user_count = connections(name);
          res.body = Buffer.from(JSON.stringify(body));
        },
      },
    };
  },
});

/** Error codes of the wrong class: every pusher:error code in 4300-4399 goes out as 4009 (a do-not-reconnect code). */
export const errorCodesOutOfClass: Mutant = proxyMutant({
  name: 'error-codes-out-of-class',
  breaks: 'pusher/close-codes/4',
  selectors: ['pusher/close-codes/4', 'pusher/close-codes/5', 'pusher/bad-input'],
  describe: 'Sends pusher:error code 4009 (4000-4099, do not reconnect) where a 4300-4399 code is due',
  strict: true,
  // Both SHOULDs that judge the error's class miss, as one group; the message/shape checks (close-codes/5)
  // and every bad-input MUST pass: the hub still answers each bad input.
  story: {
    notPassing: { 'pusher/close-codes/4#1': 'non-strict', 'pusher/bad-input/7#1': 'non-strict' },
    groups: { 'close-code-class:4009': ['pusher/close-codes/4#1', 'pusher/bad-input/7#1'] },
  },
  hooks: () => ({
    ws: {
      fromHub(_conn, _text, json) {
        const f = json as { event?: unknown; data?: unknown } | undefined;
        if (f?.event !== 'pusher:error') return undefined;
        const data = (typeof f.data === 'string' ? JSON.parse(f.data) : f.data) as { code?: unknown } | null;
        if (typeof data?.code !== 'number' || data.code < 4300 || data.code > 4399) return undefined;
        return JSON.stringify({ ...f, data: { ...data, code: 4009 } });
      },
    },
  }),
});

/**
 * A hub that ignores malformed JSON: it sends no pusher:error for a text frame that is not JSON (the
 * connection keeps working). bad-input/1 fails; the cases that provoke errors with malformed JSON among
 * other inputs judge the others, and a case that needs that very error is blocked by bad-input/1.
 */
export const silentOnMalformedJson: Mutant = proxyMutant({
  name: 'silent-on-malformed-json',
  breaks: 'pusher/bad-input/1',
  selectors: ['pusher/bad-input', 'pusher/close-codes/4', 'pusher/close-codes/5', 'pusher/close-codes/6'],
  describe: 'Sends no pusher:error for a text frame that is not JSON (ignores it silently)',
  strict: true,
  story: {
    notPassing: {
      'pusher/bad-input/1#1': 'fail',
      'pusher/bad-input/7#1': 'blocked:pusher/bad-input/1',
    },
    groups: {},
  },
  hooks: () => {
    const swallow = new WeakMap<ProxyConn, number>();
    return {
      ws: {
        fromClient(conn, _text, json) {
          if (json === undefined) swallow.set(conn, (swallow.get(conn) ?? 0) + 1);
          return undefined;
        },
        fromHub(conn, _text, json) {
          const n = swallow.get(conn) ?? 0;
          if (n === 0 || (json as { event?: unknown } | undefined)?.event !== 'pusher:error') return undefined;
          swallow.set(conn, n - 1);
          return null;
        },
      },
    };
  },
});
