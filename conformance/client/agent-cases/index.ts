/**
 * Every sync-client case (agents), in run order, with ids `<requirement>#<n>` assigned as the
 * pusher-client cases' are (cases/index.ts).
 */
import { effectiveTimings } from '../../context.ts';
import type { ClientCase } from '../client-case.ts';
import type { Advertised } from '../client-runner.ts';
import { scriptedHubInfo } from '../sync-api/sync-routes.ts';
import { backoffCapCases } from './backoff-cap.ts';
import { conflictCases } from './conflicts.ts';
import { joinBackoffCases } from './join-backoff.ts';
import { sessionCases } from './session.ts';
import { streamCases } from './stream.ts';

export const AGENT_CASES: readonly ClientCase[] = [
  ...joinBackoffCases,
  ...backoffCapCases,
  ...sessionCases,
  ...streamCases,
  ...conflictCases,
];

/**
 * What the scripted sync API of every case advertises to the agent (`GET /api/hub`, and `activity_timeout`
 * in `connection_established`): the report's `hub` and `timings` of a sync-client run.
 */
export const SYNC_API_ADVERTISED: Advertised = (() => {
  const hub = scriptedHubInfo();
  return { hub, timings: effectiveTimings({}, hub) };
})();
