import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { PresenceList, PresenceUpdate } from '../../../spec/schemas/agent-presence.ts';
import { ErrorBody } from '../../../spec/schemas/common.ts';
import { BACKEND, call, FAST_TIMINGS, removeDir, startTestHub, waitUntil, type TestHub } from '../sync/helpers.ts';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub({ limits: { maxDashboardsPerSession: 3 } });
});
afterAll(async () => {
  await t.close();
  removeDir(t.dataDir);
});

interface Dashboard {
  ws: WebSocket;
  messages: unknown[];
  closed: Promise<{ code: number; reason: string }>;
}

function dashboard(query: Record<string, string>): Promise<Dashboard> {
  const ws = new WebSocket(`${t.hub.wsUrl}/ws/broadcasts?${new URLSearchParams(query)}`);
  const messages: unknown[] = [];
  ws.on('message', (raw) => messages.push(JSON.parse(String(raw))));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('dashboard did not open within 5 s')), 5_000);
    ws.once('open', () => {
      clearTimeout(timer);
      resolve({ ws, messages, closed });
    });
    ws.once('error', reject);
  });
}

const toolEvent = (agentId: string, body: Record<string, unknown>) =>
  call(t.hub, 'POST', `/api/presence/${agentId}/events`, { body: { event_type: 'tool_execute', ...body } });

describe('dashboard stream', () => {
  it('closes a connection without a valid token with 1008 and a reason', async () => {
    for (const query of [{}, { token: 'wrong-token-xyz' }] as Record<string, string>[]) {
      const d = await dashboard(query);
      const { code, reason } = await d.closed;
      expect(code).toBe(1008);
      expect(reason).toMatch(/token/);
    }
  });

  it('broadcasts each tool event to every dashboard as a PresenceUpdate with per-session counters', async () => {
    const dashboards = await Promise.all([dashboard({ token: BACKEND, session_id: 'a' }), dashboard({ token: BACKEND, session_id: 'b' })]);
    try {
      const r1 = await toolEvent('claude-1', { tool_name: 'Bash', feature_id: 'feat-1', cost_tokens: 100, session_id: 'sess-1' });
      expect(r1.status).toBe(200);
      await toolEvent('claude-1', { tool_name: 'Read', cost_tokens: 50, session_id: 'sess-1' });
      const r3 = await toolEvent('claude-1', { tool_name: 'Write', cost_tokens: 7, session_id: 'sess-2' });
      expect(r3.body.presence).toMatchObject({
        total_tools_executed: 1,
        total_cost_tokens: 7,
        session_id: 'sess-2',
        current_feature_id: 'feat-1',
      });
      for (const d of dashboards) {
        await waitUntil(() => d.messages.length >= 3, 5_000, '3 presence updates');
        const updates = d.messages.map((m) => PresenceUpdate.parse(m));
        expect(
          updates.map((u) => [u.event_type, u.presence.last_tool_name, u.presence.total_tools_executed, u.presence.total_cost_tokens]),
        ).toEqual([
          ['tool_execute', 'Bash', 1, 100],
          ['tool_execute', 'Read', 2, 150],
          ['tool_execute', 'Write', 1, 7],
        ]);
        expect(updates.every((u) => u.agent_id === 'claude-1' && u.presence.status === 'active')).toBe(true);
      }
      const feature = await call(t.hub, 'POST', '/api/broadcast/features/feat-9/status', {
        body: { agent_id: 'claude-1', status: 'in_progress' },
      });
      expect(feature.status).toBe(200);
      expect(feature.body.presence.current_feature_id).toBe('feat-9');
      await waitUntil(() => dashboards.every((d) => d.messages.length >= 4), 5_000, 'feature update');
      expect(PresenceUpdate.parse(dashboards[0]!.messages[3]).event_type).toBe('feature_status');
      const list = PresenceList.parse((await call(t.hub, 'GET', '/api/presence')).body);
      expect(list.agents.find((a) => a.agent_id === 'claude-1')).toMatchObject({ current_feature_id: 'feat-9', total_tools_executed: 1 });
    } finally {
      for (const d of dashboards) d.ws.terminate();
    }
  });

  it('refuses the dashboard past the per-session cap with 1013 and frees the place on close', async () => {
    const first = await Promise.all([1, 2, 3].map(() => dashboard({ token: BACKEND, session_id: 'capped' })));
    try {
      const extra = await dashboard({ token: BACKEND, session_id: 'capped' });
      expect(await extra.closed).toEqual({ code: 1013, reason: 'session dashboard limit (3) reached' });
      const other = await dashboard({ token: BACKEND, session_id: 'another' });
      other.ws.close();
      first[0]!.ws.close();
      await first[0]!.closed;
      await waitUntil(
        async () => {
          const d = await dashboard({ token: BACKEND, session_id: 'capped' });
          const outcome = await Promise.race([d.closed, new Promise<'open'>((r) => setTimeout(() => r('open'), 150))]);
          d.ws.terminate();
          return outcome === 'open';
        },
        5_000,
        'a freed dashboard place',
      );
    } finally {
      for (const d of first) d.ws.terminate();
    }
  });
});

