/**
 * k6 options shared by the scripts: one scenario holds the subscriber sockets for the whole run, the others
 * send at constant arrival rates (open model) from CONNECT_S on, warm-up first. The thresholds make k6's own
 * exit code non-zero on what it can judge per instance: events lost past the scenario's minReach, arrivals
 * at or over its p99 limit past the 1 % the p99 allows, an iteration k6 could not start on time. A
 * subscriber VU that fell behind is no threshold: its lateness only matters beside a breach, which these
 * already make non-zero (the report then says INVALID rather than FAIL). The full verdict is the report's
 * (and `hubproof load --engine k6`'s exit code).
 */
import type { Options } from 'k6/options';
import type { Scenario } from '../../scenarios/types.ts';
import * as m from './metrics.ts';
import { shardSegment, type Shard } from './shard.ts';
import { DEFAULT_SEND_VU_RATE, planSenders } from './sizing.ts';
import { envNumber } from './target.ts';

/** Run settings that are about the generator, not the test: `-e NAME=value`. */
export const settings = {
  /** Seconds the subscribers get to connect and subscribe before the first send. */
  connectS: envNumber('CONNECT_S', 2),
  /** Seconds the subscribers keep listening after the last send. */
  drainS: envNumber('DRAIN_S', 3),
  /** Receive-loop lag p99 above which a subscriber VU fell behind, ms (the Node driver's loop-lag limit). */
  maxLagMs: envNumber('MAX_LAG_MS', 20),
  /** Sharded (`-e SHARD=I/N`): seconds to wait for every shard to announce itself (`--shard-wait`). */
  shardWaitS: envNumber('SHARD_WAIT', 120),
  /** Sharded: tells concurrent runs of the same test apart (`--run-id`). */
  runId: __ENV.RUN_ID ?? '',
};

export interface SendScenario {
  name: string;
  exec: string;
  /** Iterations per second. */
  rate: number;
}

const ms = (s: number): string => `${Math.round(s * 1000)}ms`;

/** constant-arrival-rate takes whole iterations per timeUnit: 1.5/s becomes 1500 per 1000 s. */
function arrival(rate: number): { rate: number; timeUnit: string } {
  return Number.isInteger(rate) ? { rate, timeUnit: '1s' } : { rate: Math.round(rate * 1000), timeUnit: '1000s' };
}

export function k6Options(o: {
  s: Scenario;
  hold: { name: string; exec: string; vus: number };
  sends: SendScenario[];
  /** Deliveries expected in the window over all sockets (for the loss and p99 exit thresholds). */
  expectedDeliveries: number;
  /** agents: AgentConflictResolved deliveries expected in the window. */
  expectedResolved?: number;
  setupTimeout?: string;
  /** `-e SHARD=I/N`: run k6's execution segment of shard I (unless given on the command line). */
  shard?: Shard;
}): Options {
  const { s } = o;
  const holdS = settings.connectS + s.warmupS + s.durationS + settings.drainS;
  const scenarios: NonNullable<Options['scenarios']> = {
    [o.hold.name]: { executor: 'per-vu-iterations', vus: o.hold.vus, iterations: 1, exec: o.hold.exec, maxDuration: ms(holdS + 30) },
  };
  for (const send of o.sends) {
    if (!(send.rate > 0)) continue;
    const senders = planSenders(send.rate, envNumber('SEND_VU_RATE', DEFAULT_SEND_VU_RATE));
    scenarios[send.name] = {
      executor: 'constant-arrival-rate',
      ...arrival(send.rate),
      duration: ms(s.warmupS + s.durationS),
      startTime: ms(settings.connectS),
      preAllocatedVUs: senders.preAllocatedVUs,
      maxVUs: senders.maxVUs,
      exec: send.exec,
    };
  }
  const thresholds: NonNullable<Options['thresholds']> = { dropped_iterations: ['count<1'] };
  const allowedOver = (n: number): number => n - Math.ceil(0.99 * n);
  if (s.thresholds.minReach !== undefined)
    thresholds.hp_lost = [`count<=${Math.floor((1 - s.thresholds.minReach) * o.expectedDeliveries)}`];
  if (s.thresholds.p99Ms !== undefined) thresholds[`${m.propagation.prefix}_over_limit`] = [`count<=${allowedOver(o.expectedDeliveries)}`];
  if (s.thresholds.conflictP99Ms !== undefined && o.expectedResolved !== undefined) {
    thresholds[`${m.conflictResolution.prefix}_over_limit`] = [`count<=${allowedOver(o.expectedResolved)}`];
  }
  // A shard's setup() waits for the other shards on the hub.
  const setupTimeout = o.shard ? `${Math.ceil(settings.shardWaitS + settings.connectS + 60)}s` : (o.setupTimeout ?? '60s');
  return {
    summaryTrendStats: m.TREND_STATS,
    setupTimeout,
    scenarios,
    thresholds,
    ...(o.shard ? shardSegment(o.shard) : {}),
  };
}
