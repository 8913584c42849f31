import type { Requirement } from './types.ts';
import { matchesSelector } from './types.ts';

/** Placeholder registry; replaced by the full one (pusher.ts, sync.ts, agent-presence.ts). */
export const REQUIREMENTS: readonly Requirement[] = [];

export function selectRequirements(selectors: string[]): Requirement[] {
  if (selectors.length === 0) return [...REQUIREMENTS];
  return REQUIREMENTS.filter((r) => selectors.some((s) => matchesSelector(r.id, s)));
}
