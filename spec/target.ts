/**
 * The target file: how the harness reaches any hub.
 * `ws`/`http` are base URLs and may carry a path prefix; several nodes form one clustered hub.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { Capabilities, Profile } from './schemas/common.ts';
import { HubproofError } from './errors.ts';

const BaseUrl = (protocols: string[]) =>
  z.url().refine((u) => protocols.includes(new URL(u).protocol), {
    message: `must be a ${protocols.map((p) => p.replace(':', '')).join(' or ')} URL`,
  });

const Command = (what: string) =>
  z.object({ command: z.string().min(1).describe(`Shell command that ${what}; exit 0 when done`) }).strict();

export const TargetNode = z
  .object({
    ws: BaseUrl(['ws:', 'wss:']).describe('WebSocket base URL; the harness appends /app/{key} and /ws/broadcasts'),
    http: BaseUrl(['http:', 'https:']).describe('HTTP base URL; the harness appends /apps/{id}/…, /api/…, /broadcasting/auth'),
    kill: Command('kills this node as a crash would (no goodbye, e.g. `docker kill hub-2`)')
      .optional()
      .describe('For the dead-node case of a cluster; needs `restart` too, which brings the node back afterwards'),
    restart: Command('starts this node again on the same URLs (e.g. `docker start hub-2`)')
      .optional()
      .describe('Brings a killed node back (the dead-node case)'),
    process: z
      .object({ pid: z.number().int().positive().describe('Process id') })
      .strict()
      .optional()
      .describe("This node's process on the harness's machine: the soak samples its RSS, CPU and open descriptors"),
  })
  .strict();

const App = z.object({ id: z.string().min(1), key: z.string().min(1), secret: z.string().min(1) }).strict();

export const TargetAgent = z
  .object({
    identifier: z.string().min(1),
    token: z.string().min(1),
    projects: z.array(z.number().int().positive()).default([]).describe('Project ids this agent may see'),
  })
  .strict();

export const TargetFile = z
  .object({
    name: z.string().min(1),
    profiles: z.array(Profile).min(1),
    nodes: z.array(TargetNode).min(1),
    app: App,
    agents: z.array(TargetAgent).default([]),
    /** Declared capabilities; absent ones are probed. */
    capabilities: Capabilities.optional(),
    /** Overrides for hubs without GET /api/hub (pure Pusher servers). */
    timings: z
      .object({
        activity_timeout_s: z.number().positive(),
        pong_timeout_ms: z.number().positive(),
        heartbeat_timeout_ms: z.number().positive(),
        stale_grace_ms: z.number().nonnegative(),
        idle_after_ms: z.number().positive(),
        offline_after_ms: z.number().positive(),
        conflict_budget_ms: z.number().positive(),
        dead_node_removal_ms: z.number().positive(),
      })
      .partial()
      .strict()
      .optional(),
    /**
     * The hub's own limits where they differ from Pusher's (spec/limits.ts has Pusher's); the limit cases
     * test the declared value and the report lists each difference as an informational finding.
     */
    limits: z
      .object({
        channel_name_length: z.number().int().positive().describe('Longest channel name accepted (Pusher: 164)'),
        event_data_bytes: z.number().int().positive().describe('Largest event `data` accepted, in bytes (Pusher: 10240)'),
        channels_per_trigger: z.number().int().positive().describe('Most channels one published event may name (Pusher: 100)'),
        batch_size: z.number().int().positive().describe('Most events in one batch_events request (Pusher: 10)'),
        client_events_per_second: z.number().int().positive().describe('Client events a connection may send per second (Pusher: 10)'),
        presence_members: z.number().int().positive().describe('Most members of one presence channel (Pusher: 100)'),
        frame_bytes: z.number().int().positive().describe('Largest WebSocket message accepted, in bytes (Pusher states none)'),
      })
      .partial()
      .strict()
      .optional(),
    /** Where the hub posts webhooks; the harness listens there. */
    webhooks: z.object({ listen: z.url() }).strict().optional(),
    /** A local hub process whose RSS the load driver may sample. */
    process: z
      .object({ pid: z.number().int().positive().describe('Process id') })
      .strict()
      .optional(),
    /** How to restart the hub, for persistence cases; absent = those cases are skipped. */
    restart: z
      .object({ command: z.string().min(1) })
      .strict()
      .optional(),
    /**
     * Another app sharing this hub's store (another app of the same hub, or another hub on the same Redis
     * under its own key prefix); absent = the cross-talk case of a cluster is skipped.
     */
    neighbour: z
      .object({
        app: App,
        nodes: z.array(TargetNode).min(1).optional().describe("The neighbour's nodes; absent = this target's (one hub serving both apps)"),
      })
      .strict()
      .optional(),
    /**
     * Notes for a person: a field path (`restart.command`) → what to put there and why. `hubproof init`
     * writes one for each field it could not find out from outside the hub. Every command ignores them.
     */
    _todo: z
      .record(z.string().min(1), z.string())
      .optional()
      .describe('Notes for a person, field path → what to put there and why (hubproof init writes them); ignored by every command'),
  })
  .strict()
  .superRefine((t, ctx) => {
    if ((t.profiles.includes('sync') || t.profiles.includes('agent-presence')) && t.agents.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['agents'], message: 'the sync and agent-presence profiles need at least one agent token' });
    }
  })
  .meta({ id: 'TargetFile', description: 'How hubproof reaches a hub' });
export type TargetFile = z.infer<typeof TargetFile>;

/** First zod issue as `path: message`, for one-line CLI errors. */
export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
  const more = error.issues.length > 1 ? ` (+${error.issues.length - 1} more)` : '';
  return `${path}: ${issue.message}${more}`;
}

export function parseTarget(value: unknown, source = 'target'): TargetFile {
  const parsed = TargetFile.safeParse(value);
  if (!parsed.success) {
    throw new HubproofError('HUBPROOF_ERR_TARGET_INVALID', `${source} is invalid at ${describeZodError(parsed.error)}`);
  }
  return parsed.data;
}

export function loadTargetFile(path: string): TargetFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new HubproofError(
      'HUBPROOF_ERR_TARGET_UNREADABLE',
      `cannot read target file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new HubproofError('HUBPROOF_ERR_TARGET_INVALID', `target file ${path} is not JSON: ${(err as Error).message}`);
  }
  return parseTarget(json, `target file ${path}`);
}
