/** What every broadcast script derives from its scenario: the send plan, the subscriber VU plan, the health limits. */
import type { Scenario } from '../../scenarios/types.ts';
import { settings } from './options.ts';
import { sendPlan, type SendPlan } from './plan.ts';
import { DEFAULT_VU_CEILING, planSubscribers, type SubscriberPlan } from './sizing.ts';
import type { HoldOptions } from './subscriber.ts';
import { envNumber } from './target.ts';

export interface BroadcastRun {
  plan: SendPlan;
  vuPlan: SubscriberPlan;
  /** Hold options for the subscriber VUs. */
  hold: HoldOptions;
}

/**
 * `streams`: marker streams (channels, or agent ids); `sockets`: subscriber sockets; `perSocketRate`:
 * frames/s one socket receives. `-e VU_CEILING` and `-e SOCKETS_PER_VU` override the sizing.
 */
export function broadcastRun(s: Scenario, streams: number, sockets: number, perSocketRate: number): BroadcastRun {
  const plan = sendPlan(s.rate, s.warmupS, s.durationS, streams);
  const vuPlan = planSubscribers(
    sockets,
    perSocketRate,
    envNumber('VU_CEILING', DEFAULT_VU_CEILING),
    envNumber('SOCKETS_PER_VU', 0) || undefined,
  );
  const windowFromMs = (settings.connectS + s.warmupS) * 1000;
  return {
    plan,
    vuPlan,
    hold: {
      holdMs: (settings.connectS + s.warmupS + s.durationS + settings.drainS) * 1000,
      plan,
      p99Ms: s.thresholds.p99Ms,
      health: { windowFromMs, windowToMs: windowFromMs + s.durationS * 1000, ceiling: vuPlan.ceiling, maxLagMs: settings.maxLagMs },
    },
  };
}

/** The sockets of subscriber VU `k` (exec.scenario.iterationInTest of the holding scenario: 0 … vus−1). */
export function socketsOf(vuPlan: SubscriberPlan, sockets: number, k: number): number[] {
  const out: number[] = [];
  for (let i = k * vuPlan.socketsPerVu; i < Math.min((k + 1) * vuPlan.socketsPerVu, sockets); i++) out.push(i);
  return out;
}
