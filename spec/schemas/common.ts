import { z } from 'zod';

/** RFC 3339 with milliseconds, as every hubproof timestamp is written (`2025-10-19T14:30:00.000Z`). */
export const Timestamp = z.iso.datetime({ offset: true, precision: 3 }).meta({ id: 'Timestamp' });
/** RFC 3339 at any precision, for fields the source documents show without milliseconds. */
export const LooseTimestamp = z.iso.datetime({ offset: true }).meta({ id: 'LooseTimestamp' });

/** Every JSON error body of the sync and agent-presence APIs. */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().min(1).describe('Stable machine-readable code, e.g. `session_full`'),
      message: z.string().min(1).describe('What went wrong and what to do'),
    }),
  })
  .meta({ id: 'ErrorBody', description: 'Error body of every JSON endpoint, sent with the matching HTTP status.' });
export type ErrorBody = z.infer<typeof ErrorBody>;

export const Profile = z.enum(['pusher', 'sync', 'agent-presence']).meta({ id: 'Profile' });
export type Profile = z.infer<typeof Profile>;
export const PROFILES = Profile.options;

/**
 * Profiles of client conformance (`hubproof client`): rules a client library is held to. Requirements may
 * belong to one; a target file never declares one (a hub is not a client).
 */
export const ClientProfile = z.enum(['pusher-client']).meta({ id: 'ClientProfile' });
export type ClientProfile = z.infer<typeof ClientProfile>;
export const CLIENT_PROFILES = ClientProfile.options;

/** Optional capabilities a hub may have; a case for an absent one is reported `unimplemented`. */
export const Capability = z
  .enum(['client_events', 'cache_channels', 'encrypted_channels', 'signin', 'webhooks'])
  .meta({ id: 'Capability' });
export type Capability = z.infer<typeof Capability>;

/** Which optional capabilities a hub declares; an absent key means "not declared" (the harness probes). */
export const Capabilities = z
  .object({
    client_events: z.boolean(),
    cache_channels: z.boolean(),
    encrypted_channels: z.boolean(),
    signin: z.boolean(),
    webhooks: z.boolean(),
  } satisfies Record<Capability, z.ZodBoolean>)
  .partial()
  .strict()
  .meta({ id: 'Capabilities' });
