/**
 * presence-client/connection, catch-up/1 and updates: the page opens the stream with its token, shows
 * the agents `GET /api/presence` lists, and applies every update, one row per agent.
 */
import { showRows } from '../dashboard-page.ts';
import type { DashboardCase } from '../dashboard-case.ts';
import {
  APPLIES,
  APPLY_MS,
  CATCH_UP_MS,
  CATCHES_UP,
  checkOneRowEach,
  CONNECTS,
  failure,
  ONE_ROW,
  openLive,
  settled,
  showsAll,
  showWanted,
  STEP_MS,
  type Shown,
} from './helpers.ts';

const SEEDED: Record<string, Shown> = { 'claude-1': { status: 'active', tools: 317 }, 'gemini-2': { status: 'idle', tools: 583 } };

const connects: DashboardCase = {
  requirement: CONNECTS,
  alsoProves: [CATCHES_UP],
  desc: 'Lists two agents in GET /api/presence and accepts the stream; expects the stream opened with the token and both agents shown within 2 s',
  async run(ctx) {
    const stream = await ctx.startStream();
    stream.update('claude-1', { total_tools_executed: 317 }, { broadcast: false });
    stream.update('gemini-2', { status: 'idle', total_tools_executed: 583 }, { broadcast: false });
    const page = await ctx.openPage(stream);
    const first = await stream.until(() => stream.connections[0], STEP_MS);
    if (!first)
      return ctx.fail(`the page opened no stream within ${STEP_MS} ms`, { expected: 'a connection to /ws/broadcasts', actual: 'none' });
    if (first.token !== stream.token)
      ctx.fail('the page opened the stream without its token', {
        expected: `/ws/broadcasts?token=${stream.token}`,
        actual: first.url,
      });
    const asked = await stream.until(() => stream.presenceRequests().find((r) => r.bearer === stream.token), CATCH_UP_MS);
    if (!asked)
      throw failure(
        CATCHES_UP,
        [CONNECTS],
        `the page did not read GET /api/presence with its token within ${CATCH_UP_MS} ms of the stream opening`,
        `GET /api/presence with authorization: Bearer ${stream.token}`,
        stream.requests.map((r) => `${r.path} (bearer ${r.bearer ?? 'none'}) ${r.status}`).join(', ') || 'no API request',
      );
    const seen = await page.waitRows((rows) => showsAll(rows, SEEDED), CATCH_UP_MS);
    if (!seen.value)
      throw failure(
        CATCHES_UP,
        [CONNECTS],
        `the page did not show the agents GET /api/presence listed within ${CATCH_UP_MS} ms of reading it`,
        showWanted(SEEDED),
        showRows(seen.rows),
      );
  },
};

const applies: DashboardCase = {
  requirement: APPLIES,
  alsoProves: [ONE_ROW],
  desc: 'Broadcasts presence_update for a new agent, then that agent idle with one more tool and a second new agent; expects each shown within 1 s, one row per agent',
  async run(ctx) {
    const live = await openLive(ctx);
    await settled(live);
    const { stream, page } = live;
    stream.update('claude-1', { total_tools_executed: 317 });
    const first: Record<string, Shown> = { 'claude-1': { status: 'active', tools: 317 } };
    const one = await page.waitRows((rows) => showsAll(rows, first), APPLY_MS);
    if (!one.value)
      ctx.fail(`the page did not show a new agent's update within ${APPLY_MS} ms`, {
        expected: showWanted(first),
        actual: showRows(one.rows),
      });
    stream.update('claude-1', { status: 'idle', total_tools_executed: 318 });
    stream.update('gemini-2', { total_tools_executed: 583 });
    const next: Record<string, Shown> = { 'claude-1': { status: 'idle', tools: 318 }, 'gemini-2': { status: 'active', tools: 583 } };
    const two = await page.waitRows((rows) => showsAll(rows, next), APPLY_MS);
    if (!two.value)
      ctx.fail(`the page did not show both updates within ${APPLY_MS} ms`, { expected: showWanted(next), actual: showRows(two.rows) });
    checkOneRowEach(await page.rows(), [APPLIES]);
  },
};

export const connectAndUpdateCases: DashboardCase[] = [connects, applies];
