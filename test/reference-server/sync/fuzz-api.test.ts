/**
 * Property tests of the sync and agent-presence HTTP API under random input: any method, path, headers
 * and body gets a documented status, an ErrorBody for every error, never a 500, and no stored event is
 * lost or changed. Replay a failure with HUBPROOF_SEED=<seed> (fast-check prints seed and path).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody } from '../../../spec/schemas/common.ts';
import { HistoryPage, Session, Todo } from '../../../spec/schemas/sync.ts';
import { BACKEND, call, FRONTEND, removeDir, SECURITY, startTestHub, type TestHub } from './helpers.ts';

const DOCUMENTED = new Set([200, 201, 204, 400, 401, 403, 404, 405, 409, 413, 415, 422]);

let t: TestHub;
let sessionId: number;
let todoId: number;
let channels: string[];
let stored: Map<string, unknown[]>;

beforeAll(async () => {
  t = await startTestHub({ limits: { maxBodyBytes: 4096, maxParticipants: 4 }, timings: { heartbeatTimeoutMs: 600_000 } });
  sessionId = Session.parse(
    (await call(t.hub, 'POST', '/api/sessions', { body: { project_id: 1, issue_id: 5, coordinator_type: 'hybrid' } })).body,
  ).session_id;
  await call(t.hub, 'POST', `/api/sessions/${sessionId}/participants`, { body: { agent_type: 'backend-architect' } });
  todoId = Todo.parse(
    (await call(t.hub, 'POST', `/api/sessions/${sessionId}/todos`, { body: { title: 'Seed todo', description: 'seed' } })).body,
  ).todo_id;
  channels = [`private-session.${sessionId}`, 'private-project.1', 'private-issue.5'];
  stored = new Map();
  for (const c of channels)
    stored.set(c, HistoryPage.parse((await call(t.hub, 'GET', `/api/channels/${c}/events?limit=1000`)).body).events);
});
afterAll(async () => {
  await t.close();
  removeDir(t.dataDir);
});

const id = fc.oneof(
  fc.constantFrom('1', '0', '-1', 'abc', '1.5', '99999999999999999999', '%20', '%E0%A4%A', '1e3'),
  fc.integer({ min: 1, max: 50 }).map(String),
  fc.string({ maxLength: 8 }).map((s) => encodeURIComponent(s) || 'x'),
);
const path = fc.oneof(
  fc.constant('/api/sessions'),
  id.map((i) => `/api/sessions/${i}`),
  id.map((i) => `/api/sessions/${i}/participants`),
  fc.tuple(id, id).map(([s, p]) => `/api/sessions/${s}/participants/${p}`),
  fc.tuple(id, id).map(([s, p]) => `/api/sessions/${s}/participants/${p}/heartbeat`),
  id.map((i) => `/api/sessions/${i}/todos`),
  fc.tuple(id, id).map(([s, x]) => `/api/sessions/${s}/todos/${x}`),
  fc.constant(`/api/sessions/SESSION/todos`),
  fc.constant(`/api/sessions/SESSION/todos/TODO`),
  fc.constant('/broadcasting/auth'),
  fc
    .tuple(fc.constantFrom('private-session.', 'private-project.', 'private-issue.', 'presence-', ''), id, fc.string({ maxLength: 12 }))
    .map(
      ([p, i, q]) =>
        `/api/channels/${encodeURIComponent(p + i)}/events?${new URLSearchParams({ after_seq: q, limit: q.length ? q : '5' })}`,
    ),
  fc.constant('/api/hub'),
  fc.constant('/api/presence'),
  id.map((i) => `/api/presence/${i}/events`),
  id.map((i) => `/api/broadcast/features/${i}/status`),
);
const jsonValue = fc.jsonValue({ maxDepth: 3 });
const fieldValue = fc.oneof(jsonValue, fc.string({ maxLength: 30 }), fc.integer(), fc.constant(null), fc.double());
const plausibleBody = fc.record(
  {
    project_id: fieldValue,
    issue_id: fieldValue,
    coordinator_type: fieldValue,
    agent_type: fieldValue,
    title: fieldValue,
    description: fieldValue,
    status: fc.oneof(fc.constantFrom('open', 'done', 'cancelled', 'nope'), fieldValue),
    expected_version: fc.oneof(fc.integer({ min: -1, max: 5 }), fieldValue),
    socket_id: fc.oneof(fc.constant('1.2'), fieldValue),
    channel_name: fc.oneof(fc.constantFrom('private-project.1', `private-session.1`), fieldValue),
    event_type: fc.oneof(fc.constant('tool_execute'), fieldValue),
    tool_name: fieldValue,
    session_id: fieldValue,
    cost_tokens: fieldValue,
    agent_id: fieldValue,
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  fc.constant(undefined),
  plausibleBody.map((b) => JSON.stringify(b)),
  jsonValue.map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 60 }),
  fc.constant('{"title":'),
  fc.constant('x'.repeat(5000)),
);
const headers = fc.record(
  {
    'content-type': fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/vnd.api+json',
      '',
    ),
    authorization: fc.constantFrom(
      `Bearer ${BACKEND}`,
      `Bearer ${FRONTEND}`,
      `Bearer ${SECURITY}`,
      'Bearer nope',
      'Basic abc',
      BACKEND,
      '',
    ),
    'idempotency-key': fc.oneof(fc.constantFrom('k1', 'k2', 'has space'), fc.string({ maxLength: 10 })),
  },
  { requiredKeys: [] },
);
const randomRequest = fc.record({ method: fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'PUT'), path, body, headers });
/** Well-formed requests, so the random ones also meet real state (todos, participants, conflicts). */
const goodHeaders = fc.record({
  'content-type': fc.constant('application/json'),
  authorization: fc.constantFrom(`Bearer ${BACKEND}`, `Bearer ${FRONTEND}`),
});
const title = fc
  .constantFrom('Create user model', 'create User model', 'Fix login', 'fix log-in', 'Write docs')
  .chain((base) => fc.string({ maxLength: 3 }).map((suffix) => base + suffix));
