/**
 * What every generator of one sharded test agrees on, Node shard or k6 instance (so this module imports
 * nothing from Node): the split (connection k and send i belong to shard k mod N and i mod N), the name
 * the shards meet under on the hub, the announcement each one sends there, and the thresholds a shard's
 * own report is judged by.
 */
import type { Scenario, Thresholds } from './scenarios/types.ts';

export interface Shard {
  index: number;
  count: number;
}

/** `I/N` with 0 ≤ I < N, or undefined when malformed. */
export function parseShardSpec(spec: string): Shard | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(spec.trim());
  if (!m) return undefined;
  const index = Number(m[1]);
  const count = Number(m[2]);
  return count >= 1 && index < count ? { index, count } : undefined;
}

export const owns = (shard: Shard | undefined, k: number): boolean => !shard || k % shard.count === shard.index;

/**
 * The text whose hash names a run's meeting: the test's schedule (what every shard must agree on to send
 * its part of one test: the fields below, never thresholds or how one machine runs its part, so a field a
 * generator adds to its own scenario cannot keep the shards apart), the target's name, the shard count
 * and the run id.
 */
export function shardKeyText(s: Scenario, targetName: string, count: number, runId = ''): string {
  const test = [
    s.name,
    s.kind,
    s.rate,
    s.publishers,
    s.channels,
    s.subscribersPerChannel,
    s.durationS,
    s.warmupS,
    s.payloadBytes,
    s.rampPerS,
    s.burstsPerS,
    s.todosPerS,
    s.transport,
  ];
  return JSON.stringify([test, targetName, count, runId]);
}

/** The Pusher channel (or dashboard session_id) the shards of a run meet on. */
export const shardChannel = (key: string): string => `hubproof-shard-${key}`;

/** `hpshard|key|index|count|proposedStartUs|`: sent twice a second until the start. */
export const announcement = (key: string, shard: Shard, proposedStartUs: number): string =>
  `hpshard|${key}|${shard.index}|${shard.count}|${Math.round(proposedStartUs)}|`;

/** The announcement of a shard of this run (same key and count) found in `text`, if any. */
export function readAnnouncement(text: string, key: string, count: number): { index: number; proposedStartUs: number } | undefined {
  const m = new RegExp(`hpshard\\|${key}\\|(\\d+)\\|(\\d+)\\|(\\d+)\\|`).exec(text);
  if (!m || Number(m[2]) !== count) return undefined;
  return { index: Number(m[1]), proposedStartUs: Number(m[3]) };
}

/** The thresholds one shard is judged by: a rate floor scaled to its share of the sends. */
export function shardThresholds(t: Thresholds, shard: Shard | undefined): Thresholds {
  if (!shard || t.minRate === undefined) return t;
  return { ...t, minRate: Math.round((t.minRate / shard.count) * 10) / 10 };
}

/** The note a shard's report carries. */
export const shardNote = (shard: Shard): string =>
  `shard ${shard.index}/${shard.count}: this generator's share of the test; merge the shards' reports (hubproof merge) for the test's figures`;
