import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryPage, Session, Todo } from '../../../spec/schemas/sync.ts';
import { call, FRONTEND, removeDir, startTestHub, type TestHub } from './helpers.ts';

let t: TestHub;
let sessionId: number;
beforeAll(async () => {
  t = await startTestHub({ timings: { heartbeatTimeoutMs: 600_000 } });
  sessionId = Session.parse(
    (await call(t.hub, 'POST', '/api/sessions', { body: { project_id: 1, issue_id: 1, coordinator_type: 'hybrid' } })).body,
  ).session_id;
  await call(t.hub, 'POST', `/api/sessions/${sessionId}/participants`, { body: { agent_type: 'backend-architect' } });
});
afterAll(async () => {
  await t.close();
  removeDir(t.dataDir);
});

const history = async () =>
  HistoryPage.parse((await call(t.hub, 'GET', `/api/channels/private-session.${sessionId}/events?limit=1000`)).body).events;

describe('Idempotency-Key', () => {
  it('replays the same status and body for the same key and body, emitting nothing new', async () => {
    const before = (await history()).length;
    const send = () =>
      call(t.hub, 'POST', `/api/sessions/${sessionId}/todos`, {
        headers: { 'idempotency-key': 'k-1' },
        body: { title: 'Write the migration', description: 'd' },
      });
    const first = await send();
    const second = await send();
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    Todo.parse(first.body);
    // Key order in the JSON body does not make it another request.
    const reordered = await call(t.hub, 'POST', `/api/sessions/${sessionId}/todos`, {
      headers: { 'idempotency-key': 'k-1' },
      body: '{"description":"d","title":"Write the migration"}',
    });
    expect(reordered.body).toEqual(first.body);
    const after = await history();
    expect(after.length).toBe(before + 1);
    const todos = (await call(t.hub, 'GET', `/api/sessions/${sessionId}/todos`)).body.todos;
    expect(todos.filter((x: { title: string }) => x.title === 'Write the migration')).toHaveLength(1);
  });

  it('answers 422 idempotency_key_reused for the same key with another body', async () => {
    const path = `/api/sessions/${sessionId}/todos`;
    expect(
      (await call(t.hub, 'POST', path, { headers: { 'idempotency-key': 'k-2' }, body: { title: 'Index the users table' } })).status,
    ).toBe(201);
    const reuse = await call(t.hub, 'POST', path, { headers: { 'idempotency-key': 'k-2' }, body: { title: 'Something else entirely' } });
    expect(reuse.status).toBe(422);
    expect(reuse.body.error.code).toBe('idempotency_key_reused');
  });

  it('scopes keys per agent', async () => {
    await call(t.hub, 'POST', `/api/sessions/${sessionId}/participants`, { token: FRONTEND, body: { agent_type: 'frontend-developer' } });
    const body = { title: 'Render the dashboard grid', description: '' };
    const a = await call(t.hub, 'POST', `/api/sessions/${sessionId}/todos`, { headers: { 'idempotency-key': 'shared' }, body });
    const b = await call(t.hub, 'POST', `/api/sessions/${sessionId}/todos`, {
      token: FRONTEND,
      headers: { 'idempotency-key': 'shared' },
      body: { title: 'Unrelated ops task zz' },
    });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.todo_id).not.toBe(a.body.todo_id);
  });

  it('replays a session create and a PATCH, including a 409 version_conflict, without new events', async () => {
    const sessionBody = { project_id: 1, issue_id: 55, coordinator_type: 'hybrid' };
    const s1 = await call(t.hub, 'POST', '/api/sessions', { headers: { 'idempotency-key': 'sess-1' }, body: sessionBody });
    const s2 = await call(t.hub, 'POST', '/api/sessions', { headers: { 'idempotency-key': 'sess-1' }, body: sessionBody });
    expect(s2.status).toBe(201);
    expect(s2.body).toEqual(s1.body);

    const todo = Todo.parse(
      (await call(t.hub, 'POST', `/api/sessions/${sessionId}/todos`, { body: { title: 'Tune the connection pool' } })).body,
    );
    const path = `/api/sessions/${sessionId}/todos/${todo.todo_id}`;
    const ok = await call(t.hub, 'PATCH', path, { headers: { 'idempotency-key': 'p-1' }, body: { status: 'done', expected_version: 1 } });
    expect(ok.status).toBe(200);
    const before = (await history()).length;
    const replay = await call(t.hub, 'PATCH', path, {
      headers: { 'idempotency-key': 'p-1' },
      body: { status: 'done', expected_version: 1 },
    });
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(ok.body);
    const stale = await call(t.hub, 'PATCH', path, {
      headers: { 'idempotency-key': 'p-2' },
      body: { title: 'x y z', expected_version: 1 },
    });
    const staleAgain = await call(t.hub, 'PATCH', path, {
      headers: { 'idempotency-key': 'p-2' },
      body: { title: 'x y z', expected_version: 1 },
    });
    expect(stale.status).toBe(409);
    expect(staleAgain.status).toBe(409);
    expect(staleAgain.body).toEqual(stale.body);
    // One conflict (Detected + Resolved) for the two identical stale PATCHes.
    expect((await history()).length).toBe(before + 2);
  });

  it('rejects a malformed key with 400', async () => {
    const res = await call(t.hub, 'POST', `/api/sessions/${sessionId}/todos`, {
      headers: { 'idempotency-key': 'has space' },
      body: { title: 'Anything at all here' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
  });
});
