/**
 * The sync and agent-presence profiles on a two-node reference cluster: shared sessions, todos,
 * idempotency and event log, a gapless per-channel seq under concurrent writers on both nodes, stale
 * detection once per participant, dashboards fed from either node, and the sync/cluster conformance
 * cases passing against the cluster's two nodes.
 */
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConformance } from '../../../conformance/runner.ts';
import type { RunningHub } from '../../../reference-server/hub.ts';
import type { TestHub } from '../pusher/helpers.ts';
import { BACKEND, call, FAST_TIMINGS } from '../sync/helpers.ts';
import { NO_REDIS, sleep, startNodes, startRedisServer, uniquePrefix, until, type RedisServer } from './helpers.ts';

async function history(node: RunningHub, channel: string) {
  const res = await call(node, 'GET', `/api/channels/${channel}/events?after_seq=0&limit=1000`);
  expect(res.status).toBe(200);
  return res.body as { events: Array<{ seq: number; event_id: string; event: string; data: any }>; last_seq: number };
}

const timers: NodeJS.Timeout[] = [];

/** A session with a silent participant and a second one of the same agent that heartbeats (so the agent may read the channel). */
async function newSession(node: RunningHub, issue: number) {
  const session = await call(node, 'POST', '/api/sessions', { body: { project_id: 1, issue_id: issue, coordinator_type: 'hybrid' } });
  expect(session.status).toBe(201);
  const id = session.body.session_id as number;
  const join = async () => {
    const p = await call(node, 'POST', `/api/sessions/${id}/participants`, { body: { agent_type: 'writer' } });
    expect(p.status).toBe(201);
    return p.body.participant_id as number;
  };
  const silent = await join();
  const alive = await join();
  timers.push(
    setInterval(
      () => void call(node, 'POST', `/api/sessions/${id}/participants/${alive}/heartbeat`).catch(() => undefined),
      FAST_TIMINGS.heartbeatTimeoutMs / 4,
    ),
  );
  return { id, participant: silent, channel: `private-session.${id}` };
}

