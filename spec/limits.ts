/**
 * Hub limits: Pusher's (the defaults every limit case tests) and what a target file declares instead.
 * Hubs choose limits by design (Soketi: channel names up to 200 characters, data up to 100 KB; Reverb: a
 * 10,000-byte cap on the whole HTTP body); a declared limit is tested as declared and listed as an
 * informational finding ("channel names: 200, Pusher 164"), never a failure by itself.
 */
import { CHANNEL_NAME_MAX_LENGTH } from './protocol/channels.ts';
import type { TargetFile } from './target.ts';

export type LimitName = keyof NonNullable<TargetFile['limits']>;
export type HubLimits = Record<Exclude<LimitName, 'frame_bytes'>, number> & { frame_bytes?: number };

/** Pusher's published limits (https://pusher.com/docs/channels/library_auth_reference/rest-api/, channel naming, client events). */
export const PUSHER_LIMITS: HubLimits = {
  channel_name_length: CHANNEL_NAME_MAX_LENGTH,
  event_data_bytes: 10 * 1024,
  channels_per_trigger: 100,
  batch_size: 10,
  client_events_per_second: 10,
  presence_members: 100,
};

/** How the report names each limit, and whether its values are byte sizes. */
const WORDS: Record<LimitName, { name: string; bytes?: true }> = {
  channel_name_length: { name: 'channel names' },
  event_data_bytes: { name: 'event data', bytes: true },
  channels_per_trigger: { name: 'channels per published event' },
  batch_size: { name: 'events per batch' },
  client_events_per_second: { name: 'client events per second' },
  presence_members: { name: 'presence members' },
  frame_bytes: { name: 'WebSocket messages', bytes: true },
};

/** Pusher's limits with the target's declarations over them. */
export function effectiveLimits(target: Pick<TargetFile, 'limits'>): HubLimits {
  return { ...PUSHER_LIMITS, ...(target.limits ?? {}) };
}

/** Whether the target declares `name` (a limit case's failure then says so instead of probing). */
export function declaresLimit(target: Pick<TargetFile, 'limits'>, name: LimitName): boolean {
  return target.limits?.[name] !== undefined;
}

/** `10240` → `10 KB`; `10000` → `10000 bytes`. */
export function formatLimit(name: LimitName, value: number): string {
  if (!WORDS[name].bytes) return String(value);
  return value % 1024 === 0 ? `${value / 1024} KB` : `${value} bytes`;
}

/** One line per declared limit that differs from Pusher's: `channel names: 200, Pusher 164`. */
export function limitDifferences(target: Pick<TargetFile, 'limits'>): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(target.limits ?? {}) as Array<[LimitName, number | undefined]>) {
    if (value === undefined) continue;
    const pusher = PUSHER_LIMITS[name];
    if (value === pusher) continue;
    out.push(
      `${WORDS[name].name}: ${formatLimit(name, value)}, Pusher ${pusher === undefined ? 'states none' : formatLimit(name, pusher)}`,
    );
  }
  return out;
}

/** What a failed, undeclared limit case adds: the limit the hub appears to have, and how to declare it. */
export function apparentLimit(name: LimitName, observed: string): string {
  return `the hub appears to have its own limit: ${WORDS[name].name} ${observed}; if that is by design, declare "limits": {"${name}": …} in the target file`;
}
