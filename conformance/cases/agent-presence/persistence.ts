import { PresenceApi } from '../../clients/presence-stream.ts';
import type { Case, CaseContext } from '../../types.ts';
import { expectFields } from '../../verify.ts';
import { presenceApi, toolEvent, uid } from './fixtures.ts';

export const persistenceCases: Case[] = [
  {
    requirement: 'agent-presence/persistence/1',
    exclusive: 'restarts the hub',
    desc: 'Posts three events for an agent, restarts the hub, and expects GET /api/presence to show the same counters and fields',
    timeoutMs: 20_000,
    async run(ctx: CaseContext) {
      const api = presenceApi(ctx);
      const restart = ctx.restart;
      if (!restart) ctx.skip('target has no restart command');
      const agent = uid('agent');
      const sess = uid('s');
      for (const cost of [3, 4, 5]) await api.event(agent, toolEvent(sess, { cost_tokens: cost, tool_name: `t${cost}` }));
      await restart();
      // Pooled keep-alive sockets died with the old process: retry the first read a few times.
      let list;
      for (let i = 0; ; i++) {
        try {
          list = await new PresenceApi(ctx, ctx.target.agents[0]!).list();
          break;
        } catch (err) {
          if (i >= 4) throw err;
        }
      }
      const got = list.agents.find((a) => a.agent_id === agent);
      expectFields(
        got,
        { total_tools_executed: 3, total_cost_tokens: 12, last_tool_name: 't5', session_id: sess },
        'presence did not survive the restart',
      );
    },
  },
];
