/**
 * k6 twin of the `agents` scenario: SESSIONS sessions of PARTICIPANTS agents (setup), one socket per
 * participant on private-session.{id}, heartbeats and bursts of near-duplicate todos at constant arrival
 * rates. Each create carries a marker in its description, so a subscriber times AgentTodoChanged(created)
 * from the request, and AgentConflictResolved from the later create of the pair.
 *   k6 run -e TARGET=target.json [-e SESSIONS=5 -e PARTICIPANTS=10 -e BURSTS=5 -e HEARTBEATS=50 -e DURATION=10] load/k6/agents.ts
 */
import exec from 'k6/execution';
import http from 'k6/http';
import type { Options } from 'k6/options';
import { connectionUrl } from './lib/pusher.ts';
import { encodeMarker, readMarker, SeqBitmap } from './lib/marker.ts';
import * as m from './lib/metrics.ts';
import { holdSockets, type SocketPlan } from './lib/subscriber.ts';
import { summaryOutputs } from './lib/summary.ts';
import { envNumber, loadTarget, trimSlash } from './lib/target.ts';

const target = loadTarget(__ENV.TARGET);
const SESSIONS = envNumber('SESSIONS', 5);
const PARTICIPANTS = Math.min(10, envNumber('PARTICIPANTS', 10));
const BURSTS = envNumber('BURSTS', 5);
const HEARTBEATS = envNumber('HEARTBEATS', 50);
const DURATION = envNumber('DURATION', 10);
const WARMUP = envNumber('WARMUP', 3);
const SOCKETS_PER_VU = envNumber('SOCKETS_PER_VU', 50);
const P99_MS = envNumber('P99_MS', 50);
const CONFLICT_P99_MS = envNumber('CONFLICT_P99_MS', 250);
const api = `${trimSlash(target.nodes[0]!.http)}/api`;
const project = target.agents[0]?.projects?.[0] ?? 1;
const members = target.agents.filter((a) => !a.projects || a.projects.length === 0 || a.projects.includes(project));

interface SetupData {
  sessions: Array<{ id: number; participants: Array<{ id: number; token: string }> }>;
}

export const options: Options = {
  summaryTrendStats: m.TREND_STATS,
  setupTimeout: '60s',
  scenarios: {
    subscribers: {
      executor: 'per-vu-iterations',
      vus: Math.ceil((SESSIONS * PARTICIPANTS) / SOCKETS_PER_VU),
      iterations: 1,
      exec: 'subscribe',
      maxDuration: `${WARMUP + DURATION + 30}s`,
    },
    bursts: { executor: 'constant-arrival-rate', rate: BURSTS, timeUnit: '1s', duration: `${DURATION}s`, startTime: `${WARMUP}s`, preAllocatedVUs: 5, maxVUs: 50, exec: 'burst' },
    heartbeats: { executor: 'constant-arrival-rate', rate: HEARTBEATS, timeUnit: '1s', duration: `${DURATION}s`, startTime: `${WARMUP}s`, preAllocatedVUs: 5, maxVUs: 50, exec: 'heartbeat' },
  },
  thresholds: {
    hp_propagation: [`p(99)<${P99_MS}`],
    hp_conflict_resolution: [`p(99)<${CONFLICT_P99_MS}`],
    hp_publish_errors: ['count<1'],
    hp_connect_failures: ['count<1'],
  },
};

const headers = (token: string, idempotent = false): Record<string, string> => ({
  'content-type': 'application/json',
  authorization: `Bearer ${token}`,
  ...(idempotent ? { 'idempotency-key': `${exec.vu.idInTest}-${exec.scenario.iterationInTest}-${Math.random().toString(36).slice(2)}` } : {}),
});

function postJson(path: string, token: string, body: unknown, idempotent = false): Record<string, unknown> {
  const r = http.post(`${api}${path}`, JSON.stringify(body), { headers: headers(token, idempotent), tags: { name: path.replace(/\d+/g, ':id') } });
  if (r.status < 200 || r.status >= 300) throw new Error(`POST ${path} → ${r.status} ${String(r.body).slice(0, 200)}`);
  return JSON.parse(String(r.body)) as Record<string, unknown>;
}

