/**
 * Every conformance case, in run order, with its id `<requirement>#<n>` (n counts the cases of one
 * requirement from 1, in the order they are listed here, so ids are stable while cases are appended).
 * A case that proves several requirements has one id per requirement (see assignCaseIds).
 */
import type { Case } from '../types.ts';
import { agentPresenceCases } from './agent-presence/index.ts';
import { pusherCases } from './pusher/index.ts';
import { syncCases } from './sync/index.ts';

export { agentPresenceCases, pusherCases, syncCases };

export const ALL_CASES: readonly Case[] = [...pusherCases, ...syncCases, ...agentPresenceCases];

export { assignCaseIds, provedBy, type IdentifiedCase } from '../case-ids.ts';
