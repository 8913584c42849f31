/**
 * Mutants that break what only shows between the nodes of a cluster (cluster-mutant.ts relays every
 * node and shares what each relay saw): presence local to a node, client events relayed twice to other
 * nodes, `socket_id` exclusion forgotten when the excluded connection is on another node, and two apps
 * on one Redis hearing each other (a hub that ignores its key prefix). On one node each is a correct hub.
 */
import { signHttpRequest } from '../../spec/protocol/signing.ts';
import type { ProxyConn } from '../kit/mutating-proxy.ts';
import { clusterMutant, type ClusterMutant } from './cluster-mutant.ts';
import { lateDeadNodeRemoval, nodeLocalChannelQueries } from './cluster-state-mutants.ts';
import { vacatedTwiceNowAndThen } from './cluster-webhook-mutants.ts';

interface WireFrame {
  event?: unknown;
  channel?: unknown;
  data?: unknown;
}

const parse = (s: unknown): Record<string, unknown> | undefined => {
  if (s !== null && typeof s === 'object') return s as Record<string, unknown>;
  if (typeof s !== 'string') return undefined;
  try {
    const v = JSON.parse(s) as unknown;
    return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

/** A channel event a subscriber sees (not a `pusher:` or `pusher_internal:` frame). */
const isChannelEvent = (f: WireFrame | undefined): f is WireFrame & { event: string; channel: string } =>
  typeof f?.event === 'string' && typeof f.channel === 'string' && !f.event.startsWith('pusher');

export const nodeLocalPresence: ClusterMutant = clusterMutant({
  name: 'node-local-presence',
  breaks: 'pusher/cluster/2',
  selectors: ['pusher/cluster/2'],
  describe:
    'Lists only the presence members connected to the same node: subscription_succeeded and member events leave out the other nodes’ users',
  hooks: () => {
    /** node → channel → connection → user_id, for presence subscriptions the hub confirmed on that node. */
    const local = new Map<number, Map<string, Map<ProxyConn, string>>>();
    const pending = new WeakMap<ProxyConn, Map<string, string>>();
    const usersOn = (node: number, channel: string) => new Set(local.get(node)?.get(channel)?.values());
    return ({ app, node }) =>
      app === 'neighbour'
        ? {}
        : {
            ws: {
              fromClient(conn, _text, json) {
                const f = json as WireFrame | undefined;
                const d = parse(f?.data);
                if (f?.event !== 'pusher:subscribe' || typeof d?.channel !== 'string' || typeof d.channel_data !== 'string')
                  return undefined;
                const user = parse(d.channel_data)?.user_id;
                if (user !== undefined) pending.set(conn, (pending.get(conn) ?? new Map<string, string>()).set(d.channel, String(user)));
                return undefined;
              },
              fromHub(conn, _text, json) {
                const f = json as WireFrame | undefined;
                if (typeof f?.channel !== 'string' || !f.channel.startsWith('presence-')) return undefined;
                const channel = f.channel;
                if (f.event === 'pusher_internal:subscription_succeeded') {
                  const user = pending.get(conn)?.get(channel);
                  if (user === undefined) return undefined;
                  const byChannel = local.get(node) ?? new Map<string, Map<ProxyConn, string>>();
                  local.set(node, byChannel.set(channel, (byChannel.get(channel) ?? new Map<ProxyConn, string>()).set(conn, user)));
                  const presence = parse(f.data)?.presence as { hash?: Record<string, unknown> } | undefined;
                  const ids = [...usersOn(node, channel)];
                  const hash = Object.fromEntries(ids.map((id) => [id, presence?.hash?.[id] ?? null]));
                  return JSON.stringify({ event: f.event, channel, data: JSON.stringify({ presence: { ids, hash, count: ids.length } }) });
                }
                if (f.event === 'pusher_internal:member_added' || f.event === 'pusher_internal:member_removed') {
                  const user = parse(f.data)?.user_id;
                  return usersOn(node, channel).has(String(user)) ? undefined : null;
                }
                return undefined;
              },
              onClose(conn) {
                for (const m of local.get(node)?.values() ?? []) m.delete(conn);
              },
            },
          };
  },
});

export const clientEventsTwiceAcrossNodes: ClusterMutant = clusterMutant({
  name: 'client-events-twice-across-nodes',
  breaks: 'pusher/cluster/5',
  selectors: ['pusher/cluster/5'],
  describe:
    'Delivers a client event twice to each subscriber on a node other than the sender’s (relayed once per node and once per connection)',
  hooks: () => {
    /** `channel event` → the node of the connection that last sent it. */
    const sentFrom = new Map<string, number>();
    return ({ app, node }) =>
      app === 'neighbour'
        ? {}
        : {
            ws: {
              fromClient(_conn, _text, json) {
                const f = json as WireFrame | undefined;
                if (typeof f?.event === 'string' && f.event.startsWith('client-') && typeof f.channel === 'string')
                  sentFrom.set(`${f.channel} ${f.event}`, node);
                return undefined;
              },
              fromHub(conn, text, json) {
                const f = json as WireFrame | undefined;
                if (typeof f?.event !== 'string' || !f.event.startsWith('client-') || typeof f.channel !== 'string') return undefined;
                const from = sentFrom.get(`${f.channel} ${f.event}`);
                if (from !== undefined && from !== node) conn.toClient(text);
                return undefined;
              },
            },
          };
  },
});

export const socketIdExclusionLocal: ClusterMutant = clusterMutant({
  name: 'socket-id-exclusion-local',
  breaks: 'pusher/cluster/4',
  selectors: ['pusher/cluster/4'],
  describe: 'Honours a publish’s socket_id only when the excluded connection is on the node that took the publish',
  hooks: (upstream) => {
    /** socket_id → node of its connection. */
    const nodeOf = new Map<string, number>();
    return ({ app, node }) =>
      app === 'neighbour'
        ? {}
        : {
            ws: {
              fromHub(conn, _text, json) {
                if ((json as WireFrame | undefined)?.event === 'pusher:connection_established' && conn.socketId)
                  nodeOf.set(conn.socketId, node);
                return undefined;
              },
            },
            http: {
              request(req) {
                const u = new URL(req.url, 'http://hub');
                if (req.method !== 'POST' || !/^\/apps\/[^/]+\/events$/.test(u.pathname)) return;
                const body = parse(req.body.toString('utf8'));
                const held = typeof body?.socket_id === 'string' ? nodeOf.get(body.socket_id) : undefined;
                if (held === undefined || held === node) return;
                const { socket_id: _forgotten, ...rest } = body!;
                const text = JSON.stringify(rest);
                req.body = Buffer.from(text);
                // The hub behind checks body_md5: sign the request again, as the node that dropped the field would have accepted it.
                const signed = signHttpRequest(upstream.app, { method: req.method, path: u.pathname, body: text });
                req.url = `${u.pathname}?${new URLSearchParams(signed).toString()}`;
              },
            },
          };
  },
});

export const prefixIgnored: ClusterMutant = clusterMutant({
  name: 'prefix-ignored',
  breaks: 'pusher/cluster/8',
  selectors: ['pusher/cluster/8'],
  describe:
    'Ignores the key prefix on a shared Redis: channel events and member events of one app reach the other app’s subscribers of the same channel name',
  hooks: () => {
    /** app → channel → its confirmed subscribers (on any node). */
    const subscribers = { own: new Map<string, Set<ProxyConn>>(), neighbour: new Map<string, Set<ProxyConn>>() };
    /** Frames already copied to a connection: one copy each, however many of the sender app's connections see it. */
    const copied = new WeakMap<ProxyConn, Set<string>>();
    return ({ app }) => {
      const other = app === 'own' ? subscribers.neighbour : subscribers.own;
      const mine = subscribers[app];
      return {
        ws: {
          fromHub(conn, text, json) {
            const f = json as WireFrame | undefined;
            if (typeof f?.channel !== 'string' || typeof f.event !== 'string') return undefined;
            if (f.event === 'pusher_internal:subscription_succeeded')
              mine.set(f.channel, (mine.get(f.channel) ?? new Set<ProxyConn>()).add(conn));
            const crossTalk =
              isChannelEvent(f) || f.event === 'pusher_internal:member_added' || f.event === 'pusher_internal:member_removed';
            if (!crossTalk) return undefined;
            for (const them of other.get(f.channel) ?? []) {
              const seen = copied.get(them) ?? new Set<string>();
              copied.set(them, seen);
              if (seen.has(text)) continue;
              seen.add(text);
              them.toClient(text);
            }
            return undefined;
          },
          onClose(conn) {
            for (const set of mine.values()) set.delete(conn);
          },
        },
      };
    };
  },
});

export const CLUSTER_MUTANTS: readonly ClusterMutant[] = [
  nodeLocalPresence,
  clientEventsTwiceAcrossNodes,
  socketIdExclusionLocal,
  nodeLocalChannelQueries,
  vacatedTwiceNowAndThen,
  prefixIgnored,
  lateDeadNodeRemoval,
];
