/**
 * Cluster mutants of the cluster-wide state as real clustered hubs get it wrong: a dead node's members
 * removed later than the hub's own announcement allows, and an HTTP API that answers channel queries
 * from one node's connections (laravel/reverb#273: `GET …/users` answers 404 on a node that holds none
 * of the channel's connections).
 */
import { PusherEvent } from '../../spec/protocol/frames.ts';
import type { TargetFile } from '../../spec/target.ts';
import type { HttpReply, ProxyConn } from '../kit/mutating-proxy.ts';
import { clusterMutant, relayCluster, startWrapped, type ClusterMutant } from './cluster-mutant.ts';
import type { RunningMutant } from './types.ts';

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

/** What the announcing cluster tells its clients: a scaled-down 30 s (the hub's own timer is 2 s). */
export const ANNOUNCED_ACTIVITY_TIMEOUT_S = 4;
/** The pong timeout its target states, as a vendor of a hub without GET /api/hub would. */
export const STATED_PONG_TIMEOUT_MS = 1_000;

/**
 * Relays that make the embedded cluster look like Soketi or Reverb to the dead-node case: a Pusher-only
 * target (GET /api/hub answers 404, so the hub states no dead-node bound), every connection told
 * `activity_timeout` ANNOUNCED_ACTIVITY_TIMEOUT_S, the pong timeout stated in the target; and every
 * `member_removed` held back `lateMs` (0: none, a hub that keeps its announced bound).
 */
export function wrapAnnouncing(name: string, lateMs: number): (upstream: TargetFile) => Promise<RunningMutant> {
  return async (upstream) => {
    const relayed = await relayCluster(upstream, name, ({ app }) =>
      app === 'neighbour'
        ? {}
        : {
            ws: {
              fromHub(conn, text, json) {
                const f = json as WireFrame | undefined;
                if (f?.event === PusherEvent.CONNECTION_ESTABLISHED) {
                  const data = { ...parse(f.data), activity_timeout: ANNOUNCED_ACTIVITY_TIMEOUT_S };
                  return JSON.stringify({ ...f, data: JSON.stringify(data) });
                }
                if (lateMs <= 0 || f?.event !== PusherEvent.MEMBER_REMOVED) return undefined;
                conn.toClient(text, lateMs);
                return null;
              },
            },
            http: {
              response(req, res) {
                if (!/^\/api\/hub(\?|$)/.test(req.url)) return;
                res.status = 404;
                res.headers = { 'content-type': 'text/plain' };
                res.body = Buffer.from('Not Found');
              },
            },
          },
    );
    const target: TargetFile = {
      ...relayed.target,
      profiles: ['pusher'],
      timings: { ...relayed.target.timings, pong_timeout_ms: STATED_PONG_TIMEOUT_MS },
    };
    return { ...relayed, target };
  };
}

const lateWrap = wrapAnnouncing('mutant late-dead-node-removal', 5_000);

export const lateDeadNodeRemoval: ClusterMutant = {
  name: 'late-dead-node-removal',
  breaks: 'pusher/cluster/9',
  selectors: ['pusher/cluster/9'],
  describe: `Announces activity_timeout ${ANNOUNCED_ACTIVITY_TIMEOUT_S} s, states no dead-node bound (no GET /api/hub) and sends member_removed 5 s late, so a killed node’s users leave after the ${ANNOUNCED_ACTIVITY_TIMEOUT_S} s + ${STATED_PONG_TIMEOUT_MS / 1000} s pong timeout its announcement allows`,
  // Held to the bound its announcement gives, and the failure says where that bound came from.
  judge: (report) => {
    const row = report.results.find((r) => r.requirement === 'pusher/cluster/9' && r.outcome === 'fail');
    const bound = ANNOUNCED_ACTIVITY_TIMEOUT_S * 1000 + STATED_PONG_TIMEOUT_MS;
    return row?.expected?.startsWith(`≤ ${bound} ms`) &&
      row.reason?.includes(`activity_timeout ${ANNOUNCED_ACTIVITY_TIMEOUT_S} s announced`)
      ? []
      : [
          `pusher/cluster/9 is not failed against the announced bound ${bound} ms: ${row?.reason ?? 'no failure'} | expected ${row?.expected}`,
        ];
  },
  wrap: lateWrap,
  start: () => startWrapped(lateWrap),
};

