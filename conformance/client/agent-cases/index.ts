/**
 * Every sync-client case (agents), in run order, with ids `<requirement>#<n>` assigned as the
 * pusher-client cases' are (cases/index.ts).
 */
import type { ClientCase } from '../client-case.ts';
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
