import type { HubContext } from '../context.ts';

/** Placeholder until the agent-presence profile lands. */
export function mountAgentPresence(_ctx: HubContext): void {}
