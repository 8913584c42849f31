/**
 * k6 twin of the `presence` scenario: POST /api/presence/{agent}/events at a constant arrival rate, fanned
 * out to DASHBOARDS /ws/broadcasts connections (distinct session_ids, at most 10 per session).
 *   k6 run -e TARGET=target.json [-e RATE=1000 -e AGENTS=20 -e DASHBOARDS=20 -e DURATION=10] load/k6/presence.ts
 */
import exec from 'k6/execution';
import http from 'k6/http';
import type { Options } from 'k6/options';
import { encodeMarker } from './lib/marker.ts';
import * as m from './lib/metrics.ts';
import { broadcastOptions } from './lib/options.ts';
import { holdSockets, type SocketPlan } from './lib/subscriber.ts';
import { summaryOutputs } from './lib/summary.ts';
import { envNumber, loadTarget, trimSlash } from './lib/target.ts';

const target = loadTarget(__ENV.TARGET);
const RATE = envNumber('RATE', 1000);
const AGENTS = envNumber('AGENTS', 20);
const DASHBOARDS = envNumber('DASHBOARDS', 20);
const PER_SESSION = Math.min(10, envNumber('PER_SESSION', 4));
const DURATION = envNumber('DURATION', 10);
const WARMUP = envNumber('WARMUP', 3);
const SOCKETS_PER_VU = envNumber('SOCKETS_PER_VU', 50);
const P99_MS = envNumber('P99_MS', 50);
const token = target.agents[0]?.token ?? '';

export const options: Options = broadcastOptions({
  names: { hold: 'dashboards', holdExec: 'watch', send: 'updates', sendExec: 'update' },
  holdVus: Math.ceil(DASHBOARDS / SOCKETS_PER_VU),
  rate: RATE,
  warmupS: WARMUP,
  durationS: DURATION,
  p99Ms: P99_MS,
});

export function watch(): void {
  const vu = exec.vu.idInTest - 1;
  const plans: SocketPlan[] = [];
  for (let i = vu * SOCKETS_PER_VU; i < Math.min((vu + 1) * SOCKETS_PER_VU, DASHBOARDS); i++) {
    const session = `hp-dash-${Math.floor(i / PER_SESSION)}`;
    plans.push({ url: `${trimSlash(target.nodes[0]!.ws)}/ws/broadcasts?token=${encodeURIComponent(token)}&session_id=${session}` });
  }
  holdSockets(target, plans, { holdMs: (WARMUP + DURATION + 3) * 1000, maxSeq: Math.ceil((RATE * DURATION * 1.2) / AGENTS) + 16 });
}

/** Per agent stream, the highest seq this VU saw acknowledged: what its later updates must follow. */
const acked = new Map<number, number>();

export function update(): void {
  const i = exec.scenario.iterationInTest;
  const a = i % AGENTS;
  const seq = Math.floor(i / AGENTS) + 1;
  m.sent.add(1);
  const body = JSON.stringify({ event_type: 'tool_execute', tool_name: encodeMarker(a, seq, Date.now() * 1000, acked.get(a) ?? 0), feature_id: null, cost_tokens: 1, session_id: `hp-pub-${a}` });
  const r = http.post(`${trimSlash(target.nodes[0]!.http)}/api/presence/hp-agent-${a}/events`, body, {
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    tags: { name: 'presence-event' },
  });
  if (r.status < 200 || r.status >= 300) m.publishErrors.add(1);
  else if (seq > (acked.get(a) ?? 0)) acked.set(a, seq);
}

export function handleSummary(data: Parameters<typeof summaryOutputs>[0]): Record<string, string> {
  return summaryOutputs(data, target, {
    name: 'presence',
    kind: 'presence',
    description: 'POST /api/presence/{agent}/events fanned out to every /ws/broadcasts dashboard (k6)',
    fanout: DASHBOARDS,
    targetRate: RATE,
    windowS: DURATION,
    subscribers: DASHBOARDS,
  });
}
