import type { HubContext } from '../context.ts';

/** Placeholder until the sync profile lands. */
export function mountSync(_ctx: HubContext): void {}