export function setup(): SetupData {
  if (members.length === 0) throw new Error('the target file needs agent tokens for the agents scenario');
  const run = Date.now() % 1_000_000;
  const sessions: SetupData['sessions'] = [];
  for (let k = 0; k < SESSIONS; k++) {
    const s = postJson('/sessions', members[0]!.token, { project_id: project, issue_id: run * 100 + k + 1, coordinator_type: 'hubproof-k6' });
    const participants: Array<{ id: number; token: string }> = [];
    for (let p = 0; p < PARTICIPANTS; p++) {
      const token = members[p % members.length]!.token;
      participants.push({ id: postJson(`/sessions/${s.session_id}/participants`, token, { agent_type: `k6-agent-${p}` }).participant_id as number, token });
    }
    sessions.push({ id: s.session_id as number, participants });
  }
  return { sessions };
}

export function subscribe(data: SetupData): void {
  const vu = exec.vu.idInTest - 1;
  const plans: SocketPlan[] = [];
  const all = data.sessions.flatMap((s) => s.participants.map(() => s.id));
  for (let i = vu * SOCKETS_PER_VU; i < Math.min((vu + 1) * SOCKETS_PER_VU, all.length); i++) plans.push({ url: connectionUrl(target), channel: `private-session.${all[i]!}` });
  const sentAt = plans.map(() => new Map<number, number>());
  const order = plans.map(() => new SeqBitmap(BURSTS * DURATION * 8 + 1024));
  holdSockets(target, plans, {
    holdMs: (WARMUP + DURATION + 3) * 1000,
    maxSeq: 1,
    isMarkerFrame: () => false,
    onOther: (text, socket) => {
      const now = Date.now();
      const frame = JSON.parse(text) as { event?: string; data?: string };
      if (!frame.event || !frame.event.startsWith('App\\Events\\') || typeof frame.data !== 'string') return;
      const d = JSON.parse(frame.data) as Record<string, any>;
      if (typeof d.seq === 'number') {
        const arrival = order[socket]!.record(d.seq);
        if (arrival === 'duplicate') return void m.duplicated.add(1);
        if (arrival === 'out-of-order') m.outOfOrder.add(1);
      }
      if (frame.event.endsWith('AgentTodoChanged') && d.change === 'created') {
        const mk = readMarker(String(d.todo?.description ?? ''));
        if (!mk) return;
        sentAt[socket]!.set(Number(d.todo.todo_id), mk.scheduledUs / 1000);
        m.delivered.add(1);
        m.propagation.add(Math.max(0, now - mk.scheduledUs / 1000));
      } else if (frame.event.endsWith('AgentConflictResolved')) {
        const times = sentAt[socket]!;
        const t = Math.max(times.get(Number(d.kept_todo_id)) ?? 0, times.get(Number(d.cancelled_todo_id)) ?? 0);
        if (t > 0) m.conflictResolution.add(Math.max(0, now - t));
      }
    },
  });
}

export function burst(data: SetupData): void {
  const i = exec.scenario.iterationInTest;
  const s = data.sessions[i % data.sessions.length]!;
  const token = s.participants[0]!.token;
  const stem = `burst ${Math.random().toString(36).slice(2, 14)} fix the login flow`;
  for (const [title, description] of [
    [stem, 'short'],
    [`${stem}s`, 'a longer description that wins the conflict'],
  ] as const) {
    m.sent.add(1);
    const r = http.post(`${api}/sessions/${s.id}/todos`, JSON.stringify({ title, description: `${description} ${encodeMarker(0, i + 1, Date.now() * 1000, 0)}` }), {
      headers: headers(token, true),
      tags: { name: 'create todo' },
    });
    if (r.status < 200 || r.status >= 300) m.publishErrors.add(1);
  }
}

export function heartbeat(data: SetupData): void {
  const i = exec.scenario.iterationInTest;
  const s = data.sessions[i % data.sessions.length]!;
  const p = s.participants[Math.floor(i / data.sessions.length) % s.participants.length]!;
  const r = http.post(`${api}/sessions/${s.id}/participants/${p.id}/heartbeat`, null, { headers: headers(p.token), tags: { name: 'heartbeat' } });
  if (r.status < 200 || r.status >= 300) m.publishErrors.add(1);
}

export function handleSummary(data: Parameters<typeof summaryOutputs>[0]): Record<string, string> {
  return summaryOutputs(data, target, {
    name: 'agents',
    kind: 'agents',
    description: 'Sessions of agents heartbeating and creating near-duplicate todos; conflict resolution latency (k6)',
    fanout: PARTICIPANTS,
    targetRate: BURSTS * 2 + HEARTBEATS,
    windowS: DURATION,
    subscribers: SESSIONS * PARTICIPANTS,
  });
}
