/**
 * Broken hubs: hubs that break a guarantee on purpose, so a check can be shown failing. Two ways to build
 * one: a relay in front of a correct hub whose hooks rewrite, drop or reorder what passes (`relayInFront`,
 * used by the mutants), or a small hub written by hand (hand-written-hub.ts). Either way the harness sees
 * an ordinary target.
 */
import type { TargetFile } from '../../spec/target.ts';
import { startMutatingProxy, type MutatingProxyOptions } from './mutating-proxy.ts';

export interface BrokenHub {
  /** A complete target file pointing at the broken hub (`restart.command` included when the hub behind has one). */
  target: TargetFile;
  close(): Promise<void>;
}

/**
 * The mutating relay in front of `upstream`; without hooks a faithful relay (the control). The target is
 * upstream's with the relay's URLs, without `process`: that pid is not the relay's.
 */
export async function relayInFront(
  upstream: TargetFile,
  name: string,
  hooks: Pick<MutatingProxyOptions, 'ws' | 'http' | 'keepAlive'> = {},
): Promise<BrokenHub> {
  const proxy = await startMutatingProxy({ upstream: upstream.nodes[0]!.http, ...hooks });
  const { process: _notTheRelay, ...rest } = upstream;
  return {
    target: { ...rest, name, nodes: [{ ws: proxy.wsUrl, http: proxy.httpUrl }] },
    close: () => proxy.close(),
  };
}
