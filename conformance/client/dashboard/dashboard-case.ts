/**
 * The contract of a dashboard case: the shape of a client case (`requirement`, `alsoProves`, `desc`
 * saying what the scripted stream does, a deadline, checks that fail through `ctx.fail`), with a context
 * that gives the case its own scripted presence stream and the page under test in its own browser context.
 */
import type { ClientCaseContext } from '../client-case.ts';
import type { DashboardPage } from './dashboard-page.ts';
import type { PresenceStream } from './presence-stream.ts';

/** Default deadline of a dashboard case (the reference page's first reconnect waits up to 3.6 s). */
export const DEFAULT_DASHBOARD_CASE_TIMEOUT_MS = 20_000;

export interface DashboardCase {
  /** The requirement the case proves first; names the case (`<requirement>#<n>`). */
  requirement: string;
  /** Further requirements the same run judges, each with a row of its own. */
  alsoProves?: readonly string[];
  /** What the scripted stream does, imperative ("Drops the stream without a close frame once the page is live"). */
  desc: string;
  timeoutMs?: number;
  run(ctx: DashboardCaseContext): Promise<void>;
}

export interface DashboardCaseContext extends Omit<ClientCaseContext, 'startHub' | 'startDriver'> {
  /** A scripted presence stream (and API, and the page's files) for this case, closed after it. */
  startStream(): Promise<PresenceStream>;
  /** Opens the page from `stream` in Chromium (`?token=` the stream's token), closed after the case. */
  openPage(stream: PresenceStream): Promise<DashboardPage>;
}