describe('concurrent updates', () => {
  it('counts every one of many concurrent tool events, in the stream and in SQLite after a restart', async () => {
    const d = await dashboard({ token: BACKEND, session_id: 'burst' });
    const n = 200;
    try {
      const results = await Promise.all(
        Array.from({ length: n }, (_, i) => toolEvent('burst-agent', { tool_name: `T${i}`, cost_tokens: 2, session_id: 'sess-burst' })),
      );
      expect(results.every((r) => r.status === 200)).toBe(true);
      await waitUntil(
        () =>
          d.messages.filter(
            (m) =>
              (m as { agent_id: string; event_type: string }).agent_id === 'burst-agent' &&
              (m as { event_type: string }).event_type === 'tool_execute',
          ).length >= n,
        10_000,
        `${n} updates`,
      );
      const counts = d.messages
        .map((m) => PresenceUpdate.parse(m))
        // A busy machine may stall long enough for the sweep to send an idle status_change in between.
        .filter((u) => u.agent_id === 'burst-agent' && u.event_type === 'tool_execute')
        .map((u) => u.presence.total_tools_executed);
      expect(counts).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    } finally {
      d.ws.terminate();
    }
    t = await t.restart();
    const agent = PresenceList.parse((await call(t.hub, 'GET', '/api/presence')).body).agents.find((a) => a.agent_id === 'burst-agent');
    expect(agent).toMatchObject({ total_tools_executed: n, total_cost_tokens: 2 * n });
  });
});

describe('presence API errors', () => {
  it('answers 401, 400 validation_failed, 415 and 400 invalid_json with an ErrorBody', async () => {
    const cases = [
      [
        await call(t.hub, 'POST', '/api/presence/x/events', {
          token: null,
          body: { event_type: 'tool_execute', tool_name: 'a', session_id: 's' },
        }),
        401,
        'unauthenticated',
      ],
      [await call(t.hub, 'GET', '/api/presence', { token: null }), 401, 'unauthenticated'],
      [await toolEvent('x', { tool_name: 'a' }), 400, 'validation_failed'],
      [
        await call(t.hub, 'POST', '/api/presence/x/events', { body: { event_type: 'other', tool_name: 'a', session_id: 's' } }),
        400,
        'validation_failed',
      ],
      [await toolEvent('x', { tool_name: 'a', session_id: 's', cost_tokens: -1 }), 400, 'validation_failed'],
      [
        await call(t.hub, 'POST', '/api/presence/x/events', { body: 'a=b', headers: { 'content-type': 'text/plain' } }),
        415,
        'unsupported_media_type',
      ],
      [await call(t.hub, 'POST', '/api/broadcast/features/f/status', { body: '{' }), 400, 'invalid_json'],
      [
        await call(t.hub, 'POST', `/api/presence/${'a'.repeat(201)}/events`, {
          body: { event_type: 'tool_execute', tool_name: 'a', session_id: 's' },
        }),
        400,
        'validation_failed',
      ],
    ] as const;
    for (const [res, status, code] of cases) {
      expect(res.status, res.text).toBe(status);
      expect(ErrorBody.parse(res.body).error.code).toBe(code);
    }
  });
});

describe('idle, offline and restart', () => {
  it('goes idle then offline after the quiet periods, broadcasting status_change, and survives a restart', async () => {
    const d = await dashboard({ token: BACKEND, session_id: 'quiet' });
    try {
      await toolEvent('quiet-agent', { tool_name: 'Edit', cost_tokens: 11, session_id: 'sess-q' });
      await waitUntil(
        () =>
          d.messages.some(
            (m) =>
              (m as { agent_id: string; presence: { status: string } }).agent_id === 'quiet-agent' &&
              (m as { presence: { status: string } }).presence.status === 'offline',
          ),
        FAST_TIMINGS.offlineAfterMs + 5_000,
        'offline',
      );
      const mine = d.messages.map((m) => PresenceUpdate.parse(m)).filter((u) => u.agent_id === 'quiet-agent');
      expect(mine.map((u) => [u.event_type, u.presence.status])).toEqual([
        ['tool_execute', 'active'],
        ['status_change', 'idle'],
        ['status_change', 'offline'],
      ]);
    } finally {
      d.ws.terminate();
    }
    const before = PresenceList.parse((await call(t.hub, 'GET', '/api/presence')).body).agents;
    const open = await dashboard({ token: BACKEND, session_id: 'restart' });
    t = await t.restart();
    expect((await open.closed).code).toBe(1001);
    const after = PresenceList.parse((await call(t.hub, 'GET', '/api/presence')).body).agents;
    expect(after).toEqual(before);
    expect(after.find((a) => a.agent_id === 'quiet-agent')).toMatchObject({
      status: 'offline',
      total_cost_tokens: 11,
      session_id: 'sess-q',
      last_tool_name: 'Edit',
    });
    // Counters continue within the same session after the restart.
    const next = await toolEvent('quiet-agent', { tool_name: 'Bash', cost_tokens: 1, session_id: 'sess-q' });
    expect(next.body.presence).toMatchObject({ status: 'active', total_tools_executed: 2, total_cost_tokens: 12 });
  });
});
