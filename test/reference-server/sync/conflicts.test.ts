import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Participant, Session, SYNC_EVENTS, syncEventFromWire, Todo } from '../../../spec/schemas/sync.ts';
import { titleSimilarity } from '../../../spec/protocol/conflicts.ts';
import { BACKEND, call, FRONTEND, PusherTestClient, removeDir, startTestHub, type TestHub } from './helpers.ts';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub({ timings: { heartbeatTimeoutMs: 600_000 } });
});
afterAll(async () => {
  await t.close();
  removeDir(t.dataDir);
});

/** A session with a backend-architect (BACKEND) and a database-architect (FRONTEND) and a subscriber. */
async function setup() {
  const s = Session.parse(
    (await call(t.hub, 'POST', '/api/sessions', { body: { project_id: 1, issue_id: 9, coordinator_type: 'hybrid' } })).body,
  );
  Participant.parse(
    (await call(t.hub, 'POST', `/api/sessions/${s.session_id}/participants`, { body: { agent_type: 'backend-architect' } })).body,
  );
  Participant.parse(
    (
      await call(t.hub, 'POST', `/api/sessions/${s.session_id}/participants`, {
        token: FRONTEND,
        body: { agent_type: 'database-architect' },
      })
    ).body,
  );
  const client = await PusherTestClient.connect(t.hub);
  await client.subscribe(`private-session.${s.session_id}`);
  const todo = async (token: string, title: string, description: string) => {
    const res = await call(t.hub, 'POST', `/api/sessions/${s.session_id}/todos`, { token, body: { title, description } });
    expect(res.status, res.text).toBe(201);
    return Todo.parse(res.body);
  };
  return { s, client, todo };
}

const names = (events: { event: string }[]) => events.map((e) => syncEventFromWire(e.event));

describe('duplicate todos', () => {
  it('emits created, Detected, cancelled, Resolved in order and keeps the more detailed todo', async () => {
    const { s, client, todo } = await setup();
    try {
      const first = await todo(BACKEND, 'Create user model', 'short');
      const second = await todo(FRONTEND, 'Create User model', 'a much longer description of the model');
      const events = await client.waitEvents(5, (e) => e.event.includes('Todo') || e.event.includes('Conflict'));
      expect(names(events)).toEqual([
        'AgentTodoChanged',
        'AgentTodoChanged',
        'AgentConflictDetected',
        'AgentTodoChanged',
        'AgentConflictResolved',
      ]);
      const detected = SYNC_EVENTS.AgentConflictDetected.parse(events[2]!.data);
      expect(detected).toMatchObject({
        conflict_type: 'duplicate_todo',
        session_id: s.session_id,
        first_agent: 'backend-architect',
        second_agent: 'database-architect',
        details: { todo1_id: first.todo_id, todo2_id: second.todo_id, similarity: 1 },
      });
      const cancelled = SYNC_EVENTS.AgentTodoChanged.parse(events[3]!.data);
      expect(cancelled.change).toBe('cancelled');
      expect(cancelled.todo.todo_id).toBe(first.todo_id);
      const resolved = SYNC_EVENTS.AgentConflictResolved.parse(events[4]!.data);
      expect(resolved).toMatchObject({
        conflict_id: detected.conflict_id,
        kept_todo_id: second.todo_id,
        cancelled_todo_id: first.todo_id,
        strategy: 'keep_more_detailed',
      });
      // Resolution reached the subscriber promptly (generous bound: the machine is shared).
      expect(events[4]!.at - events[1]!.at).toBeLessThan(2_000);
      const seqs = client.events.filter((e) => e.channel === `private-session.${s.session_id}`).map((e) => e.data.seq);
      // The subscriber joined after the two AgentParticipantJoined events (seq 1, 2).
      expect(seqs).toEqual([3, 4, 5, 6, 7]);
      const todos = (await call(t.hub, 'GET', `/api/sessions/${s.session_id}/todos`)).body.todos as { todo_id: number; status: string }[];
      expect(todos.find((x) => x.todo_id === first.todo_id)!.status).toBe('cancelled');
      expect(todos.find((x) => x.todo_id === second.todo_id)!.status).toBe('open');
    } finally {
      client.close();
    }
  });

  it('keeps the earlier todo on a description tie and answers the create with the cancelled todo', async () => {
    const { client, todo } = await setup();
    try {
      const first = await todo(BACKEND, 'Add login rate limiting', 'same');
      const second = await todo(BACKEND, 'add login rate-limiting!', '  same  ');
      expect(second.status).toBe('cancelled');
      const resolved = (await client.waitEvents(1, (e) => e.event.endsWith('AgentConflictResolved')))[0]!;
      expect(resolved.data).toMatchObject({ kept_todo_id: first.todo_id, cancelled_todo_id: second.todo_id });
      const detected = client.events.find((e) => e.event.endsWith('AgentConflictDetected'))!;
      expect(detected.data.first_agent).toBe('backend-architect');
      expect(detected.data.second_agent).toBe('backend-architect');
    } finally {
      client.close();
    }
  });

  it('does not flag titles below the threshold, nor todos that are no longer open', async () => {
    const { s, todo } = await setup();
    expect(titleSimilarity('Create user model', 'Create order model')).toBeLessThan(0.85);
    await todo(BACKEND, 'Create user model', '');
    await todo(BACKEND, 'Create order model', '');
    const done = await todo(BACKEND, 'Write API docs', '');
    await call(t.hub, 'PATCH', `/api/sessions/${s.session_id}/todos/${done.todo_id}`, { body: { status: 'done', expected_version: 1 } });
    await todo(FRONTEND, 'Write API docs', 'again');
    const history = (await call(t.hub, 'GET', `/api/channels/private-session.${s.session_id}/events`)).body.events as { event: string }[];
    expect(history.filter((e) => e.event.includes('Conflict'))).toHaveLength(0);
  });

  it('uses the agent identifier when the creator has no participant in the session', async () => {
    const s = Session.parse(
      (await call(t.hub, 'POST', '/api/sessions', { body: { project_id: 2, issue_id: 3, coordinator_type: 'solo' } })).body,
    );
    await call(t.hub, 'POST', `/api/sessions/${s.session_id}/todos`, { body: { title: 'Ship it', description: 'x' } });
    await call(t.hub, 'POST', `/api/sessions/${s.session_id}/todos`, { token: FRONTEND, body: { title: 'ship it', description: '' } });
    await call(t.hub, 'POST', `/api/sessions/${s.session_id}/participants`, { body: { agent_type: 'reader' } });
    const history = (await call(t.hub, 'GET', `/api/channels/private-session.${s.session_id}/events`)).body.events as {
      event: string;
      data: any;
    }[];
    const detected = history.find((e) => e.event.endsWith('AgentConflictDetected'))!;
    expect(detected.data.first_agent).toBe('claude-backend-001');
    expect(detected.data.second_agent).toBe('claude-frontend-002');
  });
});

