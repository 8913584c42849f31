/** The requirement registry: every rule hubproof certifies, as data. */
import { AGENT_PRESENCE_REQUIREMENTS } from './agent-presence.ts';
import { PUSHER_REQUIREMENTS } from './pusher.ts';
import { SYNC_REQUIREMENTS } from './sync.ts';
import type { Requirement } from './types.ts';
import { matchesSelector } from './types.ts';

export * from './dependencies.ts';
export * from './types.ts';
export { AGENT_PRESENCE_REQUIREMENTS, PUSHER_REQUIREMENTS, SYNC_REQUIREMENTS };

export const REQUIREMENTS: readonly Requirement[] = [...PUSHER_REQUIREMENTS, ...SYNC_REQUIREMENTS, ...AGENT_PRESENCE_REQUIREMENTS];

const BY_ID = new Map(REQUIREMENTS.map((r) => [r.id, r]));

/** Requirements whose id starts with any selector (id prefix at any depth); no selectors = all. */
export function selectRequirements(selectors: readonly string[]): Requirement[] {
  if (selectors.length === 0) return [...REQUIREMENTS];
  return REQUIREMENTS.filter((r) => selectors.some((s) => matchesSelector(r.id, s)));
}

export function requirementById(id: string): Requirement | undefined {
  return BY_ID.get(id);
}
