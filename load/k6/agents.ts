/**
 * k6 twin of the `agents` scenario (load/scenarios/agents.json): `channels` sessions of
 * `subscribersPerChannel` agents (created in setup), one socket per participant on private-session.{id},
 * heartbeats at `rate`, plain todos at `todosPerS` and near-duplicate bursts at `burstsPerS` per session.
 * Each create carries a marker in its description, so a subscriber times AgentTodoChanged(created) from the
 * request, and AgentConflictResolved from the later create of the pair. setup() runs once per k6 process:
 * run this script as one instance (k6-operator parallelism 1).
 *   k6 run -e TARGET=$PWD/target.json [-e CHANNELS=5 -e SUBSCRIBERS=10 -e RATE=50 -e DURATION=10] load/k6/agents.ts
 */
import exec from 'k6/execution';
import http from 'k6/http';
import { encodeMarker, readMarker, SeqBitmap, type Marker } from './lib/marker.ts';
import * as m from './lib/metrics.ts';
import { k6Options, settings } from './lib/options.ts';
import { countFor, sendPlan, type SendPlan } from './lib/plan.ts';
import { connectionUrl } from './lib/pusher.ts';
import { LatencyRecorder, Tally } from './lib/recorder.ts';
import type { SummaryData } from './lib/report.ts';
import { broadcastRun, mySockets } from './lib/run.ts';
import { loadScenario } from './lib/scenario.ts';
import { holdSockets } from './lib/subscriber.ts';
import { summaryOutputs } from './lib/summary.ts';
import { loadTarget, trimSlash } from './lib/target.ts';

const target = loadTarget(__ENV.TARGET);
export const scenario = loadScenario('agents');
const SESSIONS = scenario.channels;
const PARTICIPANTS = Math.min(10, scenario.subscribersPerChannel);
const sockets = SESSIONS * PARTICIPANTS;
const burstPlan = sendPlan(scenario.burstsPerS * SESSIONS, scenario.warmupS, scenario.durationS, SESSIONS);
const todoPlan = sendPlan(scenario.todosPerS * SESSIONS, scenario.warmupS, scenario.durationS, SESSIONS);
const heartbeatPlan = sendPlan(scenario.rate, scenario.warmupS, scenario.durationS, 1);
/** Marker streams: which create a todo came from. */
const TODO = 0;
const BURST_FIRST = 1;
const BURST_SECOND = 2;
const perSessionRate = scenario.todosPerS + 3 * scenario.burstsPerS;
export const run = broadcastRun(scenario, 1, sockets, perSessionRate);
if (run.shard)
  throw new Error(
    'agents.ts creates its sessions in setup() on every instance, so it cannot be one shard of a test: run it unsharded (hubproof load --shard splits agents by session)',
  );
const api = `${trimSlash(target.nodes[0]!.http)}/api`;
const project = target.agents[0]?.projects?.[0] ?? 1;
const members = target.agents.filter((a) => !a.projects || a.projects.length === 0 || a.projects.includes(project));

const windowCount = (p: SendPlan, session: number): number => countFor(p.total, p.streams, session) - countFor(p.warm, p.streams, session);
let expectedCreates = 0;
let expectedResolved = 0;
for (let s = 0; s < SESSIONS; s++) {
  expectedCreates += (windowCount(todoPlan, s) + 2 * windowCount(burstPlan, s)) * PARTICIPANTS;
  expectedResolved += windowCount(burstPlan, s) * PARTICIPANTS;
}

export const options = k6Options({
  s: scenario,
  hold: { name: 'subscribers', exec: 'subscribe', vus: run.vuPlan.vus },
  sends: [
    { name: 'bursts', exec: 'burst', rate: scenario.burstsPerS * SESSIONS },
    { name: 'todos', exec: 'todo', rate: scenario.todosPerS * SESSIONS },
    { name: 'heartbeats', exec: 'heartbeat', rate: scenario.rate },
  ],
  expectedDeliveries: expectedCreates + expectedResolved,
  expectedResolved,
});

interface SetupData {
  sessions: Array<{ id: number; participants: Array<{ id: number; token: string }> }>;
}

const headers = (token: string, idempotent = false): Record<string, string> => ({
  'content-type': 'application/json',
  authorization: `Bearer ${token}`,
  ...(idempotent
    ? { 'idempotency-key': `${exec.vu.idInTest}-${exec.scenario.iterationInTest}-${Math.random().toString(36).slice(2)}` }
    : {}),
});

