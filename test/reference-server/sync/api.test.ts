import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody } from '../../../spec/schemas/common.ts';
import { HistoryPage, HubInfo, Participant, Session, SYNC_EVENTS, syncEventFromWire } from '../../../spec/schemas/sync.ts';
import { signChannelAuth } from '../../../spec/protocol/signing.ts';
import { BACKEND, call, FRONTEND, PusherTestClient, removeDir, SECURITY, startTestHub, type TestHub } from './helpers.ts';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub({
    limits: { maxParticipants: 3, historyPageMax: 50 },
    // Heartbeats are not under test here: keep participants from going stale mid-test.
    timings: { heartbeatTimeoutMs: 600_000 },
  });
});
afterAll(async () => {
  await t.close();
  removeDir(t.dataDir);
});

function expectError(res: { status: number; body: unknown }, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(ErrorBody.parse(res.body).error.code).toBe(code);
}

async function newSession(projectId = 1, issueId = 100 + Math.floor(Math.random() * 1e6)) {
  const res = await call(t.hub, 'POST', '/api/sessions', {
    body: { project_id: projectId, issue_id: issueId, coordinator_type: 'hybrid' },
  });
  expect(res.status, res.text).toBe(201);
  return Session.parse(res.body);
}

describe('GET /api/hub', () => {
  it('advertises the configured limits and timings without auth', async () => {
    const res = await call(t.hub, 'GET', '/api/hub', { token: null });
    expect(res.status).toBe(200);
    const info = HubInfo.parse(res.body);
    expect(info.spec_version).toBe('1.0');
    expect(info.profiles).toEqual(['pusher', 'sync', 'agent-presence']);
    expect(info.limits.max_participants).toBe(3);
    expect(info.limits.history_page_max).toBe(50);
    expect(info.timings.heartbeat_timeout_ms).toBe(600_000);
    expect(info.timings.conflict_threshold).toBe(0.85);
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('authentication and input errors', () => {
  it('answers 401 unauthenticated without a token or with an unknown one', async () => {
    expectError(
      await call(t.hub, 'POST', '/api/sessions', { token: null, body: { project_id: 1, issue_id: 1, coordinator_type: 'x' } }),
      401,
      'unauthenticated',
    );
    expectError(await call(t.hub, 'GET', '/api/sessions/1/todos', { token: 'not-a-token-at-all' }), 401, 'unauthenticated');
  });

  it('answers 400 invalid_json, 400 validation_failed naming the field, 415 for non-JSON', async () => {
    expectError(await call(t.hub, 'POST', '/api/sessions', { body: '{"project_id":' }), 400, 'invalid_json');
    const missing = await call(t.hub, 'POST', '/api/sessions', { body: { project_id: 1, issue_id: 2 } });
    expectError(missing, 400, 'validation_failed');
    expect(missing.body.error.message).toContain('coordinator_type');
    const wrongType = await call(t.hub, 'POST', '/api/sessions', { body: { project_id: 'one', issue_id: 2, coordinator_type: 'x' } });
    expectError(wrongType, 400, 'validation_failed');
    expect(wrongType.body.error.message).toContain('project_id');
    expectError(
      await call(t.hub, 'POST', '/api/sessions', { body: 'project_id=1', headers: { 'content-type': 'text/plain' } }),
      415,
      'unsupported_media_type',
    );
  });

  it('answers 413 for a body over limits.maxBodyBytes and 405 for a wrong method', async () => {
    const s = await newSession();
    const huge = JSON.stringify({ title: 'x', description: 'y'.repeat(300 * 1024) });
    expectError(await call(t.hub, 'POST', `/api/sessions/${s.session_id}/todos`, { body: huge }), 413, 'payload_too_large');
    expectError(await call(t.hub, 'PUT', '/api/sessions'), 405, 'method_not_allowed');
  });

  it('answers 404 not_found for unknown or malformed ids and 403 outside the agent projects', async () => {
    expectError(await call(t.hub, 'GET', '/api/sessions/999999/todos'), 404, 'not_found');
    expectError(await call(t.hub, 'GET', '/api/sessions/abc/todos'), 404, 'not_found');
    expectError(
      await call(t.hub, 'POST', '/api/sessions', { token: SECURITY, body: { project_id: 2, issue_id: 5, coordinator_type: 'x' } }),
      403,
      'forbidden',
    );
    const s = await newSession(2);
    expectError(
      await call(t.hub, 'POST', `/api/sessions/${s.session_id}/participants`, { token: SECURITY, body: { agent_type: 'sec' } }),
      403,
      'forbidden',
    );
  });
});

describe('sessions and participants', () => {
  it('emits AgentSessionStarted on the project and issue channels with one event_id', async () => {
    const s = await newSession(2, 777);
    const project = HistoryPage.parse((await call(t.hub, 'GET', '/api/channels/private-project.2/events')).body);
    const issue = HistoryPage.parse((await call(t.hub, 'GET', '/api/channels/private-issue.777/events')).body);
    const p = project.events.find((e) => e.data.session_id === s.session_id)!;
    const i = issue.events.find((e) => e.data.session_id === s.session_id)!;
    expect(p.event).toBe('App\\Events\\AgentSessionStarted');
    expect(p.event_id).toBe(i.event_id);
    const data = SYNC_EVENTS.AgentSessionStarted.parse(p.data);
    expect(data).toMatchObject({ project_id: 2, issue_id: 777, coordinator_type: 'hybrid', started_at: s.started_at });
  });

  it('joins, refuses the join past maxParticipants with 409 session_full, and frees a place on leave', async () => {
    const s = await newSession();
    const ids: number[] = [];
    for (const type of ['a', 'b', 'c']) {
      const res = await call(t.hub, 'POST', `/api/sessions/${s.session_id}/participants`, { body: { agent_type: type } });
      expect(res.status).toBe(201);
      ids.push(Participant.parse(res.body).participant_id);
    }
    expectError(
      await call(t.hub, 'POST', `/api/sessions/${s.session_id}/participants`, { body: { agent_type: 'd' } }),
      409,
      'session_full',
    );
    expect((await call(t.hub, 'DELETE', `/api/sessions/${s.session_id}/participants/${ids[0]}`)).status).toBe(204);
    expect((await call(t.hub, 'POST', `/api/sessions/${s.session_id}/participants`, { body: { agent_type: 'd' } })).status).toBe(201);

    const history = HistoryPage.parse((await call(t.hub, 'GET', `/api/channels/private-session.${s.session_id}/events`)).body);
    expect(history.events.map((e) => syncEventFromWire(e.event))).toEqual([
      'AgentParticipantJoined',
      'AgentParticipantJoined',
      'AgentParticipantJoined',
      'AgentParticipantLeft',
      'AgentParticipantJoined',
    ]);
    const left = SYNC_EVENTS.AgentParticipantLeft.parse(history.events[3]!.data);
    expect(left).toMatchObject({ participant_id: ids[0], reason: 'left', agent_type: 'a', agent_identifier: 'claude-backend-001' });
  });

  it('heartbeats with 204, refuses another agent participant with 403, and leaving twice emits once', async () => {
    const s = await newSession();
    const p = Participant.parse(
      (await call(t.hub, 'POST', `/api/sessions/${s.session_id}/participants`, { body: { agent_type: 'a' } })).body,
    );
    const base = `/api/sessions/${s.session_id}/participants/${p.participant_id}`;
    expect((await call(t.hub, 'POST', `${base}/heartbeat`)).status).toBe(204);
    expectError(await call(t.hub, 'POST', `${base}/heartbeat`, { token: FRONTEND }), 403, 'forbidden');
    expectError(await call(t.hub, 'POST', `/api/sessions/${s.session_id}/participants/987654/heartbeat`), 404, 'not_found');
    expect((await call(t.hub, 'DELETE', base)).status).toBe(204);
    expect((await call(t.hub, 'DELETE', base)).status).toBe(204);
    expectError(await call(t.hub, 'POST', `${base}/heartbeat`), 404, 'not_found');
    // History of a session channel is for its active participants: read it as another one.
    await call(t.hub, 'POST', `/api/sessions/${s.session_id}/participants`, { token: FRONTEND, body: { agent_type: 'observer' } });
    const history = HistoryPage.parse(
      (await call(t.hub, 'GET', `/api/channels/private-session.${s.session_id}/events`, { token: FRONTEND })).body,
    );
    expect(history.events.filter((e) => e.event.endsWith('AgentParticipantLeft'))).toHaveLength(1);
  });
});

describe('POST /broadcasting/auth', () => {
  const auth = (token: string | null, channel: string, socketId = '123.456', form = true) =>
    call(t.hub, 'POST', '/broadcasting/auth', {
      token,
      headers: { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json' },
      body: form
        ? new URLSearchParams({ socket_id: socketId, channel_name: channel }).toString()
        : JSON.stringify({ socket_id: socketId, channel_name: channel }),
    });

  it('signs a session channel only for its active participants', async () => {
    const s = await newSession();
    const channel = `private-session.${s.session_id}`;
    expectError(await auth(BACKEND, channel), 403, 'forbidden');
    const p = Participant.parse(
      (await call(t.hub, 'POST', `/api/sessions/${s.session_id}/participants`, { body: { agent_type: 'a' } })).body,
    );
    const ok = await auth(BACKEND, channel);
    expect(ok.status).toBe(200);
    expect(ok.body.auth).toBe(signChannelAuth(t.hub.config.app, '123.456', channel));
    expect((await auth(BACKEND, channel, '123.456', false)).body.auth).toBe(ok.body.auth);
    expectError(await auth(FRONTEND, channel), 403, 'forbidden');
    await call(t.hub, 'DELETE', `/api/sessions/${s.session_id}/participants/${p.participant_id}`);
    expectError(await auth(BACKEND, channel), 403, 'forbidden');
  });

  it('signs project channels of the agent scope and issue channels of its projects', async () => {
    expect((await auth(SECURITY, 'private-project.1')).status).toBe(200);
    expectError(await auth(SECURITY, 'private-project.2'), 403, 'forbidden');
    expect((await auth(SECURITY, 'private-issue.424242')).status).toBe(200);
    await newSession(2, 424242);
    expectError(await auth(SECURITY, 'private-issue.424242'), 403, 'forbidden');
    expect((await auth(FRONTEND, 'private-issue.424242')).status).toBe(200);
  });

  it('refuses other channels, bad socket ids and missing tokens', async () => {
    expectError(await auth(BACKEND, 'presence-session.1'), 403, 'forbidden');
    expectError(await auth(BACKEND, 'private-chat'), 403, 'forbidden');
    expectError(await auth(BACKEND, 'public-news'), 403, 'forbidden');
    expectError(await auth(BACKEND, 'private-project.1', 'nope'), 400, 'validation_failed');
    expectError(await auth(null, 'private-project.1'), 401, 'unauthenticated');
  });

  it('lets a real Pusher client subscribe with the signature it returns', async () => {
    const client = await PusherTestClient.connect(t.hub);
    try {
      await client.subscribe('private-project.1');
      const s = await newSession(1, 31337);
      const [e] = await client.waitEvents(1, (ev) => ev.data.session_id === s.session_id);
      expect(e!.event).toBe('App\\Events\\AgentSessionStarted');
      SYNC_EVENTS.AgentSessionStarted.parse(e!.data);
    } finally {
      client.close();
    }
  });
});

describe('GET /api/channels/{channel}/events', () => {
  it('pages by after_seq and limit, with last_seq the channel head', async () => {
    const s = await newSession();
    await call(t.hub, 'POST', `/api/sessions/${s.session_id}/participants`, { body: { agent_type: 'a' } });
    for (let i = 0; i < 6; i++)
      await call(t.hub, 'POST', `/api/sessions/${s.session_id}/todos`, {
        body: { title: `task number ${i} ${'abcdefghij'[i]}${i * 7919}` },
      });
    const channel = `private-session.${s.session_id}`;
    const page = HistoryPage.parse((await call(t.hub, 'GET', `/api/channels/${channel}/events?after_seq=2&limit=3`)).body);
    expect(page.channel).toBe(channel);
    expect(page.events.map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(page.last_seq).toBe(7);
    for (const e of page.events) {
      expect(e.data.seq).toBe(e.seq);
      expect(e.data.event_id).toBe(e.event_id);
      SYNC_EVENTS[syncEventFromWire(e.event)!].parse(e.data);
    }
    const tail = HistoryPage.parse((await call(t.hub, 'GET', `/api/channels/${channel}/events?after_seq=7`)).body);
    expect(tail.events).toEqual([]);
  });

  it('rejects bad paging with 400 and foreign channels with 403', async () => {
    expectError(await call(t.hub, 'GET', '/api/channels/private-project.1/events?limit=51'), 400, 'validation_failed');
    expectError(await call(t.hub, 'GET', '/api/channels/private-project.1/events?limit=0'), 400, 'validation_failed');
    expectError(await call(t.hub, 'GET', '/api/channels/private-project.1/events?after_seq=-1'), 400, 'validation_failed');
    expectError(await call(t.hub, 'GET', '/api/channels/private-project.1/events?after_seq=abc'), 400, 'validation_failed');
    expectError(await call(t.hub, 'GET', '/api/channels/private-project.2/events', { token: SECURITY }), 403, 'forbidden');
    expectError(await call(t.hub, 'GET', '/api/channels/private-session.1/events', { token: SECURITY }), 403, 'forbidden');
  });
});
