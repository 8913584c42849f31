/**
 * Sharding one load test over N generators (`hubproof load --shard I/N`): connection k of the test's
 * connection list and send i of its schedule belong to shard k mod N and i mod N; an agents session k to
 * shard k mod N. Every shard runs the whole schedule's clock and numbering and issues only its own sends,
 * so the N shards together send, hold and expect exactly what one machine would, and their reports add up.
 * The split and the meeting are shared with the k6 scripts (load/shard-meeting.ts, `-e SHARD=I/N`).
 */
import { createHash } from 'node:crypto';
import { HubproofError } from '../../spec/errors.ts';
import type { Scenario } from '../scenarios/types.ts';
import { parseShardSpec, shardKeyText, type Shard } from '../shard-meeting.ts';

export { owns, type Shard } from '../shard-meeting.ts';

/** `I/N`, 0 ≤ I < N (the index a Kubernetes Indexed Job gives each pod). */
export function parseShard(spec: string): Shard {
  const shard = parseShardSpec(spec);
  if (!shard) throw new HubproofError('HUBPROOF_ERR_USAGE', `--shard expects I/N with 0 ≤ I < N (e.g. 0/4 … 3/4), got "${spec}"`);
  return shard;
}

/** The name shards of one run meet under: same test (scenario as run, target), same shard count, same run id. */
export function shardKey(s: Scenario, targetName: string, shard: Shard, runId = ''): string {
  return createHash('sha1')
    .update(shardKeyText(s, targetName, shard.count, runId))
    .digest('hex')
    .slice(0, 12);
}
