import { checkErrorResponse } from '../../clients/sync-api.ts';
import { openDashboard } from '../../clients/presence-stream.ts';
import type { Case, CaseContext } from '../../types.ts';
import { expectFields, expectThat } from '../../verify.ts';
import { presenceApi, toolEvent, uid } from './fixtures.ts';

export const apiCases: Case[] = [
  {
    requirement: 'agent-presence/api/1',
    desc: 'Posts a tool_execute event; expects the answer and a dashboard update to carry the new presence',
    async run(ctx: CaseContext) {
      const api = presenceApi(ctx);
      const d = await openDashboard(ctx, { sessionId: uid('s') });
      const agent = uid('agent');
      const p = await api.event(agent, toolEvent(uid('s'), { tool_name: 'Write' }));
      expectFields(p, { agent_id: agent, last_tool_name: 'Write' }, 'the answer does not hold the new presence');
      const u = await d.waitForUpdate((m) => m.agent_id === agent);
      expectFields(u.presence, { last_tool_name: 'Write', agent_id: agent }, 'the broadcast does not hold the new presence');
    },
  },
  {
    requirement: 'agent-presence/api/2',
    desc: 'Posts events costing 10 and 20 tokens in one session, then 5 in a new one; expects totals 2/30, then 1/5',
    async run(ctx: CaseContext) {
      const api = presenceApi(ctx);
      const agent = uid('agent');
      const [a, b] = [uid('s'), uid('s')];
      await api.event(agent, toolEvent(a, { cost_tokens: 10 }));
      const p2 = await api.event(agent, toolEvent(a, { cost_tokens: 20 }));
      expectFields(p2, { total_tools_executed: 2, total_cost_tokens: 30, session_id: a }, 'counters are not cumulative within the session');
      const p3 = await api.event(agent, toolEvent(b, { cost_tokens: 5 }));
      expectFields(p3, { total_tools_executed: 1, total_cost_tokens: 5, session_id: b }, 'counters did not restart for the new session');
    },
  },
  {
    requirement: 'agent-presence/api/3',
    desc: 'Posts a tool event; expects last_tool_name, current_feature_id, a fresh last_activity and status active',
    async run(ctx: CaseContext) {
      const api = presenceApi(ctx);
      const before = Date.now();
      const p = await api.event(uid('agent'), toolEvent(uid('s'), { tool_name: 'Grep', feature_id: 'feat-77' }));
      const at = Date.parse(p.last_activity);
      expectFields(
        p,
        { last_tool_name: 'Grep', current_feature_id: 'feat-77', status: 'active' },
        'presence fields not set from the event',
      );
      expectThat(
        p.last_activity,
        () => Math.abs(at - before) < 5000,
        `${new Date(before).toISOString()} ± 5 s (when the event was posted)`,
        'last_activity is not the time of the event',
      );
    },
  },
  {
    requirement: 'agent-presence/api/4',
    desc: 'Posts a feature status change; expects a presence_update for that agent on a dashboard',
    async run(ctx: CaseContext) {
      const api = presenceApi(ctx);
      const d = await openDashboard(ctx, { sessionId: uid('s') });
      const agent = uid('agent');
      await api.event(agent, toolEvent(uid('s')));
      const from = d.updates.length;
      await api.featureStatus('feat-9', { agent_id: agent, status: 'done' });
      await d.waitForUpdate((m) => m.agent_id === agent, 3000, 'feature status update', from);
    },
  },
  {
    requirement: 'agent-presence/api/5',
    desc: 'Posts events for two agents; expects GET /api/presence to list both with their current presence and a timestamp',
    async run(ctx: CaseContext) {
      const api = presenceApi(ctx);
      const agents = [uid('agent'), uid('agent')];
      const latest = [];
      for (const a of agents) latest.push(await api.event(a, toolEvent(uid('s'), { tool_name: `tool-${a}` })));
      const list = await api.list();
      for (const p of latest) {
        const got = list.agents.find((x) => x.agent_id === p.agent_id);
        expectFields(
          got,
          { last_tool_name: p.last_tool_name, total_tools_executed: p.total_tools_executed },
          `GET /api/presence does not show ${p.agent_id} as it is`,
        );
      }
    },
  },
  {
    requirement: 'agent-presence/api/6',
    desc: 'Calls the three presence endpoints without a token; expects 401 unauthenticated',
    async run(ctx: CaseContext) {
      const api = presenceApi(ctx);
      const reqs = [
        { method: 'POST', path: `/api/presence/${uid('agent')}/events`, body: toolEvent('s') },
        { method: 'POST', path: '/api/broadcast/features/f1/status', body: { agent_id: 'a', status: 'done' } },
        { method: 'GET', path: '/api/presence' },
      ];
      for (const r of reqs)
        checkErrorResponse(ctx, await api.http.raw({ ...r, token: null }), 401, 'unauthenticated', `${r.method} ${r.path} without a token`);
    },
  },
];