describe('concurrent updates', () => {
  it('answers a stale expected_version with 409 version_conflict and a first_writer_wins conflict', async () => {
    const { s, client, todo } = await setup();
    try {
      const item = await todo(BACKEND, 'Migrate the sessions table', '');
      const path = `/api/sessions/${s.session_id}/todos/${item.todo_id}`;
      const win = await call(t.hub, 'PATCH', path, { body: { description: 'backend edit', expected_version: 1 } });
      expect(win.status).toBe(200);
      expect(Todo.parse(win.body).version).toBe(2);
      const lose = await call(t.hub, 'PATCH', path, { token: FRONTEND, body: { description: 'db edit', expected_version: 1 } });
      expect(lose.status).toBe(409);
      expect(lose.body.error.code).toBe('version_conflict');
      expect(typeof lose.body.conflict_id).toBe('number');
      const [detected, resolved] = await client.waitEvents(2, (e) => e.event.includes('Conflict'));
      expect(SYNC_EVENTS.AgentConflictDetected.parse(detected!.data)).toMatchObject({
        conflict_id: lose.body.conflict_id,
        conflict_type: 'concurrent_update',
        first_agent: 'backend-architect',
        second_agent: 'database-architect',
        details: { todo_id: item.todo_id, expected_version: 1, actual_version: 2 },
      });
      expect(SYNC_EVENTS.AgentConflictResolved.parse(resolved!.data)).toMatchObject({
        conflict_id: lose.body.conflict_id,
        kept_todo_id: item.todo_id,
        cancelled_todo_id: null,
        strategy: 'first_writer_wins',
      });
      const now = (await call(t.hub, 'GET', `/api/sessions/${s.session_id}/todos`)).body.todos.find(
        (x: { todo_id: number }) => x.todo_id === item.todo_id,
      );
      expect(now.description).toBe('backend edit');
    } finally {
      client.close();
    }
  });

  it('emits AgentTodoChanged updated or cancelled for accepted PATCHes and 404 for a todo of another session', async () => {
    const { s, client, todo } = await setup();
    try {
      const item = await todo(BACKEND, 'Refactor auth middleware', '');
      const path = `/api/sessions/${s.session_id}/todos/${item.todo_id}`;
      await call(t.hub, 'PATCH', path, { body: { title: 'Refactor the auth middleware', expected_version: 1 } });
      await call(t.hub, 'PATCH', path, { body: { status: 'cancelled', expected_version: 2 } });
      const changes = await client.waitEvents(3, (e) => e.event.endsWith('AgentTodoChanged'));
      expect(changes.map((e) => e.data.change)).toEqual(['created', 'updated', 'cancelled']);
      expect(changes[2]!.data.todo.version).toBe(3);
      const other = await setup();
      other.client.close();
      const res = await call(t.hub, 'PATCH', `/api/sessions/${other.s.session_id}/todos/${item.todo_id}`, {
        body: { status: 'done', expected_version: 3 },
      });
      expect(res.status).toBe(404);
    } finally {
      client.close();
    }
  });
});