function postJson(path: string, token: string, body: unknown): Record<string, unknown> {
  const r = http.post(`${api}${path}`, JSON.stringify(body), { headers: headers(token), tags: { name: path.replace(/\d+/g, ':id') } });
  if (r.status < 200 || r.status >= 300) throw new Error(`POST ${path} → ${r.status} ${String(r.body).slice(0, 200)}`);
  return JSON.parse(String(r.body)) as Record<string, unknown>;
}

export function setup(): SetupData {
  if (members.length === 0) throw new Error('the target file needs agent tokens for the agents scenario');
  const runId = Date.now() % 1_000_000;
  const sessions: SetupData['sessions'] = [];
  for (let k = 0; k < SESSIONS; k++) {
    const s = postJson('/sessions', members[0]!.token, {
      project_id: project,
      issue_id: runId * 100 + k + 1,
      coordinator_type: 'hubproof-k6',
    });
    const participants: Array<{ id: number; token: string }> = [];
    for (let p = 0; p < PARTICIPANTS; p++) {
      const token = members[p % members.length]!.token;
      participants.push({
        id: postJson(`/sessions/${s.session_id}/participants`, token, { agent_type: `k6-agent-${p}` }).participant_id as number,
        token,
      });
    }
    sessions.push({ id: s.session_id as number, participants });
  }
  return { sessions };
}

export function subscribe(data: SetupData): void {
  const mine = mySockets(run);
  const sessionOf = mine.map((i) => Math.floor(i / PARTICIPANTS));
  const propagation = new LatencyRecorder(m.propagation, scenario.thresholds.p99Ms);
  const resolution = new LatencyRecorder(m.conflictResolution, scenario.thresholds.conflictP99Ms);
  const dup = new Tally(m.duplicated);
  const ooo = new Tally(m.outOfOrder);
  const unexpected = new Tally(m.unexpected);
  const created = mine.map(() => [todoPlan, burstPlan, burstPlan].map((p) => new SeqBitmap(p.total + 1)));
  const resolved = mine.map(() => new SeqBitmap(burstPlan.total + 1));
  const hubSeq = mine.map(() => new SeqBitmap(16 * (todoPlan.total + 3 * burstPlan.total + heartbeatPlan.total) + 4096));
  /** Per socket: todo id → [burst iteration, the create's send time ms]. */
  const todos = mine.map(() => new Map<number, [number, number]>());
  for (let k = 0; k < mine.length; k++) {
    m.expected.add(windowCount(todoPlan, sessionOf[k]!) + 3 * windowCount(burstPlan, sessionOf[k]!));
    m.resolvedExpected.add(windowCount(burstPlan, sessionOf[k]!));
  }
  const mk: Marker = { stream: 0, seq: 0, scheduledUs: 0, after: 0 };
  const inWindowOf = (p: SendPlan, seq: number, session: number): boolean => seq - 1 >= p.warm && (seq - 1) % p.streams === session;
  holdSockets(
    target,
    mine.map((i) => ({ url: connectionUrl(target), channel: `private-session.${data.sessions[Math.floor(i / PARTICIPANTS)]!.id}` })),
    {
      ...run.hold,
      plan: undefined,
      onOther: (text, k, now) => {
        const frame = JSON.parse(text) as { event?: string; data?: string };
        if (!frame.event || !frame.event.startsWith('App\\Events\\') || typeof frame.data !== 'string') return;
        const d = JSON.parse(frame.data) as Record<string, any>;
        if (typeof d.seq === 'number') {
          const arrival = hubSeq[k]!.record(d.seq);
          if (arrival === 'duplicate') return void dup.n++;
          if (arrival === 'out-of-order') ooo.n++;
        }
        const session = sessionOf[k]!;
        if (frame.event.endsWith('AgentTodoChanged') && d.change === 'created') {
          if (!readMarker(String(d.todo?.description ?? ''), mk) || mk.stream > BURST_SECOND) return;
          const p = mk.stream === TODO ? todoPlan : burstPlan;
          if ((mk.seq - 1) % p.streams !== session) return void unexpected.n++;
          if (mk.stream !== TODO) todos[k]!.set(Number(d.todo.todo_id), [mk.seq, mk.scheduledUs / 1000]);
          if (created[k]![mk.stream]!.record(mk.seq) !== 'new' || !inWindowOf(p, mk.seq, session)) return;
          propagation.add(now - mk.scheduledUs / 1000);
        } else if (frame.event.endsWith('AgentConflictResolved')) {
          const kept = todos[k]!.get(Number(d.kept_todo_id));
          const cancelled = todos[k]!.get(Number(d.cancelled_todo_id));
          const burstSeq = kept?.[0] ?? cancelled?.[0];
          if (burstSeq === undefined || resolved[k]!.record(burstSeq) !== 'new' || !inWindowOf(burstPlan, burstSeq, session)) return;
          resolution.add(now - Math.max(kept?.[1] ?? 0, cancelled?.[1] ?? 0));
        }
      },
      onFlush: () => {
        propagation.flush();
        resolution.flush();
        dup.flush();
        ooo.flush();
        unexpected.flush();
      },
      onEnd: () => {
        let got = 0;
        let want = 0;
        let gotResolved = 0;
        for (let k = 0; k < mine.length; k++) {
          const s = sessionOf[k]!;
          const [todo, first, second] = created[k]!;
          const range = (p: SendPlan): [number, number] => [p.warm + 1, p.total];
          const count = (b: SeqBitmap, p: SendPlan): number => b.countIn(...range(p));
          got += count(todo!, todoPlan) + count(first!, burstPlan) + count(second!, burstPlan);
          gotResolved += count(resolved[k]!, burstPlan);
          want += windowCount(todoPlan, s) + 3 * windowCount(burstPlan, s);
        }
        m.received.add(got + gotResolved);
        m.lost.add(Math.max(0, want - got - gotResolved));
        m.resolvedReceived.add(gotResolved);
        propagation.finish();
        resolution.finish();
      },
    },
  );
}

