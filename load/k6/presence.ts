/**
 * k6 twin of the `presence` scenario (load/scenarios/presence.json): POST /api/presence/{agent}/events
 * from `publishers` agents at a constant arrival rate, fanned out to `channels × subscribersPerChannel`
 * /ws/broadcasts dashboards (`channels` session_ids; the reference hub takes 10 per session); every dashboard
 * expects every update.
 *   k6 run -e TARGET=$PWD/target.json [-e RATE=1000 -e PUBLISHERS=20 -e CHANNELS=10 -e SUBSCRIBERS=4 -e DURATION=10] load/k6/presence.ts
 * `-e SHARD=I/N` runs shard I of N of the test (lib/shard.ts, docs/load-sharding.md).
 */
import exec from 'k6/execution';
import http from 'k6/http';
import { encodeMarker } from './lib/marker.ts';
import * as m from './lib/metrics.ts';
import { k6Options, settings } from './lib/options.ts';
import { streamSeq } from './lib/plan.ts';
import type { SummaryData } from './lib/report.ts';
import { broadcastRun, mySockets } from './lib/run.ts';
import { loadScenario, sizeForMachine } from './lib/scenario.ts';
import { shardSetup, shardStampUs } from './lib/shard.ts';
import { holdSockets } from './lib/subscriber.ts';
import { PRESENCE_UPDATE_CPU_MS } from './lib/sizing.ts';
import { summaryOutputs } from './lib/summary.ts';
import { loadTarget, trimSlash } from './lib/target.ts';

const target = loadTarget(__ENV.TARGET);
export const scenario = loadScenario('presence');
const perSession = scenario.subscribersPerChannel;
const dashboards = scenario.channels * perSession;
const sized = sizeForMachine(scenario, { sendCpuMs: PRESENCE_UPDATE_CPU_MS, deliveriesPerSend: dashboards });
export const run = broadcastRun(scenario, scenario.publishers, dashboards, scenario.rate);
const token = target.agents[0]?.token ?? '';

export const options = k6Options({
  s: scenario,
  hold: { name: 'dashboards', exec: 'watch', vus: run.holdVus },
  sends: [{ name: 'updates', exec: 'update', rate: scenario.rate }],
  expectedDeliveries: (run.plan.total - run.plan.warm) * run.own.length,
  shard: run.shard,
});

type SetupData = { startUs: number };

export function setup(): Promise<SetupData> {
  return shardSetup(target, scenario, run.shard, settings);
}

export function watch(): void {
  const plans = mySockets(run).map((i) => ({
    url: `${trimSlash(target.nodes[0]!.ws)}/ws/broadcasts?token=${encodeURIComponent(token)}&session_id=hp-dash-${Math.floor(i / perSession)}`,
  }));
  holdSockets(target, plans, run.hold);
}

/** Per agent stream, the highest seq this VU saw acknowledged: what its later updates must follow. */
const acked = new Map<number, number>();

export function update(data: SetupData): void {
  const i = exec.scenario.iterationInTest;
  // k6 also starts the iteration due exactly at the end of the duration: not part of the schedule.
  if (i >= run.plan.total) return;
  const { stream, seq, inWindow } = streamSeq(run.plan, i);
  if (inWindow) m.sent.add(1);
  const nowUs = Date.now() * 1000;
  const stampUs = run.shard ? shardStampUs(data.startUs, scenario.rate, i) : nowUs;
  const marker = encodeMarker(stream, seq, stampUs, acked.get(stream) ?? 0);
  const body = JSON.stringify({
    event_type: 'tool_execute',
    tool_name: marker,
    feature_id: null,
    cost_tokens: 1,
    session_id: `hp-pub-${stream}`,
  });
  const r = http.post(`${trimSlash(target.nodes[0]!.http)}/api/presence/hp-agent-${stream}/events`, body, {
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
  });
  if (r.status < 200 || r.status >= 300) {
    if (inWindow) m.publishErrors.add(1);
  } else if (seq > (acked.get(stream) ?? 0)) acked.set(stream, seq);
}

export function handleSummary(data: SummaryData): Record<string, string> {
  return summaryOutputs(data, target, {
    scenario,
    subscribers: run.own.length,
    vuPlan: run.vuPlan,
    shard: run.shard,
    maxLagMs: run.hold.health.maxLagMs,
    notes: [
      `${scenario.channels} dashboard session_ids × ${perSession} dashboards; every dashboard expects every update`,
      ...(sized ? [sized] : []),
    ],
  });
}
