/**
 * Mutants that break what subscribers see on the wire: order, reach, timing, stale reports and the
 * dashboard stream. The hub behind them stays correct; only the relay misbehaves.
 */
import type { ProxyConn } from '../kit/mutating-proxy.ts';
import { editHistory, isEvent, proxyMutant, syncFrame } from './proxy-mutant.ts';
import type { Mutant } from './types.ts';

/** How long a held-back event waits for its successor before it is sent anyway. */
const SWAP_FLUSH_MS = 300;

/** Per-connection, per-channel counter of relayed sync events. */
function channelCounter(): (conn: ProxyConn, channel: string) => number {
  const counts = new WeakMap<ProxyConn, Map<string, number>>();
  return (conn, channel) => {
    const m = counts.get(conn) ?? new Map<string, number>();
    counts.set(conn, m);
    const n = (m.get(channel) ?? 0) + 1;
    m.set(channel, n);
    return n;
  };
}

export const swapEvents: Mutant = proxyMutant({
  name: 'swap-events',
  breaks: 'sync/ordering/1',
  selectors: ['sync/ordering/1'],
  describe: 'Delivers the 2nd and 3rd event of each sync channel to each subscriber in swapped order',
  hooks: () => {
    const count = channelCounter();
    const held = new WeakMap<ProxyConn, Map<string, string>>();
    return {
      ws: {
        fromHub(conn, text, json) {
          const f = syncFrame(json);
          if (!f) return undefined;
          const n = count(conn, f.channel);
          const mine = held.get(conn) ?? new Map<string, string>();
          held.set(conn, mine);
          if (n === 2) {
            mine.set(f.channel, text);
            setTimeout(() => {
              const h = mine.get(f.channel);
              if (h === text) (mine.delete(f.channel), conn.toClient(h));
            }, SWAP_FLUSH_MS).unref();
            return null;
          }
          const h = n === 3 ? mine.get(f.channel) : undefined;
          if (h === undefined) return undefined;
          mine.delete(f.channel);
          conn.toClient(text);
          conn.toClient(h);
          return null;
        },
      },
    };
  },
});

export const dropOneDelivery: Mutant = proxyMutant({
  name: 'drop-one-delivery',
  breaks: 'sync/delivery/5',
  selectors: ['sync/delivery/5'],
  describe: 'Never delivers the 2nd event of a sync channel to one subscriber (history keeps it)',
  hooks: () => {
    const count = channelCounter();
    const dropped = new Set<string>();
    const held = new WeakMap<ProxyConn, Map<string, string>>();
    return {
      ws: {
        fromHub(conn, text, json) {
          const f = syncFrame(json);
          if (!f || dropped.has(f.channel)) return undefined;
          const n = count(conn, f.channel);
          const mine = held.get(conn) ?? new Map<string, string>();
          held.set(conn, mine);
          // Dropped only once a later event exists: a lost *last* event would make the case wait out its
          // quiesce deadline on every shrink step, and the run would be slow for no extra proof.
          if (n === 2) {
            mine.set(f.channel, text);
            setTimeout(() => {
              if (mine.get(f.channel) === text) (mine.delete(f.channel), conn.toClient(text));
            }, SWAP_FLUSH_MS).unref();
            return null;
          }
          if (n === 3 && mine.delete(f.channel)) dropped.add(f.channel);
          return undefined;
        },
      },
    };
  },
});

/** How long the newest event of a channel is held for a successor before it counts as the last one. */
const LAST_IDLE_MS = 500;

export const dropLastDelivery: Mutant = proxyMutant({
  name: 'drop-last-delivery',
  breaks: 'sync/delivery/5',
  selectors: ['sync/delivery/5'],
  describe:
    'Never delivers the last event of a sync channel (no successor within 500 ms) to one subscriber; history keeps it, and no seq gap ever shows',
  hooks: () => {
    const dropped = new Set<string>();
    const held = new WeakMap<ProxyConn, Map<string, string>>();
    return {
      ws: {
        fromHub(conn, text, json) {
          const f = syncFrame(json);
          if (!f || dropped.has(f.channel)) return undefined;
          const mine = held.get(conn) ?? new Map<string, string>();
          held.set(conn, mine);
          // The held event has a successor: it was not the last, send it (in order) and hold this one.
          const prev = mine.get(f.channel);
          if (prev !== undefined) conn.toClient(prev);
          mine.set(f.channel, text);
          setTimeout(() => {
            if (mine.get(f.channel) !== text) return;
            mine.delete(f.channel);
            // The first subscriber to go idle on the channel loses its last event; the others get it late.
            if (dropped.has(f.channel)) conn.toClient(text);
            else dropped.add(f.channel);
          }, LAST_IDLE_MS).unref();
          return null;
        },
      },
    };
  },
});

export const slowHub: Mutant = proxyMutant({
  name: 'slow-hub',
  breaks: 'sync/propagation/1',
  selectors: ['sync/propagation/1'],
  describe: 'Adds 80 ms to every frame the hub sends',
  hooks: () => ({
    ws: {
      fromHub(conn, text) {
        conn.toClient(text, 80);
        return null;
      },
    },
  }),
});

export const lateConflictResolution: Mutant = proxyMutant({
  name: 'late-conflict-resolution',
  breaks: 'sync/conflicts/5',
  selectors: ['sync/conflicts/5'],
  describe: 'Resolves duplicate-todo conflicts 400 ms late (holds AgentConflictResolved, and what follows it, for 400 ms)',
  hooks: () => ({
    ws: {
      fromHub(conn, text, json) {
        const f = syncFrame(json);
        if (!f || !isEvent(f, 'AgentConflictResolved')) return undefined;
        conn.toClient(text, 400);
        return null;
      },
    },
  }),
});

const isStaleLeave = (event: string, data: Record<string, unknown>) => event.endsWith('\\AgentParticipantLeft') && data.reason === 'stale';

export const hideStaleParticipants: Mutant = proxyMutant({
  name: 'hide-stale-participants',
  breaks: 'sync/heartbeat/2',
  selectors: ['sync/heartbeat/2'],
  describe: 'Never reports a stale participant: AgentParticipantLeft {reason:"stale"} is dropped from the stream and from history',
  hooks: () => ({
    ws: {
      fromHub(_conn, _text, json) {
        const f = syncFrame(json);
        return f && isStaleLeave(f.event, f.data) ? null : undefined;
      },
    },
    http: { response: editHistory((page) => (page.events = page.events.filter((e) => !isStaleLeave(e.event, e.data)))) },
  }),
});

export const dropPresenceUpdates: Mutant = proxyMutant({
  name: 'drop-presence-updates',
  breaks: 'agent-presence/stream/4',
  selectors: ['agent-presence/stream/4'],
  describe: 'Sends each dashboard only every other presence_update',
  hooks: () => {
    const seen = new WeakMap<ProxyConn, number>();
    return {
      ws: {
        fromHub(conn, _text, json) {
          if ((json as { type?: unknown } | undefined)?.type !== 'presence_update') return undefined;
          const n = (seen.get(conn) ?? 0) + 1;
          seen.set(conn, n);
          return n % 2 === 0 ? null : undefined;
        },
      },
    };
  },
});
