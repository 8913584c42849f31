/** A case context on a minimal pusher target, for tests of the harness's clients against a stand-in server. */
import { createCaseContext, effectiveTimings } from '../../../conformance/context.ts';
import type { TargetFile } from '../../../spec/target.ts';

export function standInContext(node: { ws?: string; http?: string }, requirement: string) {
  const target: TargetFile = {
    name: 't',
    profiles: ['pusher'],
    nodes: [{ ws: node.ws ?? 'ws://127.0.0.1:1', http: node.http ?? 'http://127.0.0.1:1' }],
    app: { id: '1', key: 'k', secret: 's' },
    agents: [],
  };
  return createCaseContext({
    target,
    requirements: [requirement],
    hub: undefined,
    timings: effectiveTimings(target, undefined),
    fc: { seed: 1, numRuns: 1 },
    signal: new AbortController().signal,
  });
}
