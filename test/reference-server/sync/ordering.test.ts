import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryPage, Session, SYNC_EVENTS, syncEventFromWire } from '../../../spec/schemas/sync.ts';
import { call, FRONTEND, PusherTestClient, removeDir, startTestHub, type TestHub } from './helpers.ts';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub({ timings: { heartbeatTimeoutMs: 600_000 } });
});
afterAll(async () => {
  await t.close();
  removeDir(t.dataDir);
});

async function allHistory(hub: TestHub['hub'], channel: string, token?: string) {
  return HistoryPage.parse((await call(hub, 'GET', `/api/channels/${channel}/events?limit=1000`, { token })).body);
}

describe('event envelope and ordering', () => {
  it('gives concurrent mutations gapless per-channel seq, delivered in seq order and stored once each', async () => {
    const s = Session.parse(
      (await call(t.hub, 'POST', '/api/sessions', { body: { project_id: 1, issue_id: 8, coordinator_type: 'hybrid' } })).body,
    );
    await call(t.hub, 'POST', `/api/sessions/${s.session_id}/participants`, { body: { agent_type: 'a' } });
    await call(t.hub, 'POST', `/api/sessions/${s.session_id}/participants`, { token: FRONTEND, body: { agent_type: 'b' } });
    const channel = `private-session.${s.session_id}`;
    const clients = await Promise.all([PusherTestClient.connect(t.hub), PusherTestClient.connect(t.hub)]);
    try {
      await clients[0]!.subscribe(channel);
      await clients[1]!.subscribe(channel, FRONTEND);
      const n = 40;
      // Distinct titles (some duplicates on purpose: conflicts add events mid-stream).
      const results = await Promise.all(
        Array.from({ length: n }, (_, i) =>
          call(t.hub, 'POST', `/api/sessions/${s.session_id}/todos`, {
            token: i % 2 ? FRONTEND : undefined,
            body: {
              title:
                i % 10 === 9
                  ? `item ${i - 1} ${String.fromCharCode(97 + ((i - 1) % 26)).repeat(3)}`
                  : `item ${i} ${String.fromCharCode(97 + (i % 26)).repeat(3)}`,
              description: 'x'.repeat(i % 3),
            },
          }),
        ),
      );
      expect(results.every((r) => r.status === 201)).toBe(true);
      const history = await allHistory(t.hub, channel);
      expect(history.events.map((e) => e.seq)).toEqual(history.events.map((_, i) => i + 1));
      expect(history.last_seq).toBe(history.events.length);
      expect(new Set(history.events.map((e) => e.event_id)).size).toBe(history.events.length);
      for (const e of history.events) SYNC_EVENTS[syncEventFromWire(e.event)!].parse(e.data);
      const conflicts = history.events.filter((e) => e.event.endsWith('AgentConflictDetected'));
      expect(conflicts.length).toBeGreaterThan(0);

      for (const client of clients) {
        const received = await client.waitEvents(history.events.length - 2, (e) => e.channel === channel, 10_000);
        const seqs = received.map((e) => e.data.seq as number);
        // Subscribed after the two joins: everything from seq 3 on, in order, no gap, no duplicate.
        expect(seqs).toEqual(history.events.slice(2).map((e) => e.seq));
        expect(received.map((e) => e.data.event_id)).toEqual(history.events.slice(2).map((e) => e.event_id));
      }
      // Causality: each conflict's todos were created before it; Detected precedes Resolved.
      for (const d of conflicts) {
        const r = history.events.find((e) => e.event.endsWith('AgentConflictResolved') && e.data.conflict_id === d.data.conflict_id)!;
        expect(r.seq).toBeGreaterThan(d.seq);
        const details = d.data.details as { todo1_id: number; todo2_id: number };
        for (const id of [details.todo1_id, details.todo2_id]) {
          const created = history.events.find((e) => e.data.change === 'created' && (e.data.todo as { todo_id: number }).todo_id === id)!;
          expect(created.seq).toBeLessThan(d.seq);
        }
      }
    } finally {
      for (const c of clients) c.close();
    }
  });

  it('keeps events and seq across a restart on the same data dir', async () => {
    const s = Session.parse(
      (await call(t.hub, 'POST', '/api/sessions', { body: { project_id: 2, issue_id: 12, coordinator_type: 'hybrid' } })).body,
    );
    await call(t.hub, 'POST', `/api/sessions/${s.session_id}/participants`, { body: { agent_type: 'a' } });
    await call(t.hub, 'POST', `/api/sessions/${s.session_id}/todos`, { body: { title: 'before restart' } });
    const channel = `private-session.${s.session_id}`;
    const before = await allHistory(t.hub, channel);
    t = await t.restart();
    const after = await allHistory(t.hub, channel);
    expect(after.events).toEqual(before.events);
    await call(t.hub, 'POST', `/api/sessions/${s.session_id}/todos`, { body: { title: 'after restart' } });
    const more = await allHistory(t.hub, channel);
    expect(more.events.map((e) => e.seq)).toEqual([1, 2, 3]);
    const issue = await allHistory(t.hub, 'private-issue.12');
    expect(issue.events.some((e) => e.data.session_id === s.session_id)).toBe(true);
  });
});
