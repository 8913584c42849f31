/**
 * Every mutant, in report order. Each breaks exactly one requirement (`breaks`); the self-test
 * (test/conformance/mutants.test.ts) and `npm run mutants` prove the suite fails each on that id.
 */
import { HubproofError } from '../../spec/errors.ts';
import { CLUSTER_MUTANTS } from './cluster-mutants.ts';
import { crashNoRestart, crashWithRestart } from './crash-mutants.ts';
import { noServerPings, pingsOnlySubscribed } from './heartbeat-mutants.ts';
import { acceptForgedAuth, echoClientEvents, memberRemovedPerConnection, unsignedHttpApi } from './pusher-mutants.ts';
import { startProxied } from './proxy-mutant.ts';
import {
  errorCodesOutOfClass,
  silentOnMalformedJson,
  httpAuthReplayWindow,
  httpErrorsAs200,
  memberAddedPerConnection,
  presenceHashOmitsBareMembers,
  presenceRefusesBareMember,
  userCountPerConnection,
  whisperUnauthorised,
} from './story-mutants.ts';
import { historyDropsFixedSeq, historyRepeatsEventId, historySkipsEvent, reEmitOnRetry, restartLosesEvents } from './sync-api-mutants.ts';
import {
  dropLastDelivery,
  dropOneDelivery,
  dropPresenceUpdates,
  hideStaleParticipants,
  lateConflictResolution,
  slowHub,
  swapEvents,
} from './sync-stream-mutants.ts';
import type { Mutant, RunningMutant } from './types.ts';

export type { Mutant, RunningMutant } from './types.ts';
export { CLUSTER_MUTANTS } from './cluster-mutants.ts';

export const MUTANTS: readonly Mutant[] = [
  swapEvents,
  dropOneDelivery,
  dropLastDelivery,
  reEmitOnRetry,
  historyRepeatsEventId,
  acceptForgedAuth,
  echoClientEvents,
  memberRemovedPerConnection,
  hideStaleParticipants,
  lateConflictResolution,
  unsignedHttpApi,
  historySkipsEvent,
  historyDropsFixedSeq,
  restartLosesEvents,
  slowHub,
  dropPresenceUpdates,
  httpErrorsAs200,
  presenceRefusesBareMember,
  presenceHashOmitsBareMembers,
  memberAddedPerConnection,
  httpAuthReplayWindow,
  whisperUnauthorised,
  userCountPerConnection,
  errorCodesOutOfClass,
  silentOnMalformedJson,
  crashNoRestart,
  crashWithRestart,
  noServerPings,
  pingsOnlySubscribed,
];

export function findMutant(name: string): Mutant {
  const all = [...MUTANTS, ...CLUSTER_MUTANTS];
  const m = all.find((x) => x.name === name);
  if (!m) throw new HubproofError('HUBPROOF_ERR_USAGE', `unknown mutant "${name}"; known: ${all.map((x) => x.name).join(', ')}`);
  return m;
}

/** Starts the named broken hub; its target points at the mutating proxy. */
export function startMutant(name: string): Promise<RunningMutant> {
  return findMutant(name).start();
}

/** The same reference hub behind the same (but faithful) relay: the control every mutant is compared with. */
export function startControl(): Promise<RunningMutant> {
  return startProxied('control (no mutation)', () => ({}));
}
