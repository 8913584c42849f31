/**
 * k6 options shared by the broadcast scripts (fanout, presence): one scenario holds the subscriber
 * sockets for the whole run, one sends at a constant arrival rate (open model) after the warm-up, and the
 * thresholds are the product's SLOs, so a breach makes k6 exit non-zero.
 */
import type { Options } from 'k6/options';
import * as m from './metrics.ts';

export interface BroadcastOptions {
  /** Scenario and exec names: [holding sockets, sending]. */
  names: { hold: string; holdExec: string; send: string; sendExec: string };
  holdVus: number;
  rate: number;
  warmupS: number;
  durationS: number;
  p99Ms: number;
}

export function broadcastOptions(o: BroadcastOptions): Options {
  return {
    summaryTrendStats: m.TREND_STATS,
    scenarios: {
      [o.names.hold]: { executor: 'per-vu-iterations', vus: o.holdVus, iterations: 1, exec: o.names.holdExec, maxDuration: `${o.warmupS + o.durationS + 30}s` },
      [o.names.send]: {
        executor: 'constant-arrival-rate',
        rate: o.rate,
        timeUnit: '1s',
        duration: `${o.durationS}s`,
        startTime: `${o.warmupS}s`,
        preAllocatedVUs: Math.max(10, Math.ceil(o.rate / 50)),
        maxVUs: Math.max(50, Math.ceil(o.rate / 5)),
        exec: o.names.sendExec,
      },
    },
    thresholds: {
      hp_propagation: [`p(99)<${o.p99Ms}`],
      hp_delivery: ['rate>=1'],
      hp_publish_errors: ['count<1'],
      hp_connect_failures: ['count<1'],
    },
  };
}
