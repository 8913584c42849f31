/**
 * presence-client/reconnect and catch-up/2: a dropped stream comes back, not in a tight loop, and the
 * page then shows what changed while it was away, one row per agent.
 */
import { showRows } from '../dashboard-page.ts';
import type { DashboardCase } from '../dashboard-case.ts';
import { DependencyUnmet } from '../../../types.ts';
import {
  BACKOFF_MIN_MS,
  BACKS_OFF,
  CATCH_UP_MS,
  CATCHES_UP,
  CATCHES_UP_AGAIN,
  checkOneRowEach,
  failure,
  ONE_ROW,
  openLive,
  RECONNECT_WITHIN_MS,
  RECONNECTS,
  settled,
  showsAll,
  showWanted,
  TIMER_TOLERANCE_MS,
  type Shown,
} from './helpers.ts';

/**
 * Handshakes refused after the drop: a client in a tight loop shows itself by the attempts it makes
 * meanwhile. As long as a page that waits may take before its first attempt: the reference page retries
 * after 3 s ± 20 %, so 2.2 s refuses none of its attempts, while a tight loop starved by a busy machine
 * still meets a refusal (at 1.5 s CI once saw a 20 ms loop make its first attempt after the window and pass).
 */
const DOWN_MS = 2200;

const reconnects: DashboardCase = {
  requirement: RECONNECTS,
  alsoProves: [BACKS_OFF],
  desc: `Drops the stream without a close frame once the page is live and refuses handshakes for ${DOWN_MS} ms; expects the page back within 10 s, its first attempt no sooner than 1 s after the drop`,
  async run(ctx) {
    const live = await openLive(ctx);
    await settled(live);
    const { stream } = live;
    stream.down(DOWN_MS);
    stream.dropAll();
    const dropAt = ctx.now();
    const back = await stream.until(() => stream.connections.find((c) => c.openedAt > dropAt && !c.refused), RECONNECT_WITHIN_MS);
    if (!back)
      ctx.fail(`the page did not reconnect within ${RECONNECT_WITHIN_MS} ms of the drop`, {
        expected: `a new stream by ${Math.round(dropAt + RECONNECT_WITHIN_MS)} ms`,
        actual: `${stream.connections.filter((c) => c.openedAt > dropAt).length} attempt(s), none accepted`,
      });
    // Each attempt is judged against the failure before it: the drop, or the refused handshake before it.
    const attempts = stream.connections.filter((c) => c.openedAt > dropAt);
    const gaps = attempts.map((c, i) => c.openedAt - (i === 0 ? dropAt : attempts[i - 1]!.closed!.t));
    const soonest = Math.min(...gaps);
    if (soonest < BACKOFF_MIN_MS - TIMER_TOLERANCE_MS)
      throw failure(
        BACKS_OFF,
        [RECONNECTS],
        `the page connected again ${Math.round(soonest)} ms after ${gaps.indexOf(soonest) === 0 ? 'the drop' : 'a refused attempt'}`,
        `no attempt sooner than ${BACKOFF_MIN_MS} ms after the drop or a refused attempt`,
        `${attempts.length} attempt(s) after the drop, the last one accepted, at +${attempts.map((c) => Math.round(c.openedAt - dropAt)).join(', +')} ms`,
      );
  },
};

const BEFORE: Record<string, Shown> = { 'claude-1': { status: 'active', tools: 317 }, 'gemini-2': { status: 'active', tools: 583 } };
const AFTER: Record<string, Shown> = {
  'claude-1': { status: 'offline', tools: 320 },
  'gemini-2': { status: 'active', tools: 583 },
  'codex-3': { status: 'active', tools: 71 },
};

const catchesUpAgain: DashboardCase = {
  requirement: CATCHES_UP_AGAIN,
  alsoProves: [ONE_ROW],
  desc: 'Drops the stream once the page shows two agents; while no stream is open, takes one offline and adds a third; expects all three shown as GET /api/presence lists them within 2 s of the new stream, one row each',
  async run(ctx) {
    const live = await openLive(ctx, (s) => {
      s.update('claude-1', { total_tools_executed: 317 }, { broadcast: false });
      s.update('gemini-2', { total_tools_executed: 583 }, { broadcast: false });
    });
    const { stream, page } = live;
    const before = await page.waitRows((rows) => showsAll(rows, BEFORE), CATCH_UP_MS * 2);
    if (!before.value)
      throw new DependencyUnmet(CATCHES_UP, `the page never showed the agents of GET /api/presence: ${showRows(before.rows)}`);
    stream.dropAll();
    const dropAt = ctx.now();
    stream.update('claude-1', { status: 'offline', total_tools_executed: 320 }, { broadcast: false });
    stream.update('codex-3', { total_tools_executed: 71 }, { broadcast: false });
    const back = await stream.until(() => stream.connections.find((c) => c.openedAt > dropAt && !c.refused), RECONNECT_WITHIN_MS);
    if (!back) throw new DependencyUnmet(RECONNECTS, `the page did not reconnect within ${RECONNECT_WITHIN_MS} ms of the drop`);
    const seen = await page.waitRows((rows) => showsAll(rows, AFTER), CATCH_UP_MS);
    if (!seen.value) {
      const asked = stream.presenceRequests(back.openedAt).length;
      ctx.fail(`${CATCH_UP_MS} ms after the page reconnected it still did not show the agents as GET /api/presence lists them`, {
        expected: showWanted(AFTER),
        actual: `${showRows(seen.rows)} (${asked} GET /api/presence since the new stream)`,
      });
    }
    // A second row of an agent (the old card beside the new) is a duplicate, not a missed catch-up.
    checkOneRowEach(await page.rows(), [CATCHES_UP_AGAIN]);
  },
};

export const reconnectCases: DashboardCase[] = [reconnects, catchesUpAgain];
