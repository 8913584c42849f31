/**
 * Interop: an unchanged Laravel Echo client (pusher connector, pusher-js) against the reference hub.
 * `echo.private('session.42').listen('AgentParticipantJoined', …)` must work as in the source document:
 * Echo authorizes through POST /broadcasting/auth with the bearer token and maps its default namespace
 * `App.Events` to the wire name `App\Events\AgentParticipantJoined`.
 */
import Echo from 'laravel-echo';
import Pusher from 'pusher-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Participant, Session, SYNC_EVENTS } from '../../spec/schemas/sync.ts';
import { BACKEND, call, FRONTEND, removeDir, startTestHub, waitUntil, type TestHub } from '../reference-server/sync/helpers.ts';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub({ timings: { heartbeatTimeoutMs: 600_000 } });
});
afterAll(async () => {
  await t.close();
  removeDir(t.dataDir);
});

function echoFor(token: string): Echo<'pusher'> {
  return new Echo({
    broadcaster: 'pusher',
    key: t.hub.config.app.key,
    wsHost: '127.0.0.1',
    wsPort: t.hub.port,
    forceTLS: false,
    enabledTransports: ['ws'],
    cluster: 'mt1',
    authEndpoint: `${t.hub.httpUrl}/broadcasting/auth`,
    auth: { headers: { Authorization: `Bearer ${token}` } },
    Pusher,
  });
}

describe('laravel-echo with the pusher connector', () => {
  it('receives AgentParticipantJoined and AgentConflictDetected through echo.private(...).listen(...)', async () => {
    const s = Session.parse(
      (await call(t.hub, 'POST', '/api/sessions', { body: { project_id: 1, issue_id: 42, coordinator_type: 'hybrid' } })).body,
    );
    Participant.parse(
      (await call(t.hub, 'POST', `/api/sessions/${s.session_id}/participants`, { body: { agent_type: 'backend-architect' } })).body,
    );
    const echo = echoFor(BACKEND);
    const joined: unknown[] = [];
    const conflicts: unknown[] = [];
    let subscribed = false;
    try {
      echo
        .private(`session.${s.session_id}`)
        .subscribed(() => (subscribed = true))
        .listen('AgentParticipantJoined', (event: unknown) => joined.push(event))
        .listen('AgentConflictDetected', (event: unknown) => conflicts.push(event));
      await waitUntil(() => subscribed, 10_000, 'Echo subscription to the session channel');

      await call(t.hub, 'POST', `/api/sessions/${s.session_id}/participants`, {
        token: FRONTEND,
        body: { agent_type: 'database-architect' },
      });
      await waitUntil(() => joined.length === 1, 5_000, 'AgentParticipantJoined via Echo');
      const event = SYNC_EVENTS.AgentParticipantJoined.parse(joined[0]);
      expect(event).toMatchObject({ agent_type: 'database-architect', agent_identifier: 'claude-frontend-002', session_id: s.session_id });

      await call(t.hub, 'POST', `/api/sessions/${s.session_id}/todos`, { body: { title: 'Create user model', description: 'a' } });
      await call(t.hub, 'POST', `/api/sessions/${s.session_id}/todos`, {
        token: FRONTEND,
        body: { title: 'Create User model', description: 'ab' },
      });
      await waitUntil(() => conflicts.length === 1, 5_000, 'AgentConflictDetected via Echo');
      expect(SYNC_EVENTS.AgentConflictDetected.parse(conflicts[0])).toMatchObject({
        conflict_type: 'duplicate_todo',
        first_agent: 'backend-architect',
        second_agent: 'database-architect',
      });
    } finally {
      echo.disconnect();
    }
  });

  it('is refused the session channel by /broadcasting/auth when the agent is not a participant', async () => {
    const s = Session.parse(
      (await call(t.hub, 'POST', '/api/sessions', { body: { project_id: 1, issue_id: 43, coordinator_type: 'hybrid' } })).body,
    );
    const echo = echoFor(FRONTEND);
    let error: unknown;
    let subscribed = false;
    try {
      echo
        .private(`session.${s.session_id}`)
        .subscribed(() => (subscribed = true))
        .error((e: unknown) => (error = e));
      await waitUntil(() => error !== undefined, 10_000, 'subscription error');
      expect(subscribed).toBe(false);
      expect(JSON.stringify(error)).toContain('403');
    } finally {
      echo.disconnect();
    }
  });
});
