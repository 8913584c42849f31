import { checkErrorResponse } from '../../clients/sync-api.ts';
import { openDashboard } from '../../clients/presence-stream.ts';
import { sleep } from '../../clients/wait.ts';
import type { Case, CaseContext } from '../../types.ts';
import { expectEqual, expectOneOf } from '../../verify.ts';
import { presenceApi, toolEvent, uid } from './fixtures.ts';

async function unchanged(ctx: CaseContext, fn: (agent: string) => Promise<void>): Promise<void> {
  const api = presenceApi(ctx);
  const agent = uid('agent');
  await api.event(agent, toolEvent(uid('s'), { cost_tokens: 7 }));
  const before = (await api.list()).agents.find((a) => a.agent_id === agent);
  await fn(agent);
  const after = (await api.list()).agents.find((a) => a.agent_id === agent);
  expectEqual(after, before, 'the refused request changed the agent’s presence');
}

export const presenceBadInputCases: Case[] = [
  {
    requirement: 'agent-presence/bad-input/1',
    desc: 'Posts presence events whose body is not JSON; expects 400 invalid_json and presence unchanged',
    async run(ctx: CaseContext) {
      const api = presenceApi(ctx);
      await unchanged(ctx, async (agent) => {
        for (const body of ['{"event_type": "tool_execute"', 'tool_execute', '{,}']) {
          const res = await api.http.raw({
            method: 'POST',
            path: `/api/presence/${agent}/events`,
            body,
            headers: { 'content-type': 'application/json' },
          });
          checkErrorResponse(ctx, res, 400, 'invalid_json', `presence event ${JSON.stringify(body)}`);
        }
      });
    },
  },
  {
    requirement: 'agent-presence/bad-input/2',
    desc: 'Posts events with an unknown event_type, cost_tokens as a string, negative cost and no session_id; expects 400 validation_failed and presence unchanged',
    async run(ctx: CaseContext) {
      const api = presenceApi(ctx);
      await unchanged(ctx, async (agent) => {
        const bodies = [
          { ...toolEvent('s'), event_type: 'teleport' },
          { ...toolEvent('s'), cost_tokens: '12' },
          { ...toolEvent('s'), cost_tokens: -1 },
          { event_type: 'tool_execute', tool_name: 'Bash' },
        ];
        for (const body of bodies) {
          const res = await api.http.raw({ method: 'POST', path: `/api/presence/${agent}/events`, body });
          checkErrorResponse(ctx, res, 400, 'validation_failed', `presence event ${JSON.stringify(body)}`);
        }
        checkErrorResponse(
          ctx,
          await api.http.raw({ method: 'POST', path: '/api/broadcast/features/f/status', body: { agent_id: agent } }),
          400,
          'validation_failed',
          'feature status without status',
        );
      });
    },
  },
  {
    requirement: 'agent-presence/bad-input/3',
    desc: 'Sends text, binary and oversized data from one dashboard; expects it ignored or closed with 1003/1007/1008, and another dashboard still receiving updates',
    async run(ctx: CaseContext) {
      const api = presenceApi(ctx);
      const noisy = await openDashboard(ctx, { sessionId: uid('s') });
      const quiet = await openDashboard(ctx, { sessionId: uid('s') });
      noisy.send('{"type":"subscribe"}');
      noisy.send('not json at all');
      if (noisy.ws.readyState === noisy.ws.OPEN) noisy.ws.send(Buffer.from([0, 1, 2, 3]));
      noisy.send('x'.repeat(200_000));
      await sleep(ctx, 200);
      if (noisy.closeInfo)
        expectOneOf(
          noisy.closeInfo.code,
          [1003, 1007, 1008, 1009],
          `the noisy dashboard was closed ${noisy.closeInfo.code} "${noisy.closeInfo.reason}" (open, or 1009 for the oversized frame, is fine too)`,
        );
      const agent = uid('agent');
      await api.event(agent, toolEvent(uid('s')));
      await quiet.waitForUpdate((m) => m.agent_id === agent);
    },
  },
];