const wellFormed = fc.oneof(
  fc.record({
    method: fc.constant('POST'),
    path: fc.constant('/api/sessions/SESSION/todos'),
    headers: goodHeaders,
    body: fc.record({ title, description: fc.string({ maxLength: 20 }) }).map((b) => JSON.stringify(b)),
  }),
  fc.record({
    method: fc.constant('PATCH'),
    path: fc.constant('/api/sessions/SESSION/todos/TODO'),
    headers: goodHeaders,
    body: fc
      .record({ status: fc.constantFrom('open', 'done'), expected_version: fc.integer({ min: 1, max: 4 }) })
      .map((b) => JSON.stringify(b)),
  }),
  fc.record({
    method: fc.constant('POST'),
    path: fc.constant('/api/sessions/SESSION/participants'),
    headers: goodHeaders,
    body: fc.string({ minLength: 1, maxLength: 10 }).map((a) => JSON.stringify({ agent_type: a })),
  }),
  fc.record({
    method: fc.constant('DELETE'),
    path: fc.integer({ min: 1, max: 8 }).map((p) => `/api/sessions/SESSION/participants/${p}`),
    headers: goodHeaders,
    body: fc.constant(undefined),
  }),
);
const request = fc.oneof(randomRequest, wellFormed);

async function send(r: { method: string; path: string; body: string | undefined; headers: Record<string, string | undefined> }) {
  const hdrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers)) if (v !== undefined && /^[\x20-\x7e]*$/.test(v)) hdrs[k] = v;
  const p = r.path.replace('SESSION', String(sessionId)).replace('TODO', String(todoId));
  const res = await fetch(`${t.hub.httpUrl}${p}`, {
    method: r.method,
    headers: hdrs,
    body: r.method === 'GET' ? undefined : r.body,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  return { status: res.status, text };
}

describe('HTTP API under random input', () => {
  it('answers every request with a documented status and an ErrorBody for every error', async () => {
    const seen = new Set<number>();
    await fc.assert(
      fc.asyncProperty(fc.array(request, { minLength: 1, maxLength: 4 }), async (requests) => {
        for (const r of requests) {
          const res = await send(r);
          seen.add(res.status);
          expect(DOCUMENTED.has(res.status), `${r.method} ${r.path} → ${res.status} ${res.text.slice(0, 200)}`).toBe(true);
          if (res.status >= 400) expect(ErrorBody.safeParse(JSON.parse(res.text)).success, res.text).toBe(true);
        }
      }),
    );
    // The run reached real state, not just the input checks.
    expect([...seen].some((s) => s >= 200 && s < 300)).toBe(true);
  });

  it('still holds every previously stored event, unchanged and gapless, afterwards', async () => {
    // Random DELETEs may have removed every participant and random joins may have filled the session:
    // free it and join again, so the session channel is readable.
    const tokens: Record<string, string> = {
      'claude-backend-001': BACKEND,
      'claude-frontend-002': FRONTEND,
      'claude-security-003': SECURITY,
    };
    const list = (await call(t.hub, 'GET', `/api/sessions/${sessionId}/participants`)).body.participants as {
      participant_id: number;
      agent_identifier: string;
      status: string;
    }[];
    for (const p of list.filter((x) => x.status === 'active')) {
      await call(t.hub, 'DELETE', `/api/sessions/${sessionId}/participants/${p.participant_id}`, { token: tokens[p.agent_identifier]! });
    }
    expect((await call(t.hub, 'POST', `/api/sessions/${sessionId}/participants`, { body: { agent_type: 'auditor' } })).status).toBe(201);
    for (const c of channels) {
      const now = HistoryPage.parse((await call(t.hub, 'GET', `/api/channels/${c}/events?limit=1000`)).body).events;
      expect(now.slice(0, stored.get(c)!.length)).toEqual(stored.get(c));
      expect(now.map((e) => e.seq)).toEqual(now.map((_, i) => i + 1));
    }
  });
});
