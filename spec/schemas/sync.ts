/**
 * Profile `sync`: the agent-sync API, its six events and their envelope.
 * Source: docs/protocol.md, "Profile sync" (payload fields as the product's design input gives them).
 */
import { z } from 'zod';
import { Capabilities, Profile, Timestamp, LooseTimestamp } from './common.ts';

export const Id = z.number().int().positive();

/** Added to every sync event's data; `seq` is per channel, gapless from 1, in broadcast order. */
export const Envelope = z
  .object({
    event_id: z.string().min(1).describe('Unique per logical event; the same on every channel it goes to'),
    seq: z.number().int().positive().describe('Per channel, starts at 1, gapless, in broadcast order'),
    emitted_at: Timestamp,
  })
  .meta({ id: 'SyncEnvelope' });

export const AgentSessionStarted = Envelope.extend({
  session_id: Id,
  project_id: Id,
  issue_id: Id,
  coordinator_type: z.string().min(1),
  started_at: LooseTimestamp,
}).meta({ id: 'AgentSessionStarted', description: 'Broadcast to private-project.{id} and private-issue.{id}' });

export const AgentParticipantJoined = Envelope.extend({
  participant_id: Id,
  agent_identifier: z.string().min(1),
  agent_type: z.string().min(1),
  session_id: Id,
}).meta({ id: 'AgentParticipantJoined', description: 'Broadcast to private-session.{id}' });

export const AgentParticipantLeft = Envelope.extend({
  participant_id: Id,
  agent_identifier: z.string().min(1),
  agent_type: z.string().min(1),
  session_id: Id,
  reason: z.enum(['left', 'stale']),
}).meta({ id: 'AgentParticipantLeft', description: 'Broadcast to private-session.{id}' });

export const TodoStatus = z.enum(['open', 'done', 'cancelled']).meta({ id: 'TodoStatus' });
export const Todo = z
  .object({
    todo_id: Id,
    session_id: Id,
    title: z.string(),
    description: z.string(),
    status: TodoStatus,
    version: z.number().int().positive(),
    created_by: z.string().describe('agent_identifier of the creator'),
    created_at: Timestamp,
  })
  .meta({ id: 'Todo' });

export const AgentTodoChanged = Envelope.extend({
  session_id: Id,
  change: z.enum(['created', 'updated', 'cancelled']),
  todo: Todo,
}).meta({ id: 'AgentTodoChanged', description: 'Broadcast to private-session.{id}' });

export const DuplicateTodoDetails = z
  .object({ todo1_id: Id, todo2_id: Id, similarity: z.number().min(0).max(1) })
  .meta({ id: 'DuplicateTodoDetails' });
export const ConcurrentUpdateDetails = z
  .object({ todo_id: Id, expected_version: z.number().int(), actual_version: z.number().int() })
  .meta({ id: 'ConcurrentUpdateDetails' });

export const AgentConflictDetected = Envelope.extend({
  conflict_id: Id,
  conflict_type: z.enum(['duplicate_todo', 'concurrent_update']),
  session_id: Id,
  first_agent: z.string().describe('agent_type of the agent whose change came first'),
  second_agent: z.string(),
  details: z.union([DuplicateTodoDetails, ConcurrentUpdateDetails]),
}).meta({ id: 'AgentConflictDetected', description: 'Broadcast to private-session.{id}' });

export const AgentConflictResolved = Envelope.extend({
  conflict_id: Id,
  conflict_type: z.enum(['duplicate_todo', 'concurrent_update']),
  session_id: Id,
  kept_todo_id: Id,
  cancelled_todo_id: Id.nullable().describe('null for concurrent_update: the losing write is rejected, nothing cancelled'),
  strategy: z.enum(['keep_more_detailed', 'first_writer_wins']),
}).meta({ id: 'AgentConflictResolved', description: 'Broadcast to private-session.{id}' });

export const SYNC_EVENTS = {
  AgentSessionStarted,
  AgentParticipantJoined,
  AgentParticipantLeft,
  AgentTodoChanged,
  AgentConflictDetected,
  AgentConflictResolved,
} as const;
export type SyncEventName = keyof typeof SYNC_EVENTS;
export const SYNC_EVENT_NAMES = Object.keys(SYNC_EVENTS) as SyncEventName[];

/** On the wire the event name is Laravel's default broadcast name. */
export const LARAVEL_EVENT_NAMESPACE = 'App\\Events\\';
export function wireEventName(name: SyncEventName): string {
  return `${LARAVEL_EVENT_NAMESPACE}${name}`;
}
export function syncEventFromWire(wire: string): SyncEventName | undefined {
  if (!wire.startsWith(LARAVEL_EVENT_NAMESPACE)) return undefined;
  const name = wire.slice(LARAVEL_EVENT_NAMESPACE.length);
  return name in SYNC_EVENTS ? (name as SyncEventName) : undefined;
}

// ---- HTTP API ---------------------------------------------------------------------------------

