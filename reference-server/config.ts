/**
 * Reference hub configuration: one options object, defaults first, each documented where declared.
 * Every timing is configurable so tests can run the heartbeat and idle rules in seconds.
 */
import { z } from 'zod';
import { HubproofError } from '../spec/errors.ts';
import { describeZodError } from '../spec/target.ts';

export const HubConfig = z
  .object({
    /** Address to bind. Loopback by default: the reference hub is a test fixture, not a public server. */
    host: z.string().default('127.0.0.1'),
    /** 0 picks a free port. */
    port: z.number().int().min(0).max(65535).default(6001),
    /** Directory of the SQLite database (`hub.sqlite`, WAL mode). `:memory:` keeps nothing across restarts. */
    dataDir: z.string().default('.hubproof/data'),
    name: z.string().default('hubproof-reference'),
    app: z
      .object({ id: z.string().min(1), key: z.string().min(1), secret: z.string().min(8) })
      .default({ id: '1', key: 'hubproof-key', secret: 'hubproof-secret-change-me' }),
    agents: z
      .array(
        z.object({
          identifier: z.string().min(1),
          token: z.string().min(8),
          projects: z.array(z.number().int().positive()).default([1]),
        }),
      )
      .default([
        { identifier: 'claude-backend-001', token: 'token-backend-0001', projects: [1, 2] },
        { identifier: 'claude-frontend-002', token: 'token-frontend-0002', projects: [1, 2] },
        { identifier: 'claude-security-003', token: 'token-security-0003', projects: [1] },
      ]),
    limits: z
      .object({
        // implements: sync/participants/2
        /** Participants per agent session; the next join gets 409 session_full. */
        maxParticipants: z.number().int().positive().default(10),
        // implements: agent-presence/limits/1
        /** /ws/broadcasts connections per session_id; the next one is closed with 1013. */
        maxDashboardsPerSession: z.number().int().positive().default(10),
        /** Largest event `data` the HTTP API accepts (Pusher: 10 KB → 413). */
        maxEventBytes: z
          .number()
          .int()
          .positive()
          .default(10 * 1024),
        maxChannelsPerEvent: z.number().int().positive().default(100),
        maxBatchEvents: z.number().int().positive().default(10),
        /** Largest WebSocket frame accepted; larger frames get pusher:error 4302 (Pusher caps client events at 10 KB). */
        maxFrameBytes: z
          .number()
          .int()
          .positive()
          .default(64 * 1024),
        /** Largest HTTP body accepted. */
        maxBodyBytes: z
          .number()
          .int()
          .positive()
          .default(256 * 1024),
        /** Client events per connection per second before 4301 (Pusher's default is 10). */
        clientEventsPerSecond: z.number().positive().default(10),
        historyPageMax: z.number().int().positive().default(1000),
      })
      .prefault({}),
    timings: z
      .object({
        /** Seconds, announced in pusher:connection_established; the hub pings a client idle this long. */
        activityTimeoutS: z.number().positive().default(120),
        /** How long the hub waits for a pong after its ping before closing with 4201. */
        pongTimeoutMs: z.number().positive().default(30_000),
        /** How often agents are expected to heartbeat (advertised only). */
        heartbeatIntervalMs: z.number().positive().default(60_000),
        // implements: sync/heartbeat/5
        /** A participant silent this long is stale. */
        heartbeatTimeoutMs: z.number().positive().default(120_000),
        /** How often the sweeper looks for stale participants; bounds the report delay after the timeout. */
        sweepIntervalMs: z.number().positive().default(1_000),
        /** Advertised bound on reporting a stale participant after its timeout. */
        staleGraceMs: z.number().nonnegative().default(5_000),
        // implements: sync/conflicts/7
        conflictThreshold: z.number().min(0).max(1).default(0.85),
        conflictBudgetMs: z.number().positive().default(250),
        /** Presence: quiet this long → idle; longer → offline. */
        idleAfterMs: z.number().positive().default(60_000),
        offlineAfterMs: z.number().positive().default(300_000),
      })
      .prefault({}),
    /** Optional capabilities; all on in the reference hub. */
    features: z
      .object({
        clientEvents: z.boolean().default(true),
        cacheChannels: z.boolean().default(true),
        encryptedChannels: z.boolean().default(true),
        signin: z.boolean().default(true),
      })
      .prefault({}),
    /** Where to POST signed webhooks; absent = webhooks off. */
    webhooks: z.object({ url: z.url(), vacatedDelayMs: z.number().nonnegative().default(3000) }).optional(),
    /**
     * Set = this process is one node of a hub whose shared state lives in this Redis (see
     * reference-server/cluster/README.md). Absent = a single node on SQLite, exactly as without it.
     */
    redis: z
      .object({
        /** `redis://[user:password@]host:port[/db]`. */
        url: z.string().regex(/^rediss?:\/\/[^/\s]+/, 'must be a redis://host:port URL'),
        /** Key prefix of this hub; default `hubproof:{app.id}`. Hubs sharing one Redis need different prefixes. */
        prefix: z
          .string()
          .regex(/^[A-Za-z0-9_.:{}-]{1,100}$/, 'must be 1-100 of A-Z a-z 0-9 _ . : { } -')
          .optional(),
        /**
         * A node renews its lease every leaseMs/3; a node whose lease lapsed (SIGKILL, partition) is
         * declared dead and its presence members, subscriptions and dashboards are removed cluster-wide.
         * Bound from death to removal: leaseMs + leaseMs/4 (the reaper's period) + one log round trip.
         */
        leaseMs: z.number().int().min(300).max(600_000).default(4_000),
        /** Log entries between snapshots of the shared state; older entries are then trimmed from Redis. */
        snapshotEvery: z.number().int().min(100).default(10_000),
      })
      .strict()
      .optional(),
    /** Log each connection and request to stderr. */
    verbose: z.boolean().default(false),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.timings.offlineAfterMs <= c.timings.idleAfterMs) {
      ctx.addIssue({ code: 'custom', path: ['timings', 'offlineAfterMs'], message: 'must be greater than timings.idleAfterMs' });
    }
  });
export type HubConfig = z.infer<typeof HubConfig>;
export type HubConfigInput = z.input<typeof HubConfig>;

export function parseHubConfig(input: unknown, source = 'hub config'): HubConfig {
  const parsed = HubConfig.safeParse(input ?? {});
  if (!parsed.success) {
    throw new HubproofError('HUBPROOF_ERR_CONFIG_INVALID', `${source} is invalid at ${describeZodError(parsed.error)}`);
  }
  return parsed.data;
}
