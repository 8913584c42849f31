/**
 * Every conformance case, in run order, with its id `<requirement>#<n>` (n counts the cases of one
 * requirement from 1, in the order they are listed here, so ids are stable while cases are appended).
 */
import type { Case } from '../types.ts';
import { agentPresenceCases } from './agent-presence/index.ts';
import { pusherCases } from './pusher/index.ts';
import { syncCases } from './sync/index.ts';

export { agentPresenceCases, pusherCases, syncCases };

export const ALL_CASES: readonly Case[] = [...pusherCases, ...syncCases, ...agentPresenceCases];

export interface IdentifiedCase {
  id: string;
  case: Case;
}

export function assignCaseIds(cases: readonly Case[]): IdentifiedCase[] {
  const counts = new Map<string, number>();
  return cases.map((c) => {
    const n = (counts.get(c.requirement) ?? 0) + 1;
    counts.set(c.requirement, n);
    return { id: `${c.requirement}#${n}`, case: c };
  });
}
