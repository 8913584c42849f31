/**
 * Sharding one load test over N generators (`hubproof load --shard I/N`): connection k of the test's
 * connection list and send i of its schedule belong to shard k mod N and i mod N; an agents session k to
 * shard k mod N. Every shard runs the whole schedule's clock and numbering and issues only its own sends,
 * so the N shards together send, hold and expect exactly what one machine would, and their reports add up.
 */
import { createHash } from 'node:crypto';
import { HubproofError } from '../../spec/errors.ts';
import type { Scenario } from '../scenarios/types.ts';

export interface Shard {
  index: number;
  count: number;
}

/** `I/N`, 0 ≤ I < N (the index a Kubernetes Indexed Job gives each pod). */
export function parseShard(spec: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(spec.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index >= count)
    throw new HubproofError('HUBPROOF_ERR_USAGE', `--shard expects I/N with 0 ≤ I < N (e.g. 0/4 … 3/4), got "${spec}"`);
  return { index, count };
}

export const owns = (shard: Shard | undefined, k: number): boolean => !shard || k % shard.count === shard.index;

/** The name shards of one run meet under: same test (scenario as run, target), same shard count, same run id. */
export function shardKey(s: Scenario, targetName: string, shard: Shard, runId = ''): string {
  const { workers: _perMachine, ...test } = s;
  return createHash('sha1')
    .update(JSON.stringify([test, targetName, shard.count, runId]))
    .digest('hex')
    .slice(0, 12);
}
