/** The requirement registry: every rule hubproof certifies, as data. */
import { AGENT_PRESENCE_REQUIREMENTS } from './agent-presence.ts';
import { PUSHER_REQUIREMENTS } from './pusher.ts';
import { PUSHER_CLIENT_REQUIREMENTS } from './pusher-client.ts';
import { SYNC_REQUIREMENTS } from './sync.ts';
import type { Requirement } from './types.ts';
import { matchesSelector } from './types.ts';

export * from './dependencies.ts';
export * from './types.ts';
export { AGENT_PRESENCE_REQUIREMENTS, PUSHER_CLIENT_REQUIREMENTS, PUSHER_REQUIREMENTS, SYNC_REQUIREMENTS };

export const REQUIREMENTS: readonly Requirement[] = [
  ...PUSHER_REQUIREMENTS,
  ...SYNC_REQUIREMENTS,
  ...AGENT_PRESENCE_REQUIREMENTS,
  ...PUSHER_CLIENT_REQUIREMENTS,
];

/** The rules a hub is held to (every profile a target may declare); client rules are `hubproof client`'s. */
export const HUB_REQUIREMENTS: readonly Requirement[] = REQUIREMENTS.filter((r) => !r.profile.endsWith('-client'));

const BY_ID = new Map(REQUIREMENTS.map((r) => [r.id, r]));

/** Requirements whose id starts with any selector (id prefix at any depth); no selectors = all. */
export function selectRequirements(selectors: readonly string[]): Requirement[] {
  if (selectors.length === 0) return [...REQUIREMENTS];
  return REQUIREMENTS.filter((r) => selectors.some((s) => matchesSelector(r.id, s)));
}

export function requirementById(id: string): Requirement | undefined {
  return BY_ID.get(id);
}
