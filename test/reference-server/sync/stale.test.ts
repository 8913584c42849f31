import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Participant, Session, SYNC_EVENTS } from '../../../spec/schemas/sync.ts';
import { call, FAST_TIMINGS, FRONTEND, PusherTestClient, removeDir, startTestHub, type TestHub } from './helpers.ts';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
});
afterAll(async () => {
  await t.close();
  removeDir(t.dataDir);
});

describe('heartbeat sweeper', () => {
  it('marks a silent participant stale and broadcasts AgentParticipantLeft {reason:"stale"} within the grace bound', async () => {
    const s = Session.parse(
      (await call(t.hub, 'POST', '/api/sessions', { body: { project_id: 1, issue_id: 4, coordinator_type: 'hybrid' } })).body,
    );
    // The watcher keeps heartbeating so it stays a participant (and may keep its subscription).
    const watcher = Participant.parse(
      (await call(t.hub, 'POST', `/api/sessions/${s.session_id}/participants`, { token: FRONTEND, body: { agent_type: 'watcher' } })).body,
    );
    const client = await PusherTestClient.connect(t.hub);
    const beat = setInterval(
      () => void call(t.hub, 'POST', `/api/sessions/${s.session_id}/participants/${watcher.participant_id}/heartbeat`, { token: FRONTEND }),
      200,
    );
    try {
      await client.subscribe(`private-session.${s.session_id}`, FRONTEND);
      const silent = Participant.parse(
        (await call(t.hub, 'POST', `/api/sessions/${s.session_id}/participants`, { body: { agent_type: 'silent-one' } })).body,
      );
      const joinedAt = Date.parse(silent.last_heartbeat_at);
      const [left] = await client.waitEvents(1, (e) => e.event.endsWith('AgentParticipantLeft'), 10_000);
      const receivedAt = Date.now();
      const data = SYNC_EVENTS.AgentParticipantLeft.parse(left!.data);
      expect(data).toMatchObject({
        participant_id: silent.participant_id,
        reason: 'stale',
        agent_type: 'silent-one',
        agent_identifier: 'claude-backend-001',
      });
      // Not before the timeout, and within timeout + grace (plus slack for a shared machine).
      expect(Date.parse(data.emitted_at) - joinedAt).toBeGreaterThanOrEqual(FAST_TIMINGS.heartbeatTimeoutMs);
      expect(receivedAt - joinedAt).toBeLessThan(FAST_TIMINGS.heartbeatTimeoutMs + FAST_TIMINGS.staleGraceMs + 3_000);
      const list = (await call(t.hub, 'GET', `/api/sessions/${s.session_id}/participants`)).body.participants as {
        participant_id: number;
        status: string;
      }[];
      expect(list.find((p) => p.participant_id === silent.participant_id)!.status).toBe('stale');
      expect(list.find((p) => p.participant_id === watcher.participant_id)!.status).toBe('active');
      // A stale participant cannot heartbeat its way back; it must join again.
      const hb = await call(t.hub, 'POST', `/api/sessions/${s.session_id}/participants/${silent.participant_id}/heartbeat`);
      expect(hb.status).toBe(404);
      // Reported once only.
      await new Promise((r) => setTimeout(r, 400));
      expect(client.events.filter((e) => e.event.endsWith('AgentParticipantLeft'))).toHaveLength(1);
    } finally {
      clearInterval(beat);
      client.close();
    }
  });
});