function create(token: string, sessionId: number, title: string, description: string): void {
  const r = http.post(`${api}/sessions/${sessionId}/todos`, JSON.stringify({ title, description }), {
    headers: headers(token, true),
    tags: { name: 'create todo' },
  });
  if (r.status < 200 || r.status >= 300) m.publishErrors.add(1);
}

export function todo(data: SetupData): void {
  const i = exec.scenario.iterationInTest;
  // k6 also starts the iteration due exactly at the end of the duration: not part of the schedule.
  if (i >= todoPlan.total) return;
  const s = data.sessions[i % SESSIONS]!;
  if (i >= todoPlan.warm) m.sent.add(1);
  create(
    s.participants[0]!.token,
    s.id,
    `load task ${Math.random().toString(36).slice(2, 14)}`,
    `plain todo ${encodeMarker(TODO, i + 1, Date.now() * 1000, 0)}`,
  );
}

export function burst(data: SetupData): void {
  const i = exec.scenario.iterationInTest;
  if (i >= burstPlan.total) return;
  const s = data.sessions[i % SESSIONS]!;
  const stem = `burst ${Math.random().toString(36).slice(2, 14)} fix the login flow`;
  if (i >= burstPlan.warm) {
    m.sent.add(2);
    m.bursts.add(1);
  }
  create(s.participants[0]!.token, s.id, stem, `short ${encodeMarker(BURST_FIRST, i + 1, Date.now() * 1000, 0)}`);
  create(
    s.participants[0]!.token,
    s.id,
    `${stem}s`,
    `a longer description that wins the conflict ${encodeMarker(BURST_SECOND, i + 1, Date.now() * 1000, 0)}`,
  );
}

export function heartbeat(data: SetupData): void {
  const i = exec.scenario.iterationInTest;
  if (i >= heartbeatPlan.total) return;
  const s = data.sessions[i % SESSIONS]!;
  const p = s.participants[Math.floor(i / SESSIONS) % s.participants.length]!;
  const r = http.post(`${api}/sessions/${s.id}/participants/${p.id}/heartbeat`, null, {
    headers: headers(p.token),
    tags: { name: 'heartbeat' },
  });
  if ((r.status < 200 || r.status >= 300) && i >= heartbeatPlan.warm) m.publishErrors.add(1);
}

export function handleSummary(data: SummaryData): Record<string, string> {
  return summaryOutputs(data, target, {
    scenario,
    subscribers: sockets,
    vuPlan: run.vuPlan,
    maxLagMs: settings.maxLagMs,
    conflicts: true,
    notes: ['propagation = create request → AgentTodoChanged at every session subscriber; reach counts those and AgentConflictResolved'],
  });
}
