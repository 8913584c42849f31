/**
 * k6 twin of the `fanout` scenario: signed Pusher HTTP API publishes at a constant arrival rate into
 * CHANNELS public channels, each held by SUBSCRIBERS sockets (many sockets per VU).
 *   k6 run -e TARGET=target.json [-e RATE=500 -e CHANNELS=10 -e SUBSCRIBERS=20 -e DURATION=10 -e WARMUP=3] load/k6/fanout.ts
 */
import exec from 'k6/execution';
import type { Options } from 'k6/options';
import { encodeMarker } from './lib/marker.ts';
import * as m from './lib/metrics.ts';
import { broadcastOptions } from './lib/options.ts';
import { connectionUrl, publish as publishEvent } from './lib/pusher.ts';
import { holdSockets, type SocketPlan } from './lib/subscriber.ts';
import { summaryOutputs } from './lib/summary.ts';
import { envNumber, loadTarget } from './lib/target.ts';

const target = loadTarget(__ENV.TARGET);
const RATE = envNumber('RATE', 500);
const CHANNELS = envNumber('CHANNELS', 10);
const SUBSCRIBERS = envNumber('SUBSCRIBERS', 20);
const DURATION = envNumber('DURATION', 10);
const WARMUP = envNumber('WARMUP', 3);
const SOCKETS_PER_VU = envNumber('SOCKETS_PER_VU', 50);
const P99_MS = envNumber('P99_MS', 50);
const SUB_VUS = Math.ceil((CHANNELS * SUBSCRIBERS) / SOCKETS_PER_VU);

export const options: Options = broadcastOptions({
  names: { hold: 'subscribers', holdExec: 'subscribe', send: 'publishers', sendExec: 'publish' },
  holdVus: SUB_VUS,
  rate: RATE,
  warmupS: WARMUP,
  durationS: DURATION,
  p99Ms: P99_MS,
});

export function subscribe(): void {
  const vu = exec.vu.idInTest - 1;
  const plans: SocketPlan[] = [];
  for (let i = vu * SOCKETS_PER_VU; i < Math.min((vu + 1) * SOCKETS_PER_VU, CHANNELS * SUBSCRIBERS); i++) {
    const c = i % CHANNELS;
    plans.push({ url: connectionUrl(target), channel: `hubproof-load-${c}`, streams: [c] });
  }
  holdSockets(target, plans, { holdMs: (WARMUP + DURATION + 3) * 1000, maxSeq: Math.ceil((RATE * DURATION * 1.2) / CHANNELS) + 16 });
}

/** Per channel, the highest seq this VU saw acknowledged: what its later publishes must follow. */
const acked = new Map<number, number>();

export function publish(): void {
  const i = exec.scenario.iterationInTest;
  const c = i % CHANNELS;
  const seq = Math.floor(i / CHANNELS) + 1;
  m.sent.add(1);
  const r = publishEvent(target, `hubproof-load-${c}`, 'hp-load', encodeMarker(c, seq, Date.now() * 1000, acked.get(c) ?? 0, 64));
  if (r.status < 200 || r.status >= 300) m.publishErrors.add(1);
  else if (seq > (acked.get(c) ?? 0)) acked.set(c, seq);
}

export function handleSummary(data: Parameters<typeof summaryOutputs>[0]): Record<string, string> {
  return summaryOutputs(data, target, {
    name: 'fanout',
    kind: 'fanout',
    description: 'Signed POST /apps/{id}/events at a fixed rate into channels with many subscribers (k6)',
    fanout: SUBSCRIBERS,
    targetRate: RATE,
    windowS: DURATION,
    subscribers: CHANNELS * SUBSCRIBERS,
  });
}
