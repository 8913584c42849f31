import { openDashboard } from '../../clients/presence-stream.ts';
import { sleep } from '../../clients/wait.ts';
import type { Case, CaseContext } from '../../types.ts';
import { expectAbsent, expectEqual, expectFields, expectThat } from '../../verify.ts';
import { presenceApi, requirePresence, toolEvent, uid } from './fixtures.ts';

export const streamCases: Case[] = [
  {
    requirement: 'agent-presence/stream/1',
    desc: 'Opens /ws/broadcasts with a valid token and session_id; expects it to stay open and receive an update',
    async run(ctx: CaseContext) {
      const api = presenceApi(ctx);
      const d = await openDashboard(ctx, { sessionId: uid('sess') });
      await sleep(ctx, 200);
      expectAbsent(d.closeInfo, 'close', `the dashboard was closed (${d.closeInfo?.code} ${d.closeInfo?.reason})`);
      const agent = uid('agent');
      await api.event(agent, toolEvent(uid('sess')));
      await d.waitForUpdate((m) => m.agent_id === agent);
    },
  },
  {
    requirement: 'agent-presence/stream/2',
    desc: 'Opens /ws/broadcasts without a token and with an unknown token; expects close code 1008 with a reason',
    async run(ctx: CaseContext) {
      requirePresence(ctx);
      for (const token of [null, 'definitely-not-a-token']) {
        const d = await openDashboard(ctx, { token, sessionId: uid('sess') });
        const c = await d.waitForClose(3000);
        expectFields(c, { code: 1008 }, `dashboard ${token === null ? 'without' : 'with a bad'} token closed ${c.code} "${c.reason}"`);
        expectThat(
          c.reason,
          (r) => r.length > 0,
          'a reason',
          `dashboard ${token === null ? 'without' : 'with a bad'} token closed 1008 without a reason`,
        );
      }
    },
  },
  {
    requirement: 'agent-presence/stream/3',
    desc: 'Triggers tool and feature-status updates; expects every dashboard message to be valid PresenceUpdate JSON',
    async run(ctx: CaseContext) {
      const api = presenceApi(ctx);
      const d = await openDashboard(ctx, { sessionId: uid('sess') });
      const agent = uid('agent');
      const sess = uid('sess');
      await api.event(agent, toolEvent(sess, { feature_id: null }));
      await api.event(agent, toolEvent(sess, { tool_name: 'Read', cost_tokens: 0 }));
      await api.featureStatus('feat-x', { agent_id: agent, status: 'in_progress' });
      await d.waitUntil(() => d.updates.filter((u) => u.msg.agent_id === agent).length >= 3 || d.invalid.length > 0, 3000, 'three updates');
      expectEqual(
        d.invalid.map((x) => x.raw.slice(0, 300)),
        [],
        `a dashboard message is not a PresenceUpdate: ${d.invalid[0]?.issue}`,
      );
    },
  },
  {
    requirement: 'agent-presence/stream/4',
    desc: 'Connects four dashboards for three sessions and posts five updates; expects every dashboard to receive all five',
    async run(ctx: CaseContext) {
      const api = presenceApi(ctx);
      const sessions = [uid('s'), uid('s'), uid('s')];
      const ds = [];
      for (let i = 0; i < 4; i++) ds.push(await openDashboard(ctx, { sessionId: sessions[i % 3]! }));
      const agent = uid('agent');
      for (let i = 0; i < 5; i++) await api.event(agent, toolEvent(sessions[0]!, { tool_name: `T${i}` }));
      for (const d of ds) await d.waitUntil(() => d.updates.filter((u) => u.msg.agent_id === agent).length >= 5, 3000, 'five updates');
    },
  },
];
