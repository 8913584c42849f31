/** The sync profile's cases, by section, in run order. */
import type { Case } from '../../types.ts';
import { authCases } from './auth.ts';
import { badInputCases } from './bad-input.ts';
import { causalityCases } from './causality.ts';
import { clusterCases } from './cluster.ts';
import { conflictCases } from './conflicts.ts';
import { deliveryCases } from './delivery.ts';
import { envelopeCases } from './envelope.ts';
import { errorCases } from './errors.ts';
import { heartbeatCases } from './heartbeat.ts';
import { historyCases } from './history.ts';
import { hubInfoCases } from './hub-info.ts';
import { idempotencyCases } from './idempotency.ts';
import { orderingCases } from './ordering.ts';
import { participantCases } from './participants.ts';
import { propagationCases } from './propagation.ts';
import { sessionCases } from './sessions.ts';
import { todoCases } from './todos.ts';

export const syncCases: Case[] = [
  ...hubInfoCases,
  ...authCases,
  ...sessionCases,
  ...participantCases,
  ...todoCases,
  ...envelopeCases,
  ...orderingCases,
  ...causalityCases,
  ...idempotencyCases,
  ...deliveryCases,
  ...historyCases,
  ...heartbeatCases,
  ...conflictCases,
  ...propagationCases,
  ...errorCases,
  ...badInputCases,
  ...clusterCases,
];