export const HubInfo = z
  .object({
    name: z.string(),
    version: z.string(),
    spec_version: z.string(),
    profiles: z.array(Profile),
    capabilities: Capabilities,
    limits: z.object({
      max_participants: z.number().int().positive(),
      max_dashboards_per_session: z.number().int().positive(),
      max_event_bytes: z.number().int().positive(),
      max_channels_per_event: z.number().int().positive(),
      max_batch_events: z.number().int().positive(),
      client_events_per_second: z.number().positive(),
      history_page_max: z.number().int().positive(),
    }),
    timings: z.object({
      activity_timeout_s: z.number().positive().describe('Declared in pusher:connection_established'),
      pong_timeout_ms: z.number().positive().describe('How long the hub waits for a pong before closing with 4201'),
      heartbeat_interval_ms: z.number().positive(),
      heartbeat_timeout_ms: z.number().positive(),
      stale_grace_ms: z.number().nonnegative().describe('Bound on reporting a stale participant after its timeout'),
      conflict_threshold: z.number().min(0).max(1),
      conflict_budget_ms: z.number().positive(),
      idle_after_ms: z.number().positive(),
      offline_after_ms: z.number().positive(),
    }),
    cluster: z
      .object({
        node_id: z.string().describe('This node'),
        nodes: z.number().int().nonnegative().describe('Live nodes sharing the state'),
        status: z
          .enum(['connected', 'disconnected', 'state_lost'])
          .describe(
            'disconnected: the shared store is unreachable; this node serves its own connections only and its HTTP API answers 503',
          ),
        redis: z.string().describe('Where the shared state lives (password masked)'),
        prefix: z.string().describe('Key prefix of this hub in the shared store'),
        persistence: z.enum(['aof', 'rdb', 'off', 'unknown']).describe('off: acknowledged sync events do not survive a store restart'),
        lease_ms: z.number().positive(),
        dead_node_removal_ms: z.number().positive().describe("Bound on removing a dead node's presence members and dashboards"),
      })
      .optional()
      .describe('Present when the hub is one node of a cluster'),
  })
  .meta({ id: 'HubInfo', description: 'GET /api/hub: what the hub implements and the numbers the harness adapts to' });
export type HubInfo = z.infer<typeof HubInfo>;

export const BroadcastingAuthRequest = z
  .object({ socket_id: z.string(), channel_name: z.string() })
  .meta({ id: 'BroadcastingAuthRequest', description: 'form-encoded, with Authorization: Bearer <token>' });
export const BroadcastingAuthResponse = z
  .object({ auth: z.string(), channel_data: z.string().optional() })
  .meta({ id: 'BroadcastingAuthResponse' });

export const CreateSessionRequest = z
  .object({ project_id: Id, issue_id: Id, coordinator_type: z.string().min(1).max(100) })
  .meta({ id: 'CreateSessionRequest' });
export const Session = z
  .object({
    session_id: Id,
    project_id: Id,
    issue_id: Id,
    coordinator_type: z.string(),
    started_at: Timestamp,
  })
  .meta({ id: 'Session' });

export const JoinSessionRequest = z.object({ agent_type: z.string().min(1).max(100) }).meta({ id: 'JoinSessionRequest' });
export const Participant = z
  .object({
    participant_id: Id,
    session_id: Id,
    agent_identifier: z.string(),
    agent_type: z.string(),
    joined_at: Timestamp,
    last_heartbeat_at: Timestamp,
    status: z.enum(['active', 'left', 'stale']),
  })
  .meta({ id: 'Participant' });

export const CreateTodoRequest = z
  .object({ title: z.string().min(1).max(500), description: z.string().max(10_000).default('') })
  .meta({ id: 'CreateTodoRequest', description: 'Send an Idempotency-Key header to make retries safe' });
export const UpdateTodoRequest = z
  .object({
    title: z.string().min(1).max(500).optional(),
    description: z.string().max(10_000).optional(),
    status: TodoStatus.optional(),
    expected_version: z.number().int().positive(),
  })
  .meta({ id: 'UpdateTodoRequest' });
export const TodoList = z.object({ todos: z.array(Todo) }).meta({ id: 'TodoList' });

export const HistoryEvent = z
  .object({
    seq: z.number().int().positive(),
    event_id: z.string(),
    event: z.string().describe('Wire name, e.g. App\\Events\\AgentTodoChanged'),
    data: z.record(z.string(), z.unknown()).describe('The event data as broadcast, envelope included'),
    emitted_at: Timestamp,
  })
  .meta({ id: 'HistoryEvent' });
export const HistoryPage = z
  .object({
    channel: z.string(),
    events: z.array(HistoryEvent),
    last_seq: z.number().int().nonnegative().describe('Highest seq on the channel so far'),
  })
  .meta({ id: 'HistoryPage', description: 'GET /api/channels/{channel}/events?after_seq=N&limit=M' });

export const SYNC_ERROR_CODES = [
  'bad_request',
  'invalid_json',
  'validation_failed',
  'unauthenticated',
  'forbidden',
  'not_found',
  'session_full',
  'version_conflict',
  'idempotency_key_reused',
  'payload_too_large',
  'unsupported_media_type',
  'method_not_allowed',
] as const;
