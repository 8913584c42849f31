/**
 * Every client conformance case, in run order, with ids `<requirement>#<n>` assigned as the hub cases'
 * are (conformance/cases/index.ts): stable while cases are appended.
 */
import { assignCaseIds } from '../../case-ids.ts';
import type { ClientCase } from '../client-case.ts';
import { backoffCases } from './backoff.ts';
import { clientEventCases } from './client-events.ts';
import { connectionCases } from './connection.ts';
import { eventsCases } from './events.ts';
import { heartbeatCases } from './heartbeat.ts';
import { presenceCases } from './presence.ts';
import { reconnectCases } from './reconnect.ts';
import { resubscribeCases } from './resubscribe.ts';
import { robustnessCases } from './robustness.ts';
import { subscribeCases } from './subscribe.ts';

export const CLIENT_CASES: readonly ClientCase[] = [
  ...connectionCases,
  ...subscribeCases,
  ...eventsCases,
  ...heartbeatCases,
  ...reconnectCases,
  ...backoffCases,
  ...resubscribeCases,
  ...presenceCases,
  ...clientEventCases,
  ...robustnessCases,
];

export interface IdentifiedClientCase {
  id: string;
  case: ClientCase;
  rows: Array<{ id: string; requirement: string }>;
}

export function assignClientCaseIds(cases: readonly ClientCase[]): IdentifiedClientCase[] {
  // Ids depend only on requirement and alsoProves, so the hub cases' numbering applies as is.
  const ids = assignCaseIds(
    cases.map((c) => ({ requirement: c.requirement, alsoProves: c.alsoProves, desc: c.desc, run: async () => undefined })),
  );
  return ids.map((x, i) => ({ id: x.id, case: cases[i]!, rows: x.rows }));
}
