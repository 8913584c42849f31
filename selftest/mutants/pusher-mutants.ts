/**
 * Mutants that break Pusher protocol rules: channel auth, client-event echo, per-user presence and HTTP
 * API signatures. The relay knows the app secret (as a broken hub would), so it can make bad requests
 * look good to the correct hub behind it.
 */
import { signChannelAuth, signHttpRequest } from '../../spec/protocol/signing.ts';
import type { ProxyConn } from '../kit/mutating-proxy.ts';
import { AUTH_PARAMS, dataObject, proxyMutant, type ClientFrame } from './proxy-mutant.ts';
import type { Mutant } from './types.ts';

export const acceptForgedAuth: Mutant = proxyMutant({
  name: 'accept-forged-auth',
  breaks: 'pusher/auth/4',
  selectors: ['pusher/auth/4'],
  describe: 'Accepts private and presence subscriptions whatever their signature (a bad `auth` is replaced by a valid one)',
  hooks: (hub) => ({
    ws: {
      fromClient(conn, _text, json) {
        const f = json as ClientFrame | undefined;
        if (f?.event !== 'pusher:subscribe' || !conn.socketId) return undefined;
        const d = dataObject(f);
        if (typeof d?.channel !== 'string' || typeof d.auth !== 'string') return undefined;
        const channelData = typeof d.channel_data === 'string' ? d.channel_data : undefined;
        const valid = signChannelAuth(hub.app, conn.socketId, d.channel, channelData);
        return d.auth === valid ? undefined : JSON.stringify({ event: f.event, data: { ...d, auth: valid } });
      },
    },
  }),
});

export const echoClientEvents: Mutant = proxyMutant({
  name: 'echo-client-events',
  breaks: 'pusher/client-events/2',
  selectors: ['pusher/client-events/2'],
  describe: 'Echoes every client event back to the connection that sent it',
  hooks: () => ({
    ws: {
      fromClient(conn, _text, json) {
        const f = json as ClientFrame | undefined;
        if (typeof f?.event !== 'string' || !f.event.startsWith('client-') || typeof f.channel !== 'string') return undefined;
        conn.toClient(
          JSON.stringify({ event: f.event, channel: f.channel, data: typeof f.data === 'string' ? f.data : JSON.stringify(f.data ?? {}) }),
        );
        return undefined;
      },
    },
  }),
});

export const memberRemovedPerConnection: Mutant = proxyMutant({
  name: 'member-removed-per-connection',
  breaks: 'pusher/presence/6',
  selectors: ['pusher/presence/6'],
  describe: 'Sends member_removed when any one of a user’s connections leaves a presence channel, not only the last',
  hooks: () => {
    /** channel → connection → user_id, for subscriptions the hub confirmed. */
    const members = new Map<string, Map<ProxyConn, string>>();
    const pending = new WeakMap<ProxyConn, Map<string, string>>();
    const leave = (conn: ProxyConn, channel: string) => {
      const m = members.get(channel);
      const user = m?.get(conn);
      if (!m || user === undefined) return;
      m.delete(conn);
      // The correct hub stays silent while the user has another connection; this one does not.
      if (![...m.values()].includes(user)) return;
      const frame = JSON.stringify({ event: 'pusher_internal:member_removed', channel, data: JSON.stringify({ user_id: user }) });
      for (const other of m.keys()) other.toClient(frame);
    };
    return {
      ws: {
        fromClient(conn, _text, json) {
          const f = json as ClientFrame | undefined;
          const d = f ? dataObject(f) : undefined;
          if (typeof d?.channel !== 'string' || !d.channel.startsWith('presence-')) return undefined;
          if (f?.event === 'pusher:unsubscribe') leave(conn, d.channel);
          if (f?.event === 'pusher:subscribe' && typeof d.channel_data === 'string') {
            try {
              const user = String((JSON.parse(d.channel_data) as { user_id?: unknown }).user_id);
              const p = pending.get(conn) ?? new Map<string, string>();
              pending.set(conn, p.set(d.channel, user));
            } catch {
              // Not JSON: the hub refuses it; nothing to track.
            }
          }
          return undefined;
        },
        fromHub(conn, _text, json) {
          const f = json as ClientFrame | undefined;
          if (f?.event !== 'pusher_internal:subscription_succeeded' || typeof f.channel !== 'string') return undefined;
          const user = pending.get(conn)?.get(f.channel);
          if (user === undefined) return undefined;
          const m = members.get(f.channel) ?? new Map<ProxyConn, string>();
          members.set(f.channel, m.set(conn, user));
          return undefined;
        },
        onClose(conn) {
          for (const [channel, m] of members) if (m.has(conn)) leave(conn, channel);
        },
      },
    };
  },
});

export const unsignedHttpApi: Mutant = proxyMutant({
  name: 'unsigned-http-api',
  breaks: 'pusher/http-auth/3',
  selectors: ['pusher/http-auth/3'],
  describe: 'Ignores the HTTP API signature: every /apps/* request is accepted (re-signed with the right secret on the way in)',
  hooks: (hub) => ({
    http: {
      request(req) {
        const u = new URL(req.url, 'http://hub');
        if (!u.pathname.startsWith('/apps/')) return;
        const params: Record<string, string> = {};
        for (const [k, v] of u.searchParams) if (!AUTH_PARAMS.has(k)) params[k] = v;
        const signed = signHttpRequest(hub.app, { method: req.method, path: u.pathname, params, body: req.body.toString('utf8') });
        req.url = `${u.pathname}?${new URLSearchParams(signed).toString()}`;
      },
    },
  }),
});
