/**
 * presence-client/refusal: a refused token (close 1008 on the stream, 401 from GET /api/presence) is not
 * retried sooner than the least back-off.
 */
import type { DashboardCase } from '../dashboard-case.ts';
import { DependencyUnmet } from '../../../types.ts';
import { BACKOFF_MIN_MS, CATCHES_UP, CONNECTS, openLive, STEP_MS, TIMER_TOLERANCE_MS } from './helpers.ts';

/** How long the page is watched after a refusal: a tight loop shows within it, a back-off of 1 s too. */
const WATCH_MS = 2500;

const refusedStream: DashboardCase = {
  requirement: 'presence-client/refusal/1',
  desc: `Closes the stream with 1008 (invalid token) as soon as the page opens it; watches ${WATCH_MS / 1000} s, expects no new stream sooner than 1 s after the close`,
  async run(ctx) {
    const stream = await ctx.startStream();
    stream.refuse.stream = true;
    await ctx.openPage(stream);
    const first = await stream.until(() => stream.connections[0], STEP_MS);
    if (!first) throw new DependencyUnmet(CONNECTS, `the page opened no stream within ${STEP_MS} ms`);
    const closedAt = first.closed!.t;
    await new Promise((r) => setTimeout(r, WATCH_MS));
    // Every stream is refused the same way: each retry is judged against the close before it.
    const gaps = stream.connections.slice(1).map((c, i) => c.openedAt - stream.connections[i]!.closed!.t);
    const soonest = Math.min(...gaps);
    if (soonest < BACKOFF_MIN_MS - TIMER_TOLERANCE_MS)
      ctx.fail(`the page retried the refused token ${Math.round(soonest)} ms after a close with 1008`, {
        expected: `no new stream sooner than ${BACKOFF_MIN_MS} ms after a close with 1008`,
        actual: `${gaps.length} new stream(s) within ${WATCH_MS} ms of the first close, at +${stream.connections
          .slice(1)
          .map((c) => Math.round(c.openedAt - closedAt))
          .join(', +')} ms`,
      });
  },
};

const refusedApi: DashboardCase = {
  requirement: 'presence-client/refusal/2',
  desc: `Accepts the stream but answers GET /api/presence with 401; watches ${WATCH_MS / 1000} s, expects no presence request or new stream sooner than 1 s after the 401`,
  async run(ctx) {
    const live = await openLive(ctx, (s) => (s.refuse.api = true));
    const { stream } = live;
    const refused = await stream.until(() => stream.presenceRequests().find((r) => r.status === 401), STEP_MS);
    if (!refused) throw new DependencyUnmet(CATCHES_UP, `the page did not read GET /api/presence within ${STEP_MS} ms`);
    await new Promise((r) => setTimeout(r, WATCH_MS));
    const retries = [
      ...stream.presenceRequests(refused.t + 0.001).map((r) => ({ t: r.t, what: 'GET /api/presence' })),
      ...stream.connections.filter((c) => c.openedAt > refused.t).map((c) => ({ t: c.openedAt, what: `stream ${c.name}` })),
    ].sort((a, b) => a.t - b.t);
    // Each retry is judged against the 401 before it (a page that loops gets a 401 each time).
    const refusals = stream.presenceRequests().filter((r) => r.status === 401);
    const gap = (t: number) => t - Math.max(...refusals.filter((r) => r.t < t).map((r) => r.t));
    const soon = retries.filter((r) => gap(r.t) < BACKOFF_MIN_MS - TIMER_TOLERANCE_MS);
    if (soon.length > 0)
      ctx.fail(`the page retried the refused token ${Math.round(Math.min(...soon.map((r) => gap(r.t))))} ms after a 401`, {
        expected: `no presence request or new stream sooner than ${BACKOFF_MIN_MS} ms after a 401`,
        actual: `${retries.length} retr${retries.length === 1 ? 'y' : 'ies'} within ${WATCH_MS} ms: ${retries
          .slice(0, 6)
          .map((r) => `${r.what} at +${Math.round(r.t - refused.t)} ms`)
          .join(', ')}`,
      });
  },
};

export const refusalCases: DashboardCase[] = [refusedStream, refusedApi];
