import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { signChannelAuth } from '../../../spec/protocol/index.ts';
import { SYNC_API_ADVERTISED } from '../../../conformance/client/agent-cases/index.ts';
import { ScriptedSyncApi } from '../../../conformance/client/sync-api/sync-api.ts';
import type { HubInfo } from '../../../spec/schemas/sync.ts';
import { SCRIPTED_TOKEN, SESSION_CHANNEL } from '../../../conformance/client/sync-api/sync-routes.ts';

const controller = new AbortController();
let api: ScriptedSyncApi | undefined;
afterEach(async () => {
  await api?.close();
});

const start = async () => {
  const t0 = performance.now();
  api = await ScriptedSyncApi.start({ now: () => performance.now() - t0, log: () => undefined, signal: controller.signal });
  return api;
};
/** Polls: the test's own frames do not notify the API's waiters. */
async function poll<T>(check: () => T | undefined, ms = 2000): Promise<T | undefined> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 10))) {
    const v = check();
    if (v) return v;
  }
  return undefined;
}
const call = (a: ScriptedSyncApi, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  fetch(`${a.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${SCRIPTED_TOKEN}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe('scripted sync API', () => {
  it('advertises what a sync-client report shows as its hub and timings: GET /api/hub and the connection’s activity_timeout', async () => {
    const a = await start();
    const info = (await (await call(a, 'GET', '/api/hub')).json()) as HubInfo;
    expect(info).toEqual(SYNC_API_ADVERTISED.hub);
    const ws = new WebSocket(`ws://127.0.0.1:${a.port}/app/${a.app.key}?protocol=7`);
    const first = await new Promise<{ data: string }>((resolve) => ws.once('message', (m) => resolve(JSON.parse(m.toString()))));
    ws.close();
    expect(JSON.parse(first.data).activity_timeout).toBe(SYNC_API_ADVERTISED.timings.activityTimeoutS);
    expect(SYNC_API_ADVERTISED.timings).toMatchObject({ heartbeatTimeoutMs: info.timings.heartbeat_timeout_ms, pongTimeoutMs: 30_000 });
  });

  it('answers a join, records it, and keeps the join event as history', async () => {
    const a = await start();
    const r = await call(a, 'POST', '/api/sessions/1/participants', { agent_type: 'backend' });
    expect(r.status).toBe(201);
    expect(((await r.json()) as { participant_id: number }).participant_id).toBe(1);
    expect(a.of('join')).toHaveLength(1);
    const h = await call(a, 'GET', `/api/channels/${SESSION_CHANNEL}/events?after_seq=0`);
    const page = (await h.json()) as { events: Array<{ event: string; seq: number }>; last_seq: number };
    expect(page.events.map((e) => [e.event, e.seq])).toEqual([['App\\Events\\AgentParticipantJoined', 1]]);
  });

  it('answers the next N requests of a route with 5xx, then normally', async () => {
    const a = await start();
    a.fail('join', 2, 503);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(a, 'POST', '/api/sessions/1/participants', { agent_type: 'x' })).status);
    expect(statuses).toEqual([503, 503, 201]);
  });

  it('closes a refused request unanswered and counts it', async () => {
    const a = await start();
    a.refuse('create', 1);
    await expect(call(a, 'POST', '/api/sessions/1/todos', { title: 't' }, { 'idempotency-key': 'k1' })).rejects.toThrow();
    const ok = await call(a, 'POST', '/api/sessions/1/todos', { title: 't' }, { 'idempotency-key': 'k1' });
    expect(ok.status).toBe(201);
    expect(a.of('create').map((r) => r.outcome)).toEqual(['refused', 201]);
  });

  it('answers a repeated Idempotency-Key with the first answer and creates one todo', async () => {
    const a = await start();
    const first = await (await call(a, 'POST', '/api/sessions/1/todos', { title: 't' }, { 'idempotency-key': 'k' })).json();
    const again = await (await call(a, 'POST', '/api/sessions/1/todos', { title: 't' }, { 'idempotency-key': 'k' })).json();
    expect(again).toEqual(first);
    expect(a.stream.history.get(SESSION_CHANNEL)).toHaveLength(1);
    expect((await call(a, 'POST', '/api/sessions/1/todos', { title: 'u' }, { 'idempotency-key': 'k' })).status).toBe(422);
  });

  it('verifies a stream subscribe against the socket id and broadcasts with seq; a refused stream connection is counted', async () => {
    const a = await start();
    a.refuse('stream', 1);
    const failed = new WebSocket(`ws://127.0.0.1:${a.port}/app/${a.app.key}?protocol=7`);
    await new Promise((resolve) => failed.on('error', resolve));
    const ws = new WebSocket(`ws://127.0.0.1:${a.port}/app/${a.app.key}?protocol=7`);
    const frames: Array<{ event: string; data: string }> = [];
    ws.on('message', (m) => frames.push(JSON.parse(m.toString())));
    await poll(() => frames[0]);
    const socketId = (JSON.parse(frames[0]!.data) as { socket_id: string }).socket_id;
    ws.send(
      JSON.stringify({
        event: 'pusher:subscribe',
        data: { channel: SESSION_CHANNEL, auth: signChannelAuth(a.app, socketId, SESSION_CHANNEL) },
      }),
    );
    await poll(() => frames.find((f) => f.event === 'pusher_internal:subscription_succeeded'));
    a.broadcast('AgentSessionStarted', { session_id: 1, project_id: 1, issue_id: 1, coordinator_type: 'x', started_at: 'now' });
    const ev = await poll(() => frames.find((f) => f.event === 'App\\Events\\AgentSessionStarted'));
    expect((JSON.parse(ev!.data) as { seq: number }).seq).toBe(1);
    expect(a.of('stream').map((r) => r.outcome)).toEqual(['refused', 'accepted']);
    ws.close();
  });
});
