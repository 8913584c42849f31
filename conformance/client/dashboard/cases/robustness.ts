/**
 * presence-client/robustness: messages of a type the page does not know (MUST) and malformed ones
 * (SHOULD) change no row, keep the stream open, and the updates after them still apply.
 */
import { showRows } from '../dashboard-page.ts';
import type { DashboardCase, DashboardCaseContext } from '../dashboard-case.ts';
import { DependencyUnmet } from '../../../types.ts';
import { APPLIES, APPLY_MS, openLive, settled, shows, showsAll, showWanted, type Shown } from './helpers.ts';

const CLAUDE: Shown = { status: 'active', tools: 317 };
const GEMINI: Shown = { status: 'active', tools: 583 };

/** Sends `odd` between two updates; judges rows and the stream after the second. */
async function survives(ctx: DashboardCaseContext, odd: readonly string[], what: string): Promise<void> {
  const live = await openLive(ctx);
  await settled(live);
  const { stream, page, conn } = live;
  stream.update('claude-1', { total_tools_executed: 317 });
  const first = await page.waitRows((rows) => shows(rows, 'claude-1', CLAUDE), APPLY_MS);
  if (!first.value) throw new DependencyUnmet(APPLIES, `the page did not show an update within ${APPLY_MS} ms: ${showRows(first.rows)}`);
  for (const text of odd) stream.sendRaw(text);
  stream.update('gemini-2', { total_tools_executed: 583 });
  const want = { 'claude-1': CLAUDE, 'gemini-2': GEMINI };
  const after = await page.waitRows((rows) => showsAll(rows, want), APPLY_MS);
  const bogus = after.rows.filter((r) => r.agent !== 'claude-1' && r.agent !== 'gemini-2');
  if (!after.value || bogus.length > 0)
    ctx.fail(
      !after.value
        ? `after ${what} the page no longer showed the agents as the updates say`
        : `the page made rows of ${what}: ${bogus.map((r) => r.agent).join(', ')}`,
      { expected: `${showWanted(want)}, nothing else`, actual: showRows(after.rows) },
    );
  if (conn.closed || stream.connections.length > 1)
    ctx.fail(`the stream did not stay open after ${what}`, {
      expected: `${conn.name} open, no new stream`,
      actual: `${conn.closed ? `${conn.name} closed with ${conn.closed.code} by the ${conn.closed.by}` : `${conn.name} open`}; ${stream.connections.length} stream(s) in all`,
    });
}

const stamp = () => new Date().toISOString();
const ghost = (agent: string, tools: number) => ({
  agent_id: agent,
  status: 'offline',
  current_feature_id: null,
  last_tool_name: 'Bash',
  last_activity: stamp(),
  total_tools_executed: tools,
  total_cost_tokens: 0,
  session_id: 'sess-1',
});

const unknownTypes: DashboardCase = {
  requirement: 'presence-client/robustness/1',
  desc: 'Sends messages of types other than presence_update (two carrying agent fields, one for a shown agent) between two updates; expects no row made or changed, the stream open, the second update shown',
  async run(ctx) {
    await survives(
      ctx,
      [
        JSON.stringify({ type: 'agent_notice', agent_id: 'ghost-9', presence: ghost('ghost-9', 9), timestamp: stamp() }),
        JSON.stringify({ type: 'presence_snapshot', agent_id: 'claude-1', presence: ghost('claude-1', 999), timestamp: stamp() }),
        JSON.stringify({ type: 'hub_notice', text: 'maintenance at 02:00' }),
      ],
      'messages of unknown types',
    );
  },
};

const malformed: DashboardCase = {
  requirement: 'presence-client/robustness/2',
  desc: 'Sends malformed messages (not JSON, a JSON array, null, a presence_update without presence, one without agent_id) between two updates; expects no row made or changed, the stream open, the second update shown',
  async run(ctx) {
    const noAgent = ghost('x', 1) as Partial<ReturnType<typeof ghost>>;
    delete noAgent.agent_id;
    await survives(
      ctx,
      [
        '{"type":"presence_update",',
        '[]',
        'null',
        JSON.stringify({ type: 'presence_update', event_type: 'tool_execute', agent_id: 'ghost-8', timestamp: stamp() }),
        JSON.stringify({ type: 'presence_update', event_type: 'tool_execute', presence: noAgent, timestamp: stamp() }),
      ],
      'malformed messages',
    );
  },
};

export const robustnessCases: DashboardCase[] = [unknownTypes, malformed];
