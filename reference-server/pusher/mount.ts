import type { Broadcaster, HubContext } from '../context.ts';

/** Placeholder until the pusher profile lands. */
export function mountPusher(_ctx: HubContext): Broadcaster {
  return { publish: () => undefined, subscriberCount: () => 0 };
}
