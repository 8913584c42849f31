/**
 * The agent driver protocol (`hubproof client --profile sync-client`): the sibling of the client driver
 * protocol for agents of the sync API. A driver wraps one agent implementation; hubproof writes commands
 * to its stdin and reads what the agent tells its application from its stdout, one JSON object per line
 * each way. Framing, `hello` and `ack` are the client driver protocol's (docs/client-driver-protocol.md,
 * "Agent drivers"); the JSON Schema (spec/generated/agent-driver.schema.json) is generated from these.
 */
import { z } from 'zod';

/** The agent protocol revision this hubproof speaks; a driver announces it in `hello` (`protocol`). */
export const AGENT_DRIVER_PROTOCOL_VERSION = 1;

const Id = z.number().int().nonnegative().describe('Chosen by hubproof; echoed in the `ack`');
const AgentName = z.string().min(1).describe('Which agent instance of the driver, e.g. `a1`');

export const AgentJoin = z
  .object({
    cmd: z.literal('join'),
    id: Id,
    agent: AgentName,
    api: z.url().describe('Base URL of the sync API (plain http); the Pusher event stream is `ws://` on the same host and port'),
    key: z.string().min(1).describe('The app key: the event stream is `/app/{key}`'),
    token: z.string().min(1).describe('The bearer token for every request and channel authorization'),
    sessionId: z.number().int().positive(),
    agentType: z.string().min(1),
    backoffCapMs: z
      .number()
      .int()
      .positive()
      .optional()
      .describe(
        'Cap the agent’s retry back-off at this many ms for this session, where its ceiling can be set (the back-off ceiling case asks for 500, so that it takes seconds). An agent whose ceiling cannot be set ignores it and reports the ceiling it uses in `joined`',
      ),
  })
  .meta({
    id: 'AgentJoin',
    description:
      'Join the session and keep it: read GET /api/hub, connect the event stream, join, subscribe private-session.{id}, heartbeat at the advertised interval, reconnect and catch up when the stream drops, pause on a detected conflict. Ack at once; report `joined` when done.',
  });

export const AgentCreate = z
  .object({
    cmd: z.literal('create'),
    id: Id,
    agent: AgentName,
    title: z.string().min(1),
    description: z.string(),
  })
  .meta({
    id: 'AgentCreate',
    description:
      'Create a todo in the session (retrying as the agent does, and held while it is paused on a conflict). Ack at once; report `created` or `error` when done.',
  });

export const AgentLeave = z
  .object({ cmd: z.literal('leave'), id: Id, agent: AgentName })
  .meta({ id: 'AgentLeave', description: 'The application is done with the session: leave it. Ack at once; report `left` when done.' });

export const AgentExit = z
  .object({ cmd: z.literal('exit'), id: Id })
  .meta({ id: 'AgentExit', description: 'Stop every agent (without leaving), answer `ack`, and exit 0.' });

export const AgentCommand = z
  .discriminatedUnion('cmd', [AgentJoin, AgentCreate, AgentLeave, AgentExit])
  .meta({ id: 'AgentCommand', description: 'One line on the agent driver’s stdin.' });
export type AgentCommand = z.infer<typeof AgentCommand>;

export const AgentHello = z
  .object({
    type: z.literal('hello'),
    protocol: z.number().int().positive().describe('The agent driver protocol revision the driver speaks (this document: 1)'),
    driver: z.string().min(1),
    library: z.string().min(1).describe('The agent implementation under test'),
    version: z.string().min(1),
  })
  .meta({ id: 'AgentHello', description: 'The first line a driver writes, before reading any command.' });

export const AgentAck = z
  .object({ type: z.literal('ack'), id: Id, error: z.string().min(1).optional() })
  .meta({ id: 'AgentAck', description: 'The command was taken (`error` when it was refused).' });

export const AgentState = z
  .object({
    type: z.literal('state'),
    agent: AgentName,
    state: z.string().min(1).describe('The event stream’s state as the agent names it; hubproof reads `connected`'),
  })
  .meta({ id: 'AgentState', description: 'The agent’s event stream changed state.' });

export const AgentJoined = z
  .object({
    type: z.literal('joined'),
    agent: AgentName,
    participantId: z.number().int().positive(),
    backoffCapMs: z
      .number()
      .positive()
      .optional()
      .describe(
        'The ceiling of the agent’s back-off, ms, when it is not the `backoffCapMs` that `join` asked for (or `join` asked for none)',
      ),
  })
  .meta({ id: 'AgentJoined', description: 'The agent joined the session, with the participant id the API gave it.' });

export const AgentEventSeen = z
  .object({
    type: z.literal('event'),
    agent: AgentName,
    channel: z.string().min(1),
    event: z.string().min(1).describe('The wire name, e.g. `App\\Events\\AgentTodoChanged`'),
    data: z.record(z.string(), z.unknown()).describe('The event data as the application got it, envelope (`seq`, `event_id`) included'),
  })
  .meta({ id: 'AgentEventSeen', description: 'The agent handed an event to its application (live or from history).' });

export const AgentCreated = z
  .object({ type: z.literal('created'), agent: AgentName, title: z.string(), todoId: z.number().int().positive() })
  .meta({ id: 'AgentCreated', description: 'A create succeeded, with the todo id the API answered.' });

export const AgentLeft = z
  .object({ type: z.literal('left'), agent: AgentName })
  .meta({ id: 'AgentLeft', description: 'The agent left the session.' });

export const AgentPaused = z
  .object({
    type: z.literal('paused'),
    agent: AgentName,
    conflictId: z.number().int().describe('The `conflict_id` of the `AgentConflictDetected` it paused for'),
    todoIds: z
      .array(z.number().int())
      .optional()
      .describe('The conflicting todos (`details.todo1_id`, `todo2_id`), when the event names them'),
  })
  .meta({
    id: 'AgentPaused',
    description:
      'What the agent does, not what it sees: it paused its work on the session’s todos for a detected conflict, and sends no create there until it resumes.',
  });

export const AgentResumed = z
  .object({
    type: z.literal('resumed'),
    agent: AgentName,
    conflictId: z.number().int(),
    resolved: z.boolean().describe('true after the conflict’s `AgentConflictResolved`; false when the agent stopped waiting for one'),
  })
  .meta({ id: 'AgentResumed', description: 'The agent resumed the work it paused for conflict `conflictId`.' });

export const AgentErrorSeen = z
  .object({ type: z.literal('error'), agent: AgentName.optional(), message: z.string().min(1) })
  .meta({ id: 'AgentErrorSeen', description: 'The agent reported an error to its application (a create that gave up, a failed join).' });

export const AgentLog = z
  .object({ type: z.literal('log'), agent: AgentName.optional(), text: z.string() })
  .meta({ id: 'AgentLog', description: 'Free text for the wire log; never judged.' });

export const AgentObservation = z
  .discriminatedUnion('type', [
    AgentHello,
    AgentAck,
    AgentState,
    AgentJoined,
    AgentEventSeen,
    AgentCreated,
    AgentLeft,
    AgentPaused,
    AgentResumed,
    AgentErrorSeen,
    AgentLog,
  ])
  .meta({ id: 'AgentObservation', description: 'One line on the agent driver’s stdout.' });
export type AgentObservation = z.infer<typeof AgentObservation>;
