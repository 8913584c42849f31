import { z } from 'zod';
import { Capability, Profile } from '../schemas/common.ts';

export const Level = z.enum(['MUST', 'SHOULD', 'MAY']);
export type Level = z.infer<typeof Level>;

/** `profile/section/n`, e.g. `pusher/subscribe/3`. Ids are stable: never renumber, only append. */
export const REQUIREMENT_ID_PATTERN = /^(pusher|sync|agent-presence)\/[a-z][a-z0-9-]*\/[1-9][0-9]*$/;

export const Requirement = z
  .object({
    id: z.string().regex(REQUIREMENT_ID_PATTERN),
    profile: Profile,
    section: z.string().regex(/^[a-z][a-z0-9-]*$/),
    level: Level,
    text: z.string().min(10).describe('The rule, as one sentence a vendor can act on'),
    source: z.string().min(1).describe('Public document URL, or "PROTOCOL.md#<section>"'),
    /** Optional capability the rule belongs to; targets without it report `unimplemented`. */
    capability: Capability.optional(),
  })
  .strict()
  .meta({ id: 'Requirement' });
export type Requirement = z.infer<typeof Requirement>;

/** Shorthand used by the registry files: id parts derive profile and section. */
export function req(
  id: string,
  level: Level,
  text: string,
  source: string,
  extra: Pick<Requirement, 'capability'> = {},
): Requirement {
  const [profile, section] = id.split('/') as [Requirement['profile'], string];
  return Requirement.parse({ id, profile, section, level, text, source, ...extra });
}

/** Selector = id prefix at any depth: `pusher`, `pusher/presence`, `sync/ordering/2`. */
export function matchesSelector(id: string, selector: string): boolean {
  const s = selector.replace(/\/+$/, '');
  return id === s || id.startsWith(`${s}/`);
}
