/**
 * The pusher profile on a cluster node. Every node keeps the whole hub's registries: its own
 * connections plus a stand-in (PusherConnection.remote) for each connection another node holds. A
 * subscribe, unsubscribe, disconnect or client event is a command in the shared log; applying it runs
 * the single-node code on those registries, so counts, presence transitions (one member_added per
 * user's first connection anywhere) and webhooks come out the same on every node, and only this node's
 * sockets are written to. The subscriber's own node sends the ack when it applies the subscribe, so
 * the ack's presence snapshot and everything delivered after it follow the log's order.
 *
 * Commands: `sub` {s: socket id, ch, m?: {u, i?}, q?: quiet}, `unsub` {s, ch}, `close` {s},
 * `ce` {s, ch, e, d, u?} (client event).
 */
import type { ClusterContext } from '../context.ts';
import type { PusherConnection } from './connection.ts';
import { PusherConnection as Conn } from './connection.ts';
import { relayClientEvent } from './client-events.ts';
import type { PusherHub } from './hub-state.ts';
import { applySubscribe, dropConnection, releaseConnection, removeSubscription, type PresenceMember } from './subscribe.ts';

export interface PusherCluster {
  subscribe(conn: PusherConnection, channel: string, member: PresenceMember | undefined): void;
  unsubscribe(conn: PusherConnection, channel: string): void;
  drop(conn: PusherConnection): void;
  clientEvent(conn: PusherConnection, channel: string, event: string, data: string, userId: string | undefined): void;
  /** Other nodes' connections as this node holds them, keyed `node/socketId`. */
  readonly remote: Map<string, PusherConnection>;
}

interface WireMember {
  u: string;
  /** Present when the member had user_info (`{v: value}` keeps a JSON null apart from none). */
  i?: { v: unknown };
}

const toWire = (m: PresenceMember | undefined): WireMember | undefined =>
  m === undefined ? undefined : m.info === undefined ? { u: m.userId } : { u: m.userId, i: { v: m.info.value } };
const fromWire = (m: WireMember | undefined): PresenceMember | undefined =>
  m === undefined ? undefined : { userId: m.u, info: m.i === undefined ? undefined : { value: m.i.v } };

// implements: pusher/cluster/2, pusher/cluster/3, pusher/cluster/5 — every node applies every subscribe, close and client event from the log
export function replicatePusher(hub: PusherHub, cluster: ClusterContext): PusherCluster {
  const remote = new Map<string, PusherConnection>();
  const key = (node: string, socketId: string) => `${node}/${socketId}`;

  /** The connection a command names: ours, or the stand-in for another node's (created on its first subscribe). */
  const connOf = (node: string, socketId: string, create: boolean): PusherConnection | undefined => {
    if (node === cluster.nodeId) return hub.connections.get(socketId);
    let conn = remote.get(key(node, socketId));
    if (conn === undefined && create) remote.set(key(node, socketId), (conn = Conn.remote(socketId)));
    return conn;
  };

  const submit = (command: { t: string; [k: string]: unknown }) =>
    void cluster.submit(command, { queue: true }).catch((err: Error) => hub.ctx.log(`cluster: ${command.t} not applied: ${err.message}`));

  cluster.on('sub', (c) => {
    if (!cluster.isLive(c.o)) return;
    const conn = connOf(c.o, String(c.s), true);
    if (conn !== undefined) applySubscribe(hub, conn, String(c.ch), fromWire(c.m as WireMember | undefined), c.q === true);
  });

  cluster.on('unsub', (c) => {
    const conn = connOf(c.o, String(c.s), false);
    if (conn !== undefined && conn.channels.has(String(c.ch))) removeSubscription(hub, conn, String(c.ch));
  });

  cluster.on('close', (c) => {
    const socketId = String(c.s);
    if (c.o === cluster.nodeId) {
      const conn = hub.connections.get(socketId);
      if (conn !== undefined) dropConnection(hub, conn);
      return;
    }
    const conn = remote.get(key(c.o, socketId));
    if (conn === undefined) return;
    remote.delete(key(c.o, socketId));
    releaseConnection(hub, conn);
  });

  cluster.on('ce', (c) => {
    const conn = connOf(c.o, String(c.s), false);
    relayClientEvent(hub, conn, String(c.ch), String(c.e), String(c.d), c.u === undefined ? undefined : String(c.u));
  });

  cluster.onNodeDead((node) => {
    if (node !== cluster.nodeId) {
      const prefix = `${node}/`;
      for (const [k, conn] of remote) {
        if (!k.startsWith(prefix)) continue;
        remote.delete(k);
        releaseConnection(hub, conn);
      }
      return;
    }
    // Our own goodbye (shutdown): nothing to do. Otherwise this node was declared dead while alive: the
    // cluster removed our members; put them back, quietly (our clients never left), after the `hello`
    // the node has already queued.
    if (cluster.isOrigin()) return;
    for (const conn of hub.connections.values()) {
      const wanted = [...conn.channels].map(([channel, userId]) => ({ channel, userId, info: conn.memberInfo.get(channel) }));
      for (const { channel } of wanted) removeSubscription(hub, conn, channel);
      for (const w of wanted) {
        const member = w.userId === undefined ? undefined : { userId: w.userId, info: w.info };
        submit({ t: 'sub', s: conn.socketId, ch: w.channel, m: toWire(member), q: true });
      }
    }
  });

  // Snapshot: every subscription, channel by channel in registry order (so a node restoring it
  // rebuilds the same registries), the cache and the webhooks not yet sent.
  cluster.snapshotPart('pusher', {
    save: () => {
      const byConn = new Map<PusherConnection, string>();
      for (const conn of hub.connections.values()) byConn.set(conn, key(cluster.nodeId, conn.socketId));
      for (const [k, conn] of remote) byConn.set(conn, k);
      const subs: Array<[string, string, WireMember | undefined]> = [];
      for (const [channel, conn] of hub.channels.entries()) {
        const k = byConn.get(conn);
        const userId = conn.channels.get(channel);
        if (k !== undefined)
          subs.push([k, channel, toWire(userId === undefined ? undefined : { userId, info: conn.memberInfo.get(channel) })]);
      }
      return { subs, cache: hub.cache.dump(), webhooks: hub.webhooks.pending() };
    },
    load: (data) => {
      const snap = data as {
        subs: Array<[string, string, WireMember | undefined]>;
        cache: Array<[string, string, number]>;
        webhooks: ReturnType<typeof hub.webhooks.pending>;
      };
      for (const [k, channel, member] of snap.subs) {
        const slash = k.indexOf('/');
        const conn = connOf(k.slice(0, slash), k.slice(slash + 1), true);
        if (conn !== undefined) applySubscribe(hub, conn, channel, fromWire(member), true);
      }
      hub.cache.load(snap.cache);
      hub.webhooks.load(snap.webhooks);
    },
  });

  return {
    remote,
    subscribe: (conn, channel, member) => submit({ t: 'sub', s: conn.socketId, ch: channel, m: toWire(member) }),
    unsubscribe: (conn, channel) => submit({ t: 'unsub', s: conn.socketId, ch: channel }),
    drop: (conn) => submit({ t: 'close', s: conn.socketId }),
    clientEvent: (conn, channel, event, data, userId) => {
      cluster.submit({ t: 'ce', s: conn.socketId, ch: channel, e: event, d: data, u: userId }).catch(() => {
        // Redis is away: still relay to this node's own subscribers (fire-and-forget, as client events are).
        relayClientEvent(hub, conn, channel, event, data, userId);
      });
    },
  };
}
