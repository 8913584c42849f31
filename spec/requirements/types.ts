import { z } from 'zod';
import { Capability, ClientProfile, Profile } from '../schemas/common.ts';

export const Level = z.enum(['MUST', 'SHOULD', 'MAY']);
export type Level = z.infer<typeof Level>;

/** `profile/section/n`, e.g. `pusher/subscribe/3`. Ids are stable: never renumber, never reuse, only append. */
export const REQUIREMENT_ID_PATTERN = /^(pusher|sync|agent-presence|pusher-client)\/[a-z][a-z0-9-]*\/[1-9][0-9]*$/;

const RequirementId = z.string().regex(REQUIREMENT_ID_PATTERN);

/**
 * Why the rule has its level: the exact sentence of the cited source (`quote`), or the reasoning that
 * leads from the source to the rule (`derived`) where the source has no sentence that says it. A rule
 * whose meaning changed since its id was first published says how in `revised` (ids never move).
 */
export const Basis = z.union([
  z
    .object({
      quote: z.string().min(10).describe('The sentence of the source, verbatim'),
      revised: z.string().min(10).optional().describe('How and why the rule changed since its id was first published'),
    })
    .strict(),
  z
    .object({
      derived: z.string().min(10).describe('How the rule follows from the source, and why it has its level'),
      revised: z.string().min(10).optional().describe('How and why the rule changed since its id was first published'),
    })
    .strict(),
]);
export type Basis = z.infer<typeof Basis>;

export const Requirement = z
  .object({
    id: RequirementId,
    profile: z.union([Profile, ClientProfile]),
    section: z.string().regex(/^[a-z][a-z0-9-]*$/),
    level: Level,
    text: z.string().min(10).describe('The rule, as one sentence a vendor can act on'),
    source: z
      .string()
      .min(1)
      .describe(
        'A public document (https URL from the allow-list in spec/requirements/sources.ts) or a file of this repository (`docs/protocol.md#heading`)',
      ),
    basis: Basis,
    /**
     * Requirements whose behaviour the cases of this one need the hub to show before they can judge it
     * (a case that sees one unmet reports `blocked` by it, not `fail`). Direct dependencies only.
     */
    dependsOn: z.array(RequirementId).min(1).optional(),
    /** Optional capability the rule belongs to; targets without it report `unimplemented`. */
    capability: Capability.optional(),
  })
  .strict()
  .meta({ id: 'Requirement' });
export type Requirement = z.infer<typeof Requirement>;

/** A basis that quotes the source verbatim. */
export const quote = (sentence: string, revised?: string): Basis => (revised ? { quote: sentence, revised } : { quote: sentence });
/** A basis that reasons from the source (no sentence of it says the rule). */
export const derived = (reason: string, revised?: string): Basis => (revised ? { derived: reason, revised } : { derived: reason });

/** Shorthand used by the registry files: id parts derive profile and section. */
export function req(
  id: string,
  level: Level,
  text: string,
  source: string,
  basis: Basis,
  extra: Pick<Requirement, 'capability' | 'dependsOn'> = {},
): Requirement {
  const [profile, section] = id.split('/') as [Requirement['profile'], string];
  return Requirement.parse({ id, profile, section, level, text, source, basis, ...extra });
}

/** Selector = id prefix at any depth: `pusher`, `pusher/presence`, `sync/ordering/2`. */
export function matchesSelector(id: string, selector: string): boolean {
  const s = selector.replace(/\/+$/, '');
  return id === s || id.startsWith(`${s}/`);
}
