import { openDashboard, type Dashboard } from '../../clients/presence-stream.ts';
import { sleep } from '../../clients/wait.ts';
import type { Case, CaseContext } from '../../types.ts';
import { expectAbsent, expectEqual, expectMatch } from '../../verify.ts';
import { presenceApi, toolEvent, uid } from './fixtures.ts';

function cap(ctx: CaseContext): number {
  const max = ctx.hub?.limits.max_dashboards_per_session ?? 10;
  if (max > 200) ctx.skip(`max_dashboards_per_session ${max} is too large to fill in a conformance run`);
  return max;
}

async function fill(ctx: CaseContext, session: string, n: number): Promise<Dashboard[]> {
  const ds: Dashboard[] = [];
  for (let i = 0; i < n; i++) ds.push(await openDashboard(ctx, { sessionId: session }));
  return ds;
}

export const limitCases: Case[] = [
  {
    requirement: 'agent-presence/limits/1',
    desc: 'Opens max_dashboards_per_session dashboards for one session; expects all to stay open and receive an update',
    async run(ctx: CaseContext) {
      const api = presenceApi(ctx);
      const ds = await fill(ctx, uid('s'), cap(ctx));
      const agent = uid('agent');
      await api.event(agent, toolEvent('x'));
      for (const d of ds) {
        expectAbsent(d.closeInfo, 'close', `${d.label} was closed (${d.closeInfo?.code} ${d.closeInfo?.reason}) within the cap`);
        await d.waitForUpdate((m) => m.agent_id === agent);
      }
    },
  },
  {
    requirement: 'agent-presence/limits/2',
    desc: 'Fills a session’s dashboard cap and opens one more; expects it closed with 1013 and a reason naming the limit, the others untouched',
    async run(ctx: CaseContext) {
      presenceApi(ctx);
      const session = uid('s');
      const max = cap(ctx);
      const ds = await fill(ctx, session, max);
      const extra = await openDashboard(ctx, { sessionId: session });
      const c = await extra.waitForClose(3000);
      expectEqual(c.code, 1013, `dashboard #${max + 1} closed ${c.code} "${c.reason}"`);
      expectMatch(c.reason, /limit|max|full|\d/i, `dashboard #${max + 1} closed 1013 with a reason that names no limit`);
      await sleep(ctx, 100);
      expectEqual(
        ds.filter((d) => d.closeInfo).map((d) => `${d.label} ${d.closeInfo!.code}`),
        [],
        `refusing the extra dashboard closed another of the ${max}`,
      );
    },
  },
  {
    requirement: 'agent-presence/limits/3',
    desc: 'Fills a session’s cap, closes one dashboard, and connects again; expects the new one accepted',
    async run(ctx: CaseContext) {
      presenceApi(ctx);
      const session = uid('s');
      const ds = await fill(ctx, session, cap(ctx));
      await ds[0]!.close();
      await sleep(ctx, 100);
      const again = await openDashboard(ctx, { sessionId: session });
      await sleep(ctx, 300);
      expectAbsent(again.closeInfo, 'close', `the replacement dashboard was closed ${again.closeInfo?.code} "${again.closeInfo?.reason}"`);
    },
  },
];
