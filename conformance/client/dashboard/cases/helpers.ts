/**
 * Steps the dashboard cases share: open the page against a scripted stream and wait for its stream, wait
 * for the rows to show agents as the stream says, find what the page did after a moment. A step that
 * does not happen reports the requirement it needed as unmet (DependencyUnmet), so a case about something
 * else is `blocked` by it, not failed.
 */
import { CheckFailure, DependencyUnmet } from '../../../types.ts';
import type { DashboardCaseContext } from '../dashboard-case.ts';
import { showRows, type DashboardPage, type DashboardRow } from '../dashboard-page.ts';
import type { PresenceStream, StreamConnection } from '../presence-stream.ts';

export const CONNECTS = 'presence-client/connection/1';
export const CATCHES_UP = 'presence-client/catch-up/1';
export const CATCHES_UP_AGAIN = 'presence-client/catch-up/2';
export const APPLIES = 'presence-client/updates/1';
export const ONE_ROW = 'presence-client/updates/2';
export const RECONNECTS = 'presence-client/reconnect/1';
export const BACKS_OFF = 'presence-client/reconnect/2';

/** Page load, script start and the stream's handshake (docs/protocol.md, "Profile presence-client"). */
export const STEP_MS = 5000;
export const CATCH_UP_MS = 2000;
export const APPLY_MS = 1000;
export const RECONNECT_WITHIN_MS = 10_000;
/** The least back-off, after a drop and after a refusal. */
export const BACKOFF_MIN_MS = 1000;
/** Timers may fire a few ms early against another clock; a real back-off is never this close to 1 s. */
export const TIMER_TOLERANCE_MS = 20;

/** What a row must show for an agent: its status (`data-status`) and its tools count (in its text). */
export interface Shown {
  status: string;
  tools: number;
}

export interface LivePage {
  stream: PresenceStream;
  page: DashboardPage;
  conn: StreamConnection;
}

/** A stream (seeded before the page opens), the page, and the first stream it opened with the stream's token. */
export async function openLive(ctx: DashboardCaseContext, seed: (s: PresenceStream) => void = () => undefined): Promise<LivePage> {
  const stream = await ctx.startStream();
  seed(stream);
  const page = await ctx.openPage(stream);
  const conn = await stream.until(() => stream.connections.find((c) => c.token === stream.token), STEP_MS);
  if (!conn)
    throw new DependencyUnmet(
      CONNECTS,
      stream.connections.length === 0
        ? `the page opened no stream within ${STEP_MS} ms`
        : `the page's streams carried no valid token: ${stream.connections.map((c) => c.url).join(', ')}`,
    );
  return { stream, page, conn };
}

/** Whether `rows` hold a row of `agent` in state `want`. */
export function shows(rows: readonly DashboardRow[], agent: string, want: Shown): boolean {
  return rows.some((r) => r.agent === agent && r.status === want.status && new RegExp(`(^|\\D)${want.tools}(\\D|$)`).test(r.text));
}

/** Whether every agent of `want` is shown as it says. */
export function showsAll(rows: readonly DashboardRow[], want: Readonly<Record<string, Shown>>): boolean {
  return Object.entries(want).every(([agent, w]) => shows(rows, agent, w));
}

/** `claude-1 idle, 318 tools; …` */
export function showWanted(want: Readonly<Record<string, Shown>>): string {
  return Object.entries(want)
    .map(([agent, w]) => `${agent} ${w.status}, ${w.tools} tools`)
    .join('; ');
}

/** Agents shown in more than one row, with their count. */
export function duplicated(rows: readonly DashboardRow[]): string[] {
  const count = new Map<string, number>();
  for (const r of rows) count.set(r.agent, (count.get(r.agent) ?? 0) + 1);
  return [...count].filter(([, n]) => n > 1).map(([agent, n]) => `${agent} × ${n}`);
}

/** Fails `requirement` when an agent has more than one row; `judged` passed in the same run. */
export function checkOneRowEach(rows: readonly DashboardRow[], judged: readonly string[]): void {
  const twice = duplicated(rows);
  if (twice.length > 0)
    throw new CheckFailure(`the page shows ${twice.join(', ')} rows for one agent`, 'one row per agent id', showRows(rows), undefined, {
      requirement: ONE_ROW,
      judged: [...judged, ONE_ROW],
    });
}

/** A failure of `requirement` whose run judged `judged` (passed) before it. */
export function failure(requirement: string, judged: readonly string[], message: string, expected: string, actual: string): CheckFailure {
  return new CheckFailure(message, expected, actual, undefined, { requirement, judged: [...judged, requirement] });
}

/** Waits (at most 2 s) until the page asked for the presence list once the stream is up: the page is live. */
export async function settled(live: LivePage): Promise<void> {
  await live.stream.until(() => live.stream.presenceRequests().length > 0, CATCH_UP_MS);
}

/** The first stream connection attempt after `t` (accepted or not), within `ms`. */
export function attemptAfter(stream: PresenceStream, t: number, ms: number): Promise<StreamConnection | undefined> {
  return stream.until(() => stream.connections.find((c) => c.openedAt > t), ms);
}
