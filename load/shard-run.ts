/**
 * What changes when a scenario runs as one shard of a test (`--shard I/N`): it waits for the other shards
 * on the hub (shard-barrier.ts) before its schedule starts, and it judges a rate threshold against its own
 * share of the schedule (the merged report judges the whole test against the full threshold).
 */
import { HubproofError } from '../spec/errors.ts';
import { shardBarrier } from './driver/shard-barrier.ts';
import { shardKey, type Shard } from './driver/shard.ts';
import { finishScenario } from './phase-figures.ts';
import type { ScenarioResult } from './report-types.ts';
import type { RunContext } from './run-context.ts';
import { evaluateThresholds } from './thresholds.ts';
import type { Scenario } from './scenarios/types.ts';
import { shardNote, shardThresholds } from './shard-meeting.ts';

/** The agreed start (wall µs) when sharded, else undefined (start now). */
export async function shardStart(ctx: RunContext, s: Scenario): Promise<number | undefined> {
  const shard = ctx.shard;
  if (!shard) return undefined;
  ctx.progress.note(`${s.name}: shard ${shard.index}/${shard.count} ready, waiting for the other shards on the hub…`);
  const startUs = await shardBarrier({
    target: ctx.target,
    shard,
    key: shardKey(s, ctx.target.name, shard, ctx.runId),
    waitS: ctx.shardWaitS ?? 120,
    onWait: (seen) => ctx.progress.note(`${s.name}: ${seen.length} of ${shard.count} shards announced`),
  });
  ctx.progress.note(`${s.name}: all ${shard.count} shards ready; starting together`);
  return startUs;
}

/** Scenarios and sizes a shard cannot run; the note to add when one was adapted. */
export function prepareForShard(s: Scenario, shard: Shard | undefined): string | undefined {
  if (!shard) return undefined;
  if (s.kind === 'capacity')
    throw new HubproofError(
      'HUBPROOF_ERR_SHARD',
      'the capacity scenario searches rate by rate on one generator and cannot be sharded; run it without --shard',
    );
  if (s.kind === 'soak')
    throw new HubproofError(
      'HUBPROOF_ERR_SHARD',
      "the soak judges the whole hub's growth and return from one generator and cannot be sharded; run it without --shard",
    );
  if (s.kind === 'storm')
    throw new HubproofError(
      'HUBPROOF_ERR_SHARD',
      'the storm restarts the hub once under one fleet and cannot be sharded; run it without --shard (raise channels for a bigger fleet)',
    );
  if (s.kind === 'agents' && s.channels < shard.count) {
    throw new HubproofError(
      'HUBPROOF_ERR_SHARD',
      `agents shards by session: ${s.channels} sessions cannot feed ${shard.count} shards; set channels ≥ ${shard.count} or use fewer shards`,
    );
  }
  if (s.kind === 'connections' && s.thresholds.maxMbPer1000 !== undefined) {
    delete s.thresholds.maxMbPer1000;
    return "sharded: hub memory per connection is not judged (one generator cannot attribute the hub's RSS to its own connections); run connections unsharded for it";
  }
  return undefined;
}

/** finishScenario, a shard judged by its share of a rate threshold. */
export function finishShard(ctx: RunContext, base: Parameters<typeof finishScenario>[0], notes: string[]): ScenarioResult {
  if (!ctx.shard) return finishScenario(base, notes);
  notes.push(shardNote(ctx.shard));
  return finishScenario(base, notes, evaluateThresholds(shardThresholds(base.scenario.thresholds, ctx.shard), base));
}
