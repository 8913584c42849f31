/**
 * Profile `sync`: reliable agent collaboration over private Pusher channels.
 * The product's decisions are recorded in docs/protocol.md ("Profile sync") and every rule here cites
 * its section there; the bodies and events are the JSON Schemas generated from spec/schemas/sync.ts.
 * Ids are stable: never renumber, never reuse, only append.
 */
import { BAD_INPUT_RULE } from './doc-quotes.ts';
import { derived, quote, req, type Requirement } from './types.ts';

const DOC = 'docs/protocol.md';
const ACTORS = `${DOC}#actors-tokens-and-channels`;
const HUB = `${DOC}#hub-description`;
const SESSIONS = `${DOC}#sessions-and-participants`;
const TODOS = `${DOC}#todos`;
const ENVELOPE = `${DOC}#events-and-envelope`;
const ORDER = `${DOC}#ordering-and-causality`;
const IDEMPOTENCY = `${DOC}#idempotency`;
const DELIVERY = `${DOC}#delivery-and-history`;
const HEARTBEAT = `${DOC}#participant-heartbeat`;
const CONFLICTS = `${DOC}#conflicts`;
const ERRORS = `${DOC}#error-bodies`;
const BAD = `${DOC}#bad-input`;
const CHANNEL_AUTH = 'https://pusher.com/docs/channels/library_auth_reference/auth-signatures/';
const ECHO = 'https://laravel.com/docs/broadcasting#namespaces';

/** What most sync cases stand on: a session, a joined participant, a created todo, readable history. */
const SESSION = 'sync/sessions/1';
const JOINED = 'sync/participants/1';
const TODO = 'sync/todos/1';
const HISTORY = 'sync/history/1';
/** The scenario that makes a hub emit all six events (session, joins, a resolved duplicate, a leave). */
const ALL_SIX = ['sync/sessions/2', 'sync/participants/3', 'sync/conflicts/4'];

const ENVELOPE_SENTENCE =
  "Every event's data also carries `event_id` (unique per logical event, the same on every channel it goes to), `seq` (per channel, starting at 1 and rising by exactly 1 with each event broadcast on that channel) and `emitted_at` (RFC 3339 with milliseconds).";
const IDEMPOTENT_SENTENCE =
  'A mutating request repeated with the same `Idempotency-Key` and body returns the same status and body as the first, changes nothing and broadcasts nothing new, even when the repeats arrive at the same moment.';
const CLUSTER_SENTENCE =
  "Then an event caused through one node reaches subscribers connected to every node, a channel's `seq` and history are the same whichever node is asked, and an `Idempotency-Key` used through one node is honoured through every other.";
const STALE_SENTENCE =
  'A participant without a heartbeat for `heartbeat_timeout` is marked stale, and `AgentParticipantLeft {reason:"stale"}` is broadcast within `stale_grace` (5 s) after the timeout; a participant that heartbeats within every `heartbeat_timeout` is never marked stale.';