/** Per node: channel → its connections there and their user ids (undefined on a non-presence channel). */
type Held = Map<string, Map<ProxyConn, string | undefined>>;

function answer(res: HttpReply, status: number, body: unknown): void {
  res.status = status;
  res.headers = { 'content-type': 'application/json' };
  res.body = Buffer.from(JSON.stringify(body));
}

export const nodeLocalChannelQueries: ClusterMutant = clusterMutant({
  name: 'node-local-channel-queries',
  breaks: 'pusher/cluster/6',
  selectors: ['pusher/cluster/6'],
  describe:
    'Answers GET channels, channels/{name} and channels/{name}/users from the connections of the node asked, and 404 for the users of a channel it holds none of',
  // One failure that names both nodes, the node that holds none of a channel's connections among them.
  judge: (report) => {
    const row = report.results.find((r) => r.requirement === 'pusher/cluster/6' && r.outcome === 'fail');
    const says = ['through node 1', 'through node 2', 'which holds none of its connections) answered 404'];
    const missing = says.filter((x) => !row?.reason?.includes(x));
    return missing.length ? [`the pusher/cluster/6 failure does not say ${missing.join(', ')}: ${row?.reason ?? 'no failure'}`] : [];
  },
  hooks: () => {
    const held = new Map<number, Held>();
    const pending = new WeakMap<ProxyConn, Map<string, string>>();
    const on = (node: number): Held => held.get(node) ?? (held.set(node, new Map()), held.get(node)!);
    const leave = (node: number, conn: ProxyConn, channel?: string) => {
      for (const [name, conns] of on(node)) if (channel === undefined || name === channel) conns.delete(conn);
    };
    return ({ app, node }) =>
      app === 'neighbour'
        ? {}
        : {
            ws: {
              fromClient(conn, _text, json) {
                const f = json as WireFrame | undefined;
                const d = parse(f?.data);
                if (f?.event === PusherEvent.UNSUBSCRIBE && typeof d?.channel === 'string') leave(node, conn, d.channel);
                if (f?.event !== PusherEvent.SUBSCRIBE || typeof d?.channel !== 'string') return undefined;
                const user = typeof d.channel_data === 'string' ? parse(d.channel_data)?.user_id : undefined;
                if (user !== undefined) pending.set(conn, (pending.get(conn) ?? new Map<string, string>()).set(d.channel, String(user)));
                return undefined;
              },
              fromHub(conn, _text, json) {
                const f = json as WireFrame | undefined;
                if (f?.event !== PusherEvent.SUBSCRIPTION_SUCCEEDED || typeof f.channel !== 'string') return undefined;
                const conns = on(node).get(f.channel) ?? new Map<ProxyConn, string | undefined>();
                on(node).set(f.channel, conns.set(conn, pending.get(conn)?.get(f.channel)));
                return undefined;
              },
              onClose: (conn) => leave(node, conn),
            },
            http: {
              response(req, res) {
                if (req.method !== 'GET' || res.status !== 200) return;
                const path = new URL(req.url, 'http://hub').pathname;
                const m = /^\/apps\/[^/]+\/channels(?:\/([^/]+)(\/users)?)?$/.exec(path);
                if (!m) return;
                const local = (channel: string) => [...(on(node).get(channel)?.values() ?? [])];
                const users = (channel: string) => [...new Set(local(channel).filter((u) => u !== undefined))];
                const body = parse(res.body.toString('utf8')) ?? {};
                if (m[1] === undefined) {
                  const channels = (body.channels ?? {}) as Record<string, Record<string, unknown>>;
                  const mine = Object.entries(channels).filter(([name]) => local(name).length > 0);
                  const counted = mine.map(([name, info]) => [
                    name,
                    'user_count' in info ? { ...info, user_count: users(name).length } : info,
                  ]);
                  return answer(res, 200, { ...body, channels: Object.fromEntries(counted) });
                }
                const channel = decodeURIComponent(m[1]);
                if (m[2]) {
                  if (local(channel).length === 0) return answer(res, 404, {});
                  return answer(res, 200, { users: users(channel).map((id) => ({ id })) });
                }
                const counts = {
                  ...('user_count' in body ? { user_count: users(channel).length } : {}),
                  ...('subscription_count' in body ? { subscription_count: local(channel).length } : {}),
                };
                return answer(res, 200, { ...body, occupied: local(channel).length > 0, ...counts });
              },
            },
          };
  },
});