describe.skipIf(NO_REDIS !== undefined)(`sync and agent-presence across cluster nodes${NO_REDIS ? ` — skipped: ${NO_REDIS}` : ''}`, () => {
  let redis: RedisServer;
  let a: RunningHub;
  let b: RunningHub;

  beforeAll(async () => {
    redis = await startRedisServer();
    [a, b] = (await startNodes(2, redis.url, uniquePrefix('sync'), { timings: FAST_TIMINGS, limits: { maxDashboardsPerSession: 2 } })) as [
      TestHub,
      TestHub,
    ];
  });

  afterAll(async () => {
    for (const t of timers) clearInterval(t);
    await a?.close();
    await b?.close();
    await redis?.stop();
  });

  it('keeps each channel seq gapless and the history identical on both nodes under concurrent writers on both', async () => {
    const s = await newSession(a, 9101);
    const acked: number[] = [];
    const total = 60;
    let next = 0;
    const worker = async () => {
      while (next < total) {
        const i = next++;
        const res = await call(i % 2 ? b : a, 'POST', `/api/sessions/${s.id}/todos`, {
          body: { title: `task ${i} ${(i * 7919).toString(36)}`, description: 'x'.repeat(i % 3) },
        });
        expect(res.status).toBe(201);
        acked.push(res.body.todo_id);
      }
    };
    await Promise.all(Array.from({ length: 12 }, worker));
    const [ha, hb] = [await history(a, s.channel), await history(b, s.channel)];
    expect(ha.events.map((e) => e.seq)).toEqual(ha.events.map((_, i) => i + 1));
    expect(ha.last_seq).toBe(ha.events.length);
    // b is read after a: the session lives on (its silent participant goes stale after 2 s, which a slow
    // machine reaches during the writes), so b may hold later events; up to a's last seq the two agree.
    expect(hb.events.length).toBeGreaterThanOrEqual(ha.events.length);
    expect(hb.events.slice(0, ha.events.length).map((e) => `${e.seq}:${e.event_id}`)).toEqual(
      ha.events.map((e) => `${e.seq}:${e.event_id}`),
    );
    expect(hb.events.slice(ha.events.length).every((e) => e.data.change !== 'created')).toBe(true);
    expect(new Set(ha.events.map((e) => e.event_id)).size).toBe(ha.events.length);
    const created = new Set(ha.events.filter((e) => e.data.change === 'created').map((e) => e.data.todo.todo_id as number));
    expect(acked.filter((id) => !created.has(id))).toEqual([]);
    // The data each subscriber got says the same seq the log holds.
    expect(ha.events.every((e) => e.data.seq === e.seq)).toBe(true);
  });

  it('reports a silent participant stale once, not once per node', async () => {
    const s = await newSession(b, 9102);
    await until(async () => (await history(a, s.channel)).events.some((e) => e.data.reason === 'stale'), 10_000, 'the stale report');
    await sleep(FAST_TIMINGS.sweepIntervalMs * 5);
    const left = async (node: RunningHub) =>
      (await history(node, s.channel)).events.filter((e) => e.event.endsWith('AgentParticipantLeft'));
    const [onA, onB] = [await left(a), await left(b)];
    expect(onB.map((e) => `${e.data.participant_id} ${e.data.reason}`)).toEqual([`${s.participant} stale`]);
    // One report, the same event on both nodes (a node sweeping on its own would log its own).
    expect(onA.map((e) => `${e.seq} ${e.event_id}`)).toEqual(onB.map((e) => `${e.seq} ${e.event_id}`));
  });

  it('feeds a dashboard on one node with presence updates posted to the other, and counts dashboards per session cluster-wide', async () => {
    const open = (node: RunningHub) =>
      new Promise<{ ws: WebSocket; got: any[]; closed: Promise<number> }>((resolve, reject) => {
        const ws = new WebSocket(`${node.wsUrl}/ws/broadcasts?token=${BACKEND}&session_id=dash-1`);
        const got: any[] = [];
        const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
        ws.on('message', (d) => got.push(JSON.parse(String(d))));
        ws.on('open', () => resolve({ ws, got, closed }));
        ws.on('error', reject);
      });
    const first = await open(b);
    const second = await open(a);
    await sleep(200); // both registrations applied
    const third = await open(a);
    expect(await Promise.race([third.closed, sleep(3_000).then(() => 'still open')])).toBe(1013);
    const res = await call(a, 'POST', '/api/presence/agent-x/events', {
      body: { event_type: 'tool_execute', tool_name: 'Edit', session_id: 'dash-1', cost_tokens: 5 },
    });
    expect(res.status).toBe(200);
    await until(() => first.got.some((m) => m.agent_id === 'agent-x'), 5_000, "the update on the other node's dashboard");
    // Each node applies the update from the Redis log on its own; neither is bound to be first.
    await until(() => second.got.some((m) => m.agent_id === 'agent-x'), 5_000, "the update on the posting node's dashboard");
    first.ws.close();
    second.ws.close();
    await Promise.all([first.closed, second.closed]);
    // The same agent read through the other node: one state, cumulative counters.
    const again = await call(b, 'POST', '/api/presence/agent-x/events', {
      body: { event_type: 'tool_execute', tool_name: 'Read', session_id: 'dash-1', cost_tokens: 7 },
    });
    expect(again.body.presence.total_tools_executed).toBe(2);
    expect(again.body.presence.total_cost_tokens).toBe(12);
  });

  it('passes the sync/cluster conformance cases with the two nodes as the target', async () => {
    const target = { ...(a as unknown as { target(): any }).target(), nodes: [a.target().nodes[0]!, b.target().nodes[0]!] };
    const report = await runConformance({ target, selectors: ['sync/cluster'], progress: null, seed: 7, numRuns: 3 });
    expect(report.results.map((r) => `${r.id} ${r.outcome}`)).toEqual(report.results.map((r) => `${r.id} pass`));
    expect(report.results.length).toBeGreaterThanOrEqual(3);
  });
});