export const SYNC_REQUIREMENTS: readonly Requirement[] = [
  // hub-info
  req(
    'sync/hub-info/1',
    'MUST',
    'A hub MUST answer `GET /api/hub` with 200 and a HubInfo body: spec version, the profiles it implements, capabilities, limits and timings.',
    HUB,
    quote(
      '`GET /api/hub` answers with the spec version, the profiles the hub implements, its capabilities, its limits (maximum participants, dashboards per session, history page size, event size and the rest) and its timings (heartbeat interval and timeout, stale grace, conflict threshold and budget, idle and offline periods), so the harness adapts to the hub.',
    ),
  ),
  req(
    'sync/hub-info/2',
    'MUST',
    'A hub MUST enforce exactly the limits and timings it advertises in `GET /api/hub` (max participants, heartbeat timeout, stale grace, conflict threshold and budget).',
    HUB,
    quote('A hub enforces exactly the limits and timings it advertises.'),
    { dependsOn: ['sync/hub-info/1', JOINED] },
  ),

  // auth
  req(
    'sync/auth/1',
    'MUST',
    'A hub MUST answer 401 `unauthenticated` to a sync API or `POST /broadcasting/auth` request without a valid `Authorization: Bearer` token.',
    ACTORS,
    quote(
      'A request without a valid token gets 401 `unauthenticated`; an agent acting outside its scope gets 403 `forbidden` and changes nothing.',
    ),
  ),
  req(
    'sync/auth/2',
    'MUST',
    'A hub MUST answer 403 `forbidden` to an agent acting on a project, session or channel outside its scope, and change nothing.',
    ACTORS,
    quote(
      'A request without a valid token gets 401 `unauthenticated`; an agent acting outside its scope gets 403 `forbidden` and changes nothing.',
    ),
    { dependsOn: [SESSION] },
  ),
  req(
    'sync/auth/3',
    'MUST',
    'A hub MUST answer `POST /broadcasting/auth` (form `socket_id`, `channel_name`, bearer token) for a permitted channel with 200 `{auth}` holding a valid Pusher channel signature for that socket and channel.',
    CHANNEL_AUTH,
    derived(
      'Laravel Echo and pusher-js send `socket_id` and `channel_name` to the auth endpoint and subscribe with the `auth` it returns, which the hub checks as the authentication signatures page defines (`<pusher-key>:<signature>` over `<socket_id>:<channel_name>`); any other answer leaves every agent without its channels.',
    ),
    { dependsOn: [JOINED] },
  ),
  req(
    'sync/auth/4',
    'MUST',
    "A hub MUST answer `POST /broadcasting/auth` with 403 for `private-project.{id}` or `private-issue.{id}` unless the agent's token is scoped to that project.",
    ACTORS,
    quote(
      'Channel authorization is `POST /broadcasting/auth` (form `socket_id`, `channel_name`, bearer token), answered with `{auth}`; the session channel is for participants of that session only, the project and issue channels for agents scoped to the project.',
    ),
    { dependsOn: [SESSION] },
  ),
  req(
    'sync/auth/5',
    'MUST',
    'A hub MUST answer `POST /broadcasting/auth` with 403 for `private-session.{id}` unless the agent is an active participant of that session.',
    ACTORS,
    quote(
      'Channel authorization is `POST /broadcasting/auth` (form `socket_id`, `channel_name`, bearer token), answered with `{auth}`; the session channel is for participants of that session only, the project and issue channels for agents scoped to the project.',
    ),
    { dependsOn: [JOINED] },
  ),
  req(
    'sync/auth/6',
    'MUST',
    'A hub MUST answer `POST /broadcasting/auth` with 403 for any channel other than `private-session.{id}`, `private-project.{id}` and `private-issue.{id}`.',
    ACTORS,
    quote('Sync channels are private only: `private-session.{id}`, `private-project.{id}` and `private-issue.{id}`.'),
    { dependsOn: [JOINED] },
  ),

  // sessions
  req(
    'sync/sessions/1',
    'MUST',
    'A hub MUST answer `POST /api/sessions {project_id, issue_id, coordinator_type}` with 201 and the created Session.',
    SESSIONS,
    quote(
      '`POST /api/sessions {project_id, issue_id, coordinator_type}` answers 201 with the Session and broadcasts `AgentSessionStarted` to the project and issue channels, with one `event_id` on both.',
    ),
  ),
  req(
    'sync/sessions/2',
    'MUST',
    'A hub MUST broadcast `AgentSessionStarted` to `private-project.{project_id}` and `private-issue.{issue_id}` with the same `event_id` on both.',
    SESSIONS,
    quote(
      '`POST /api/sessions {project_id, issue_id, coordinator_type}` answers 201 with the Session and broadcasts `AgentSessionStarted` to the project and issue channels, with one `event_id` on both.',
    ),
    { dependsOn: [SESSION, 'sync/auth/3'] },
  ),

  // participants
  req(
    'sync/participants/1',
    'MUST',
    'A hub MUST answer `POST /api/sessions/{id}/participants {agent_type}` with 201 and the Participant, and broadcast `AgentParticipantJoined` to `private-session.{id}`.',
    SESSIONS,
    quote(
      '`POST /api/sessions/{id}/participants {agent_type}` answers 201 with the Participant and broadcasts `AgentParticipantJoined`; a join beyond `max_participants` active participants (default 10) gets 409 `session_full` and broadcasts nothing.',
    ),
    { dependsOn: [SESSION] },
  ),
  req(
    'sync/participants/2',
    'MUST',
    'A hub MUST answer a join beyond `max_participants` active participants (default 10) with 409 `session_full` and broadcast nothing.',
    SESSIONS,
    quote(
      '`POST /api/sessions/{id}/participants {agent_type}` answers 201 with the Participant and broadcasts `AgentParticipantJoined`; a join beyond `max_participants` active participants (default 10) gets 409 `session_full` and broadcasts nothing.',
    ),
    { dependsOn: [JOINED] },
  ),
  req(
    'sync/participants/3',
    'MUST',
    'A hub MUST answer `DELETE /api/sessions/{id}/participants/{pid}` with 204 and broadcast `AgentParticipantLeft {reason:"left"}`.',
    SESSIONS,
    quote('`DELETE …/participants/{pid}` answers 204 and broadcasts `AgentParticipantLeft {reason:"left"}`.'),
    { dependsOn: [JOINED] },
  ),
  req(
    'sync/participants/4',
    'MUST',
    'A participant that left or went stale MUST no longer count toward `max_participants`.',
    SESSIONS,
    quote('A participant that left or went stale no longer counts toward the limit, and its departure is broadcast once.'),
    { dependsOn: ['sync/participants/2', 'sync/participants/3'] },
  ),
  req(
    'sync/participants/5',
    'MUST',
    'A hub MUST NOT broadcast a second `AgentParticipantLeft` for a participant that has already left or gone stale.',
    SESSIONS,
    quote('A participant that left or went stale no longer counts toward the limit, and its departure is broadcast once.'),
    { dependsOn: ['sync/participants/3', HISTORY] },
  ),

  // todos
  req(
    'sync/todos/1',
    'MUST',
    'A hub MUST answer `POST /api/sessions/{id}/todos {title, description}` with 201 and the Todo (version 1, status open), and broadcast `AgentTodoChanged {change:"created"}`.',
    TODOS,
    quote(
      '`POST /api/sessions/{id}/todos {title, description}` answers 201 with the Todo at version 1, status open, and broadcasts `AgentTodoChanged {change:"created"}`.',
    ),
    { dependsOn: [JOINED, 'sync/auth/3'] },
  ),
  req(
    'sync/todos/2',
    'MUST',
    'A hub MUST apply a `PATCH /api/sessions/{id}/todos/{tid}` whose `expected_version` matches, raise the version by one and broadcast `AgentTodoChanged` (`updated`, or `cancelled` when the status becomes cancelled).',
    TODOS,
    quote(
      '`PATCH …/todos/{tid}` with the current `expected_version` raises the version by one and broadcasts `updated` (or `cancelled` when the status becomes cancelled); a stale `expected_version` gets 409 `version_conflict` and leaves the todo unchanged.',
    ),
    { dependsOn: [TODO] },
  ),
  req(
    'sync/todos/3',
    'MUST',
    'A hub MUST answer a `PATCH` whose `expected_version` is stale with 409 `version_conflict` and leave the todo unchanged.',
    TODOS,
    quote(
      '`PATCH …/todos/{tid}` with the current `expected_version` raises the version by one and broadcasts `updated` (or `cancelled` when the status becomes cancelled); a stale `expected_version` gets 409 `version_conflict` and leaves the todo unchanged.',
    ),
    { dependsOn: ['sync/todos/2'] },
  ),
  req(
    'sync/todos/4',
    'MUST',
    'A hub MUST answer `GET /api/sessions/{id}/todos` with `{todos}`: every todo of the session at its current version.',
    TODOS,
    quote('`GET …/todos` lists every todo of the session at its current version.'),
    { dependsOn: ['sync/todos/2'] },
  ),

  // envelope
  req(
    'sync/envelope/1',
    'MUST',
    "Every sync event's data MUST carry `event_id`, `seq` and `emitted_at` (RFC 3339 with milliseconds).",
    ENVELOPE,
    quote(ENVELOPE_SENTENCE),
    { dependsOn: ALL_SIX },
  ),
  req(
    'sync/envelope/2',
    'MUST',
    'An `event_id` MUST be unique per logical event and the same on every channel that event goes to.',
    ENVELOPE,
    quote(ENVELOPE_SENTENCE),
    { dependsOn: ALL_SIX },
  ),
  req(
    'sync/envelope/3',
    'MUST',
    "A channel's `seq` MUST start at 1 and rise by exactly 1 with each event broadcast on that channel.",
    ENVELOPE,
    quote(ENVELOPE_SENTENCE),
    { dependsOn: [...ALL_SIX, HISTORY] },
  ),
  req(
    'sync/envelope/4',
    'MUST',
    "A hub MUST name each sync event on the wire `App\\Events\\<Name>` so `echo.private('session.42').listen('<Name>', …)` receives it unchanged.",
    ECHO,
    quote('This is because Echo will automatically assume the events are located in the `App\\Events` namespace.'),
    { dependsOn: ALL_SIX },
  ),
  req(
    'sync/envelope/5',
    'MUST',
    'Each of the six sync events MUST carry the payload fields its JSON Schema in spec/generated/sync.schema.json requires.',
    ENVELOPE,
    quote(
      'The six events are `AgentSessionStarted`, `AgentParticipantJoined`, `AgentParticipantLeft`, `AgentTodoChanged`, `AgentConflictDetected` and `AgentConflictResolved`, with the payload fields of their JSON Schemas.',
    ),
    { dependsOn: ALL_SIX },
  ),

  // ordering
  req(
    'sync/ordering/1',
    'MUST',
    'Every subscriber MUST see the `seq` of each channel strictly increasing.',
    ORDER,
    quote("Each subscriber sees each channel's `seq` strictly increasing, and history lists a channel's events in the same order."),
    { dependsOn: [TODO, 'sync/todos/2'] },
  ),
  req(
    'sync/ordering/2',
    'MUST',
    "A hub MUST broadcast a channel's events in `seq` order and list them in that order in history.",
    ORDER,
    quote("Each subscriber sees each channel's `seq` strictly increasing, and history lists a channel's events in the same order."),
    { dependsOn: [TODO, HISTORY] },
  ),

  // causality
  req(
    'sync/causality/1',
    'MUST',
    'A todo\'s `AgentTodoChanged {change:"created"}` MUST precede, on the session channel, any `AgentConflictDetected` naming that todo.',
    ORDER,
    quote(
      "Effects come after their causes: a todo's `created` before any conflict about it, `AgentConflictDetected` before its `AgentConflictResolved`, a participant's join before its leave.",
    ),
    { dependsOn: ['sync/conflicts/2', 'sync/conflicts/6', HISTORY] },
  ),
  req(
    'sync/causality/2',
    'MUST',
    'An `AgentConflictDetected` MUST precede the `AgentConflictResolved` with the same `conflict_id`.',
    ORDER,
    quote(
      "Effects come after their causes: a todo's `created` before any conflict about it, `AgentConflictDetected` before its `AgentConflictResolved`, a participant's join before its leave.",
    ),
    { dependsOn: ['sync/conflicts/2', 'sync/conflicts/6'] },
  ),
  req(
    'sync/causality/3',
    'MUST',
    "A participant's `AgentParticipantJoined` MUST precede its `AgentParticipantLeft`.",
    ORDER,
    quote(
      "Effects come after their causes: a todo's `created` before any conflict about it, `AgentConflictDetected` before its `AgentConflictResolved`, a participant's join before its leave.",
    ),
    { dependsOn: ['sync/participants/3', HISTORY] },
  ),

  // idempotency
  req(
    'sync/idempotency/1',
    'MUST',
    'A mutating request repeated by the same agent with the same `Idempotency-Key` and body MUST get the same status and body as the first.',
    IDEMPOTENCY,
    quote(IDEMPOTENT_SENTENCE),
    { dependsOn: [TODO] },
  ),
  req(
    'sync/idempotency/2',
    'MUST',
    'A repeated request with a used `Idempotency-Key` MUST change nothing and broadcast nothing new.',
    IDEMPOTENCY,
    quote(IDEMPOTENT_SENTENCE),
    { dependsOn: [TODO, HISTORY] },
  ),
  req(
    'sync/idempotency/3',
    'MUST',
    'A hub MUST answer a request reusing an `Idempotency-Key` with a different method, path or body with 422 `idempotency_key_reused` and change nothing.',
    IDEMPOTENCY,
    quote('A key reused with another method, path or body gets 422 `idempotency_key_reused`.'),
    { dependsOn: [TODO] },
  ),
  req(
    'sync/idempotency/4',
    'MUST',
    'Concurrent requests with the same `Idempotency-Key` MUST take effect once.',
    IDEMPOTENCY,
    quote(IDEMPOTENT_SENTENCE),
    { dependsOn: [TODO] },
  ),
  req(
    'sync/idempotency/5',
    'MUST',
    "A channel's history MUST never hold one `event_id` twice.",
    IDEMPOTENCY,
    quote('History never holds one `event_id` twice.'),
    { dependsOn: [TODO, HISTORY] },
  ),
  req(
    'sync/idempotency/6',
    'SHOULD',
    'A hub SHOULD scope `Idempotency-Key`s per agent, so two agents using the same key do not collide.',
    IDEMPOTENCY,
    quote('Keys should be scoped per agent, so two agents that happen to pick the same key do not collide.'),
    { dependsOn: [TODO] },
  ),

  // delivery
  req(
    'sync/delivery/1',
    'MUST',
    'A hub MUST persist an event before it sends the event to any subscriber.',
    DELIVERY,
    quote(
      "Events are persisted before they are broadcast and survive a hub restart with the same `event_id`, `seq` and data; after a restart a channel's `seq` continues from its last value.",
    ),
    { dependsOn: [TODO, HISTORY] },
  ),
  req(
    'sync/delivery/2',
    'MUST',
    'Persisted events MUST survive a hub restart with the same `event_id`, `seq` and data.',
    DELIVERY,
    quote(
      "Events are persisted before they are broadcast and survive a hub restart with the same `event_id`, `seq` and data; after a restart a channel's `seq` continues from its last value.",
    ),
    { dependsOn: [TODO, HISTORY] },
  ),
  req(
    'sync/delivery/3',
    'MUST',
    "After a restart a channel's `seq` MUST continue from its last value, with no gap and no reuse.",
    DELIVERY,
    quote(
      "Events are persisted before they are broadcast and survive a hub restart with the same `event_id`, `seq` and data; after a restart a channel's `seq` continues from its last value.",
    ),
    { dependsOn: [TODO, HISTORY] },
  ),
  req(
    'sync/delivery/4',
    'MUST',
    'A subscriber cut off at any moment that reconnects and reads history after its last `seq` MUST end with every event of the channel, each once after de-duplication by `event_id`.',
    DELIVERY,
    quote(
      'A subscriber cut off at any moment that reconnects and reads history after its last `seq` ends with every event, each once after de-duplication by `event_id`.',
    ),
    { dependsOn: [TODO, HISTORY] },
  ),
  req(
    'sync/delivery/5',
    'MUST',
    'A hub MUST deliver each event, exactly once and without skipping a `seq`, to every connection subscribed to its channel from before the request that caused it until after its acknowledgement.',
    DELIVERY,
    quote(
      'Every connection subscribed to a channel from before the request that caused an event until after its acknowledgement gets that event exactly once.',
    ),
    { dependsOn: [TODO, JOINED] },
  ),

  // history
  req(
    'sync/history/1',
    'MUST',
    "A hub MUST answer `GET /api/channels/{channel}/events?after_seq=N&limit=M` with the channel's events with `seq` > N in ascending order, at most M of them, and `last_seq`.",
    DELIVERY,
    quote(
      "`GET /api/channels/{channel}/events?after_seq=N&limit=M` answers with the channel's events after `seq` N in ascending order, at most M of them and never more than `history_page_max`, with `last_seq`; each carries the same wire name, `event_id`, `seq` and data as the broadcast.",
    ),
    { dependsOn: [TODO] },
  ),
  req(
    'sync/history/2',
    'MUST',
    'Each history event MUST carry the same wire name, `event_id`, `seq` and data as the broadcast.',
    DELIVERY,
    quote(
      "`GET /api/channels/{channel}/events?after_seq=N&limit=M` answers with the channel's events after `seq` N in ascending order, at most M of them and never more than `history_page_max`, with `last_seq`; each carries the same wire name, `event_id`, `seq` and data as the broadcast.",
    ),
    { dependsOn: [HISTORY] },
  ),
  req(
    'sync/history/3',
    'MUST',
    'A hub MUST return at most `history_page_max` events per page, whatever `limit` asks for.',
    DELIVERY,
    quote(
      "`GET /api/channels/{channel}/events?after_seq=N&limit=M` answers with the channel's events after `seq` N in ascending order, at most M of them and never more than `history_page_max`, with `last_seq`; each carries the same wire name, `event_id`, `seq` and data as the broadcast.",
    ),
    { dependsOn: [HISTORY, 'sync/hub-info/1'] },
  ),
  req(
    'sync/history/4',
    'MUST',
    'A hub MUST answer a history request for a channel the agent may not subscribe to with 403 `forbidden`.',
    DELIVERY,
    quote(
      'A history request for a channel the agent may not subscribe to gets 403; one at or beyond `last_seq`, or for a channel without events, gets 200 and an empty `events` array.',
    ),
    { dependsOn: [JOINED] },
  ),
  req(
    'sync/history/5',
    'MUST',
    'A hub MUST answer a history request with `after_seq` at or beyond `last_seq`, or for a sync channel without events, with 200 and an empty `events` array.',
    DELIVERY,
    quote(
      'A history request for a channel the agent may not subscribe to gets 403; one at or beyond `last_seq`, or for a channel without events, gets 200 and an empty `events` array.',
    ),
    { dependsOn: [HISTORY] },
  ),

  // heartbeat
  req(
    'sync/heartbeat/1',
    'MUST',
    'A hub MUST answer `POST /api/sessions/{id}/participants/{pid}/heartbeat` for an active participant with 204 and restart its heartbeat clock.',
    HEARTBEAT,
    quote(
      '`POST …/participants/{pid}/heartbeat` answers 204 for an active participant and restarts its clock; for a participant that left or went stale it answers 404 `not_found` and broadcasts nothing.',
    ),
    { dependsOn: [JOINED] },
  ),
  req(
    'sync/heartbeat/2',
    'MUST',
    'A participant without a heartbeat for `heartbeat_timeout` MUST be marked stale, and `AgentParticipantLeft {reason:"stale"}` MUST be broadcast within `stale_grace` (5 s) after the timeout.',
    HEARTBEAT,
    quote(STALE_SENTENCE),
    { dependsOn: ['sync/heartbeat/1'] },
  ),
  req(
    'sync/heartbeat/3',
    'MUST',
    'A hub MUST NOT mark stale a participant that heartbeats within every `heartbeat_timeout`.',
    HEARTBEAT,
    quote(STALE_SENTENCE),
    { dependsOn: ['sync/heartbeat/1'] },
  ),
  req(
    'sync/heartbeat/4',
    'MUST',
    'A hub MUST answer a heartbeat for a participant that has left or gone stale with 404 `not_found` and broadcast nothing.',
    HEARTBEAT,
    quote(
      '`POST …/participants/{pid}/heartbeat` answers 204 for an active participant and restarts its clock; for a participant that left or went stale it answers 404 `not_found` and broadcasts nothing.',
    ),
    { dependsOn: ['sync/participants/3'] },
  ),
  req(
    'sync/heartbeat/5',
    'SHOULD',
    'A hub SHOULD default `heartbeat_timeout` to 120 s and let operators configure it.',
    HEARTBEAT,
    quote('The timeout defaults to 120 s and is configurable and advertised.'),
    { dependsOn: ['sync/hub-info/1'] },
  ),

  // conflicts
  req(
    'sync/conflicts/1',
    'MUST',
    'A hub MUST compare titles after normalising them: NFKC, lower case, every non-letter/digit to a space, whitespace collapsed, trimmed.',
    CONFLICTS,
    quote(
      'Titles are compared after normalising them: NFKC, lower case, every character that is not a letter or digit turned into a space, whitespace collapsed, trimmed.',
    ),
    { dependsOn: ['sync/conflicts/2'] },
  ),
  req(
    'sync/conflicts/2',
    'MUST',
    'A hub MUST broadcast `AgentConflictDetected {conflict_type:"duplicate_todo"}` with `todo1_id`, `todo2_id` and `similarity` when two open todos of one session reach `1 − Levenshtein(a,b)/max(len a, len b)` ≥ the threshold.',
    CONFLICTS,
    quote(
      'Two open todos of one session whose similarity reaches the threshold (default 0.85, configurable and advertised) are a `duplicate_todo` conflict; todos of different sessions, todos no longer open and pairs below the threshold are not.',
    ),
    { dependsOn: [TODO, 'sync/hub-info/1'] },
  ),
  req(
    'sync/conflicts/3',
    'MUST',
    'A hub MUST NOT report a duplicate for todos of different sessions, for a todo that is no longer open, or below the threshold.',
    CONFLICTS,
    quote(
      'Two open todos of one session whose similarity reaches the threshold (default 0.85, configurable and advertised) are a `duplicate_todo` conflict; todos of different sessions, todos no longer open and pairs below the threshold are not.',
    ),
    { dependsOn: ['sync/conflicts/2', 'sync/todos/2'] },
  ),
  req(
    'sync/conflicts/4',
    'MUST',
    'A hub MUST resolve a duplicate by keeping the todo with the longer trimmed description (tie: the earlier), cancelling the other with `AgentTodoChanged {change:"cancelled"}` and broadcasting `AgentConflictResolved {strategy:"keep_more_detailed"}`.',
    CONFLICTS,
    quote(
      'The hub resolves a duplicate by keeping the todo with the longer trimmed description (on a tie, the earlier one) and cancelling the other, broadcasting `AgentConflictDetected` and then `AgentConflictResolved {strategy:"keep_more_detailed"}`; both reach every session subscriber within the conflict budget (250 ms) of the second create request.',
    ),
    { dependsOn: ['sync/conflicts/2'] },
  ),
  req(
    'sync/conflicts/5',
    'MUST',
    '`AgentConflictDetected` and `AgentConflictResolved` MUST reach every session subscriber within `conflict_budget` (250 ms) of the second create request.',
    CONFLICTS,
    quote(
      'The hub resolves a duplicate by keeping the todo with the longer trimmed description (on a tie, the earlier one) and cancelling the other, broadcasting `AgentConflictDetected` and then `AgentConflictResolved {strategy:"keep_more_detailed"}`; both reach every session subscriber within the conflict budget (250 ms) of the second create request.',
    ),
    { dependsOn: ['sync/conflicts/4'] },
  ),
  req(
    'sync/conflicts/6',
    'MUST',
    'A `PATCH` with a stale `expected_version` MUST produce `AgentConflictDetected {conflict_type:"concurrent_update"}` and `AgentConflictResolved {strategy:"first_writer_wins", cancelled_todo_id:null}`.',
    CONFLICTS,
    quote(
      'A `PATCH` with a stale `expected_version` is a `concurrent_update` conflict, resolved `first_writer_wins` with no todo cancelled.',
    ),
    { dependsOn: ['sync/todos/3'] },
  ),
  req(
    'sync/conflicts/7',
    'SHOULD',
    'A hub SHOULD default the conflict threshold to 0.85 and let operators configure it.',
    CONFLICTS,
    quote(
      'Two open todos of one session whose similarity reaches the threshold (default 0.85, configurable and advertised) are a `duplicate_todo` conflict; todos of different sessions, todos no longer open and pairs below the threshold are not.',
    ),
    { dependsOn: ['sync/hub-info/1'] },
  ),

  // propagation
  req(
    'sync/propagation/1',
    'MUST',
    'An event MUST reach its subscribers within 50 ms (p99) of the request that caused it, same host, light load.',
    `${DOC}#propagation`,
    quote('An event reaches its subscribers within 50 ms (p99) of the request that caused it, on one host under light load.'),
    { dependsOn: [TODO] },
  ),

  // errors
  req(
    'sync/errors/1',
    'MUST',
    'Every error of the sync API MUST be a JSON body `{error:{code, message}}` sent with the matching HTTP status.',
    ERRORS,
    quote('Every error of the sync API is a JSON body `{error:{code, message}}` sent with the matching HTTP status:'),
    { dependsOn: [SESSION] },
  ),
  req(
    'sync/errors/2',
    'MUST',
    'A hub MUST answer a request naming an unknown session, participant or todo with 404 `not_found`.',
    ERRORS,
    quote('Every error of the sync API is a JSON body `{error:{code, message}}` sent with the matching HTTP status:'),
    { dependsOn: [SESSION] },
  ),
  req(
    'sync/errors/3',
    'MUST',
    'A hub MUST answer a known path with an unsupported method with 405 `method_not_allowed`.',
    ERRORS,
    quote('Every error of the sync API is a JSON body `{error:{code, message}}` sent with the matching HTTP status:'),
    { dependsOn: [SESSION] },
  ),
  req(
    'sync/errors/4',
    'MUST',
    'A hub MUST answer a body that fails validation with 400 `validation_failed` naming the offending field.',
    ERRORS,
    quote('Every error of the sync API is a JSON body `{error:{code, message}}` sent with the matching HTTP status:'),
    { dependsOn: [SESSION] },
  ),
  req(
    'sync/errors/5',
    'MUST',
    'A request refused with a 4xx status MUST change nothing and broadcast nothing, except that a stale-version `PATCH` reports its `concurrent_update` conflict (sync/conflicts/6).',
    ERRORS,
    quote(
      'A request refused with a 4xx status changes nothing and broadcasts nothing, except that a stale-version `PATCH` reports its `concurrent_update` conflict.',
    ),
    { dependsOn: ['sync/participants/2', TODO, HISTORY] },
  ),

  // bad-input
  req(
    'sync/bad-input/1',
    'MUST',
    'A hub MUST answer a body that is not valid JSON with 400 `invalid_json` and change nothing.',
    BAD,
    quote(BAD_INPUT_RULE),
    { dependsOn: [TODO, HISTORY] },
  ),
  req(
    'sync/bad-input/2',
    'MUST',
    'A hub MUST answer a JSON body sent with another content type with 415 `unsupported_media_type`.',
    BAD,
    quote('A JSON body sent with another content type gets 415; a body larger than the limit gets 413.'),
    { dependsOn: [TODO, HISTORY] },
  ),
  req(
    'sync/bad-input/3',
    'MUST',
    'A hub MUST answer a body larger than its limit with 413 `payload_too_large`.',
    BAD,
    quote('A JSON body sent with another content type gets 415; a body larger than the limit gets 413.'),
    { dependsOn: [TODO, HISTORY] },
  ),
  req(
    'sync/bad-input/4',
    'MUST',
    'A hub MUST answer wrong types and out-of-range values (ids, `after_seq`, `limit`, `expected_version`) with 400 and lose no stored event.',
    BAD,
    quote(BAD_INPUT_RULE),
    { dependsOn: [TODO, HISTORY] },
  ),

  // cluster: only for targets with several nodes
  req(
    'sync/cluster/1',
    'MUST',
    'In a hub of several nodes, an event caused through one node MUST reach subscribers connected to every node.',
    `${DOC}#clusters`,
    quote(CLUSTER_SENTENCE),
    { dependsOn: [TODO] },
  ),
  req(
    'sync/cluster/2',
    'MUST',
    "In a hub of several nodes, a channel's `seq` and history MUST be the same whichever node is asked.",
    `${DOC}#clusters`,
    quote(CLUSTER_SENTENCE),
    { dependsOn: [HISTORY] },
  ),
  req(
    'sync/cluster/3',
    'MUST',
    'In a hub of several nodes, an `Idempotency-Key` used through one node MUST be honoured through every other node.',
    `${DOC}#clusters`,
    quote(CLUSTER_SENTENCE),
    { dependsOn: ['sync/idempotency/1'] },
  ),
];
