/**
 * k6 twin of the `fanout` scenario (load/scenarios/fanout.json, the same numbers the Node driver runs):
 * signed Pusher HTTP API publishes at a constant arrival rate into `channels` public channels, each held
 * by `subscribersPerChannel` sockets, as many sockets per VU as the per-VU ceiling allows.
 *   k6 run -e TARGET=$PWD/target.json [-e RATE=500 -e CHANNELS=10 -e SUBSCRIBERS=20 -e DURATION=10 -e OUT=report.json] load/k6/fanout.ts
 * `-e SHARD=I/N` runs shard I of N of the test, beside other k6 instances or `hubproof load --shard`
 * processes (lib/shard.ts, docs/load-sharding.md).
 */
import exec from 'k6/execution';
import { encodeMarker } from './lib/marker.ts';
import * as m from './lib/metrics.ts';
import { k6Options, settings } from './lib/options.ts';
import { streamSeq } from './lib/plan.ts';
import { connectionUrl, publish as publishEvent } from './lib/pusher.ts';
import { broadcastRun, mySockets } from './lib/run.ts';
import { loadScenario, sizeForMachine } from './lib/scenario.ts';
import { shardSetup, shardStampUs } from './lib/shard.ts';
import { holdSockets } from './lib/subscriber.ts';
import { PUBLISH_CPU_MS } from './lib/sizing.ts';
import { summaryOutputs } from './lib/summary.ts';
import type { SummaryData } from './lib/report.ts';
import { loadTarget } from './lib/target.ts';

const target = loadTarget(__ENV.TARGET);
export const scenario = loadScenario('fanout');
const sized = sizeForMachine(scenario, { sendCpuMs: PUBLISH_CPU_MS, deliveriesPerSend: scenario.subscribersPerChannel });
const sockets = scenario.channels * scenario.subscribersPerChannel;
export const run = broadcastRun(scenario, scenario.channels, sockets, scenario.rate / scenario.channels);
const channel = (c: number): string => `hubproof-load-${c}`;

export const options = k6Options({
  s: scenario,
  hold: { name: 'subscribers', exec: 'subscribe', vus: run.holdVus },
  sends: [{ name: 'publishers', exec: 'publish', rate: scenario.rate }],
  expectedDeliveries: ((run.plan.total - run.plan.warm) * scenario.subscribersPerChannel * run.own.length) / sockets,
  shard: run.shard,
});

type SetupData = { startUs: number };

export function setup(): Promise<SetupData> {
  return shardSetup(target, scenario, run.shard, settings);
}

export function subscribe(): void {
  const plans = mySockets(run).map((i) => {
    const c = Math.floor(i / scenario.subscribersPerChannel);
    return { url: connectionUrl(target), channel: channel(c), streams: [c] };
  });
  holdSockets(target, plans, run.hold);
}

/** Per channel, the highest seq this VU saw acknowledged: what its later publishes must follow. */
const acked = new Map<number, number>();

export function publish(data: SetupData): void {
  const i = exec.scenario.iterationInTest;
  // k6 also starts the iteration due exactly at the end of the duration: not part of the schedule.
  if (i >= run.plan.total) return;
  const { stream, seq, inWindow } = streamSeq(run.plan, i);
  if (inWindow) m.sent.add(1);
  const nowUs = Date.now() * 1000;
  const stampUs = run.shard ? shardStampUs(data.startUs, scenario.rate, i) : nowUs;
  const r = publishEvent(
    target,
    channel(stream),
    'hp-load',
    encodeMarker(stream, seq, stampUs, acked.get(stream) ?? 0, scenario.payloadBytes),
  );
  if (r.status < 200 || r.status >= 300) {
    if (inWindow) m.publishErrors.add(1);
  } else if (seq > (acked.get(stream) ?? 0)) acked.set(stream, seq);
}

export function handleSummary(data: SummaryData): Record<string, string> {
  return summaryOutputs(data, target, {
    scenario,
    subscribers: run.own.length,
    vuPlan: run.vuPlan,
    maxLagMs: run.hold.health.maxLagMs,
    shard: run.shard,
    ...(sized ? { notes: [sized] } : {}),
  });
}
