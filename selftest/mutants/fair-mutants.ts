/**
 * Fair mutants (types.ts FairMutant): the reference hub, one node or a 2-node cluster, behind relays that
 * write every JSON value it produces with its object keys and its sets' members in another order
 * (kit/reorder-json.ts): WebSocket frames, the double-encoded `data` of `pusher:`, `pusher_internal:` and
 * sync events, HTTP API answers (Pusher, sync, agent-presence) and the dashboard stream. A user event's
 * or client event's `data` passes as sent: it is the publisher's payload. Webhooks go from the hub to the
 * harness directly, not through the relay, and are not reordered.
 */
import type { HttpHooks, WsHooks } from '../kit/mutating-proxy.ts';
import { reorderer } from '../kit/reorder-json.ts';
import { relayCluster, startWrapped } from './cluster-mutant.ts';
import { startProxied } from './proxy-mutant.ts';
import type { FairMutant, RunningMutant } from './types.ts';
import type { TargetFile } from '../../spec/target.ts';

/** The seed of the permutations; fixed so a false failure replays. */
export const REORDER_SEED = 7;

/** Hooks that reorder everything the hub produces, one seeded sequence of permutations per relay. */
export function reorderHooks(seed = REORDER_SEED): { ws: WsHooks; http: HttpHooks } {
  const r = reorderer(seed);
  return {
    ws: { fromHub: (_conn, text) => r.frame(text) },
    http: {
      response(_req, res) {
        if (res.headers['content-encoding'] || !/json/i.test(String(res.headers['content-type'] ?? ''))) return;
        res.body = Buffer.from(r.text(res.body.toString('utf8')));
      },
    },
  };
}

const DESCRIBE =
  'Writes every JSON object it produces with its keys in another order and every set (presence ids, users, todos, participants, agents, profiles) in another order; nothing else changes';

export const reorderingHub: FairMutant = {
  name: 'reordering-hub',
  describe: DESCRIBE,
  selectors: ['pusher', 'sync', 'agent-presence'],
  // Webhooks on, so the webhook cases run too (their POSTs go from the hub to the harness, not through the relay).
  start: () => startProxied('reordering-hub', () => reorderHooks(), { webhooks: true }),
};

/** Relays in front of a running cluster: every node's (the neighbour app's too), each with a seed of its own. */
const wrapReordering = (upstream: TargetFile): Promise<RunningMutant> =>
  relayCluster(upstream, 'fair mutant reordering-cluster', (place) =>
    reorderHooks(REORDER_SEED + (place.app === 'own' ? 0 : 100) + place.node),
  );

/** The same on the 2-node cluster; `wrap` puts it in front of a cluster already running (the cluster tests share one). */
export const reorderingCluster: FairMutant & { wrap(upstream: TargetFile): Promise<RunningMutant> } = {
  name: 'reordering-cluster',
  describe: DESCRIBE,
  // Not pusher/cluster/1: it judges a p99 latency bound, and its events carry a publisher's data, passed as sent;
  // what the relay changes there is only its own cost.
  selectors: [...[2, 3, 4, 5, 6, 7, 8, 9].map((n) => `pusher/cluster/${n}`), 'sync/cluster'],
  wrap: wrapReordering,
  start: () => startWrapped(wrapReordering),
};

export const FAIR_MUTANTS: readonly FairMutant[] = [reorderingHub, reorderingCluster];
