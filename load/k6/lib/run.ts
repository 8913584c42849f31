/** What every broadcast script derives from its scenario: the send plan, the subscriber VU plan, the health limits. */
import type { Scenario } from '../../scenarios/types.ts';
import { owns } from '../../shard-meeting.ts';
import { settings } from './options.ts';
import { sendPlan, type SendPlan } from './plan.ts';
import { holdIndex, shardFromEnv, type Shard } from './shard.ts';
import { DEFAULT_VU_CEILING, planSubscribers, type SubscriberPlan } from './sizing.ts';
import type { HoldOptions } from './subscriber.ts';
import { envNumber } from './target.ts';

export interface BroadcastRun {
  plan: SendPlan;
  /** This instance's subscriber VUs (all of them, or its shard's). */
  vuPlan: SubscriberPlan;
  /** Hold options for the subscriber VUs. */
  hold: HoldOptions;
  /** `-e SHARD=I/N`: this instance is one shard of the test. */
  shard?: Shard;
  /** The sockets (indexes into the test's socket list) this instance holds. */
  own: number[];
  /** Subscriber VUs to declare: k6's execution segment gives this instance its 1/N of them. */
  holdVus: number;
}

/**
 * `streams`: marker streams (channels, or agent ids); `sockets`: subscriber sockets of the whole test;
 * `perSocketRate`: frames/s one socket receives. `-e VU_CEILING` and `-e SOCKETS_PER_VU` override the sizing.
 */
export function broadcastRun(s: Scenario, streams: number, sockets: number, perSocketRate: number): BroadcastRun {
  const shard = shardFromEnv();
  const own = Array.from({ length: sockets }, (_, k) => k).filter((k) => owns(shard, k));
  const plan = sendPlan(s.rate, s.warmupS, s.durationS, streams);
  const vuPlan = planSubscribers(
    own.length,
    perSocketRate,
    envNumber('VU_CEILING', DEFAULT_VU_CEILING),
    envNumber('SOCKETS_PER_VU', 0) || undefined,
  );
  const windowFromMs = (settings.connectS + s.warmupS) * 1000;
  return {
    plan,
    vuPlan,
    shard,
    own,
    holdVus: vuPlan.vus * (shard?.count ?? 1),
    hold: {
      holdMs: (settings.connectS + s.warmupS + s.durationS + settings.drainS) * 1000,
      plan,
      p99Ms: s.thresholds.p99Ms,
      health: { windowFromMs, windowToMs: windowFromMs + s.durationS * 1000, ceiling: vuPlan.ceiling, maxLagMs: settings.maxLagMs },
    },
  };
}

/** The sockets the calling subscriber VU holds. */
export function mySockets(run: BroadcastRun): number[] {
  const k = holdIndex(run.shard);
  return run.own.slice(k * run.vuPlan.socketsPerVu, (k + 1) * run.vuPlan.socketsPerVu);
}
