/**
 * Mutants of a clustered hub: the embedded reference hub as a 2-node cluster on one Redis (with its
 * neighbour app), a mutating relay in front of every node — the neighbour's too — and hooks that share
 * state across the relays, so a mutant can break what only shows between nodes (presence local to a
 * node, a client event relayed twice, a socket_id forgotten on the other node, apps that hear each other).
 * `wrap` puts the relays in front of a cluster already running, so a test starts one cluster for all.
 */
import { startEmbeddedTarget, type EmbeddedTarget } from '../../cli/embedded-target.ts';
import type { TargetFile } from '../../spec/target.ts';
import { startMutatingProxy, type HttpHooks, type MutatingProxy, type WsHooks } from '../kit/mutating-proxy.ts';
import type { Mutant, RunningMutant } from './types.ts';

/** Which relay a hook serves: a node of the app under test, or the neighbour app's node. */
export interface RelayPlace {
  app: 'own' | 'neighbour';
  /** Index in that app's `nodes`. */
  node: number;
}

export type RelayHooks = (place: RelayPlace) => { ws?: WsHooks; http?: HttpHooks };

export interface ClusterMutant extends Mutant {
  /** The relays in front of a running cluster (started by `startMutantCluster`); closing them leaves it running. */
  wrap(upstream: TargetFile): Promise<RunningMutant>;
}

export interface ClusterMutantSpec extends Omit<Mutant, 'start'> {
  /** Called once per wrap, so shared state (who is on which node) starts empty. */
  hooks(upstream: TargetFile): RelayHooks;
}

export function clusterMutant(spec: ClusterMutantSpec): ClusterMutant {
  const { hooks, ...rest } = spec;
  const wrap = (upstream: TargetFile) => relayCluster(upstream, `mutant ${spec.name}`, hooks(upstream));
  return { ...rest, wrap, start: () => startWrapped(wrap) };
}

/** The cluster a cluster mutant wraps: 2 in-process nodes, fast timings, webhooks to a loopback URL the target names. */
export function startMutantCluster(): Promise<EmbeddedTarget> {
  return startEmbeddedTarget({ cluster: 2, mode: 'in-process', webhooks: true });
}

/** A faithful relay in front of every node: the control the cluster mutants are compared with. */
export function wrapClusterControl(upstream: TargetFile): Promise<RunningMutant> {
  return relayCluster(upstream, 'control (no mutation, 2-node cluster)', () => ({}));
}

/** The control on a cluster of its own (`npm run mutants`). */
export function startClusterControl(): Promise<RunningMutant> {
  return startWrapped(wrapClusterControl);
}

/** A cluster of its own, closed with the mutant (`npm run mutants`, one mutant at a time). */
export async function startWrapped(wrap: (upstream: TargetFile) => Promise<RunningMutant>): Promise<RunningMutant> {
  const cluster = await startMutantCluster();
  try {
    const relayed = await wrap(cluster.target);
    return {
      target: relayed.target,
      ...(cluster.nodeControl ? { nodeControl: cluster.nodeControl } : {}),
      async close() {
        await relayed.close();
        await cluster.dispose();
      },
    };
  } catch (err) {
    await cluster.dispose();
    throw err;
  }
}

/** Relays in front of every node of `upstream` (and of its neighbour), each with the hooks `hooks` gives its place. */
export async function relayCluster(upstream: TargetFile, name: string, hooks: RelayHooks): Promise<RunningMutant> {
  const proxies: MutatingProxy[] = [];
  const relay = async (nodes: TargetFile['nodes'], app: RelayPlace['app']) => {
    const out: TargetFile['nodes'] = [];
    for (const [i, node] of nodes.entries()) {
      const proxy = await startMutatingProxy({ upstream: node.http, ...hooks({ app, node: i }) });
      proxies.push(proxy);
      out.push({ ws: proxy.wsUrl, http: proxy.httpUrl });
    }
    return out;
  };
  try {
    const nodes = await relay(upstream.nodes, 'own');
    const { process: _notTheRelay, neighbour, ...rest } = upstream;
    const target: TargetFile = { ...rest, name, nodes };
    if (neighbour) target.neighbour = { app: neighbour.app, nodes: await relay(neighbour.nodes ?? upstream.nodes, 'neighbour') };
    return { target, close: async () => void (await Promise.all(proxies.map((p) => p.close()))) };
  } catch (err) {
    await Promise.all(proxies.map((p) => p.close()));
    throw err;
  }
}
