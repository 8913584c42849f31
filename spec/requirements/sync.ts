/**
 * Profile `sync`: reliable agent collaboration over private Pusher channels.
 * Decisions PROTOCOL.md leaves open (status codes, error codes, history paging) are the ones the schemas
 * in spec/schemas/sync.ts encode; they cite PROTOCOL.md#profile-sync too.
 * Ids are stable: never renumber, only append.
 */
import { req, type Requirement } from './types.ts';

const S = 'PROTOCOL.md#profile-sync';
const BAD = 'PROTOCOL.md#bad-input';
const CHANNEL_AUTH = 'https://pusher.com/docs/channels/library_auth_reference/auth-signatures/';
const ECHO = 'https://laravel.com/docs/broadcasting#listening-for-events';

export const SYNC_REQUIREMENTS: readonly Requirement[] = [
  // hub-info
  req('sync/hub-info/1', 'MUST', 'A hub MUST answer `GET /api/hub` with 200 and a HubInfo body: spec version, the profiles it implements, capabilities, limits and timings.', S),
  req('sync/hub-info/2', 'MUST', 'A hub MUST enforce exactly the limits and timings it advertises in `GET /api/hub` (max participants, heartbeat timeout, stale grace, conflict threshold and budget).', S),

  // auth
  req('sync/auth/1', 'MUST', 'A hub MUST answer 401 `unauthenticated` to a sync API or `POST /broadcasting/auth` request without a valid `Authorization: Bearer` token.', S),
  req('sync/auth/2', 'MUST', 'A hub MUST answer 403 `forbidden` to an agent acting on a project, session or channel outside its scope, and change nothing.', S),
  req('sync/auth/3', 'MUST', 'A hub MUST answer `POST /broadcasting/auth` (form `socket_id`, `channel_name`, bearer token) for a permitted channel with 200 `{auth}` holding a valid Pusher channel signature for that socket and channel.', CHANNEL_AUTH),
  req('sync/auth/4', 'MUST', 'A hub MUST answer `POST /broadcasting/auth` with 403 for `private-project.{id}` or `private-issue.{id}` unless the agent\'s token is scoped to that project.', S),
  req('sync/auth/5', 'MUST', 'A hub MUST answer `POST /broadcasting/auth` with 403 for `private-session.{id}` unless the agent is an active participant of that session.', S),
  req('sync/auth/6', 'MUST', 'A hub MUST answer `POST /broadcasting/auth` with 403 for any channel other than `private-session.{id}`, `private-project.{id}` and `private-issue.{id}`.', S),

  // sessions
  req('sync/sessions/1', 'MUST', 'A hub MUST answer `POST /api/sessions {project_id, issue_id, coordinator_type}` with 201 and the created Session.', S),
  req('sync/sessions/2', 'MUST', 'A hub MUST broadcast `AgentSessionStarted` to `private-project.{project_id}` and `private-issue.{issue_id}` with the same `event_id` on both.', S),

  // participants
  req('sync/participants/1', 'MUST', 'A hub MUST answer `POST /api/sessions/{id}/participants {agent_type}` with 201 and the Participant, and broadcast `AgentParticipantJoined` to `private-session.{id}`.', S),
  req('sync/participants/2', 'MUST', 'A hub MUST answer a join beyond `max_participants` active participants (default 10) with 409 `session_full` and broadcast nothing.', S),
  req('sync/participants/3', 'MUST', 'A hub MUST answer `DELETE /api/sessions/{id}/participants/{pid}` with 204 and broadcast `AgentParticipantLeft {reason:"left"}`.', S),
  req('sync/participants/4', 'MUST', 'A participant that left or went stale MUST no longer count toward `max_participants`.', S),
  req('sync/participants/5', 'MUST', 'A hub MUST NOT broadcast a second `AgentParticipantLeft` for a participant that has already left or gone stale.', S),

  // todos
  req('sync/todos/1', 'MUST', 'A hub MUST answer `POST /api/sessions/{id}/todos {title, description}` with 201 and the Todo (version 1, status open), and broadcast `AgentTodoChanged {change:"created"}`.', S),
  req('sync/todos/2', 'MUST', 'A hub MUST apply a `PATCH /api/sessions/{id}/todos/{tid}` whose `expected_version` matches, raise the version by one and broadcast `AgentTodoChanged` (`updated`, or `cancelled` when the status becomes cancelled).', S),
  req('sync/todos/3', 'MUST', 'A hub MUST answer a `PATCH` whose `expected_version` is stale with 409 `version_conflict` and leave the todo unchanged.', S),
  req('sync/todos/4', 'MUST', 'A hub MUST answer `GET /api/sessions/{id}/todos` with `{todos}`: every todo of the session at its current version.', S),

  // envelope
  req('sync/envelope/1', 'MUST', 'Every sync event\'s data MUST carry `event_id`, `seq` and `emitted_at` (RFC 3339 with milliseconds).', S),
  req('sync/envelope/2', 'MUST', 'An `event_id` MUST be unique per logical event and the same on every channel that event goes to.', S),
  req('sync/envelope/3', 'MUST', 'A channel\'s `seq` MUST start at 1 and rise by exactly 1 with each event broadcast on that channel.', S),
  req('sync/envelope/4', 'MUST', 'A hub MUST name each sync event on the wire `App\\Events\\<Name>` so `echo.private(\'session.42\').listen(\'<Name>\', …)` receives it unchanged.', ECHO),
  req('sync/envelope/5', 'MUST', 'Each of the six sync events MUST carry the payload fields its JSON Schema in spec/generated/sync.schema.json requires.', S),

  // ordering
  req('sync/ordering/1', 'MUST', 'Every subscriber MUST see the `seq` of each channel strictly increasing.', S),
  req('sync/ordering/2', 'MUST', 'A hub MUST broadcast a channel\'s events in `seq` order and list them in that order in history.', S),

  // causality
  req('sync/causality/1', 'MUST', 'A todo\'s `AgentTodoChanged {change:"created"}` MUST precede, on the session channel, any `AgentConflictDetected` naming that todo.', S),
  req('sync/causality/2', 'MUST', 'An `AgentConflictDetected` MUST precede the `AgentConflictResolved` with the same `conflict_id`.', S),
  req('sync/causality/3', 'MUST', 'A participant\'s `AgentParticipantJoined` MUST precede its `AgentParticipantLeft`.', S),

  // idempotency
  req('sync/idempotency/1', 'MUST', 'A mutating request repeated by the same agent with the same `Idempotency-Key` and body MUST get the same status and body as the first.', S),
  req('sync/idempotency/2', 'MUST', 'A repeated request with a used `Idempotency-Key` MUST change nothing and broadcast nothing new.', S),
  req('sync/idempotency/3', 'MUST', 'A hub MUST answer a request reusing an `Idempotency-Key` with a different method, path or body with 422 `idempotency_key_reused` and change nothing.', S),
  req('sync/idempotency/4', 'MUST', 'Concurrent requests with the same `Idempotency-Key` MUST take effect once.', S),
  req('sync/idempotency/5', 'MUST', 'A channel\'s history MUST never hold one `event_id` twice.', S),
  req('sync/idempotency/6', 'SHOULD', 'A hub SHOULD scope `Idempotency-Key`s per agent, so two agents using the same key do not collide.', S),

  // delivery
  req('sync/delivery/1', 'MUST', 'A hub MUST persist an event before it sends the event to any subscriber.', S),
  req('sync/delivery/2', 'MUST', 'Persisted events MUST survive a hub restart with the same `event_id`, `seq` and data.', S),
  req('sync/delivery/3', 'MUST', 'After a restart a channel\'s `seq` MUST continue from its last value, with no gap and no reuse.', S),
  req('sync/delivery/4', 'MUST', 'A subscriber cut off at any moment that reconnects and reads history after its last `seq` MUST end with every event of the channel, each once after de-duplication by `event_id`.', S),
  req('sync/delivery/5', 'MUST', 'A hub MUST deliver each event, exactly once and without skipping a `seq`, to every connection subscribed to its channel from before the request that caused it until after its acknowledgement.', S),

  // history
  req('sync/history/1', 'MUST', 'A hub MUST answer `GET /api/channels/{channel}/events?after_seq=N&limit=M` with the channel\'s events with `seq` > N in ascending order, at most M of them, and `last_seq`.', S),
  req('sync/history/2', 'MUST', 'Each history event MUST carry the same wire name, `event_id`, `seq` and data as the broadcast.', S),
  req('sync/history/3', 'MUST', 'A hub MUST return at most `history_page_max` events per page, whatever `limit` asks for.', S),
  req('sync/history/4', 'MUST', 'A hub MUST answer a history request for a channel the agent may not subscribe to with 403 `forbidden`.', S),
  req('sync/history/5', 'MUST', 'A hub MUST answer a history request with `after_seq` at or beyond `last_seq`, or for a sync channel without events, with 200 and an empty `events` array.', S),

  // heartbeat
  req('sync/heartbeat/1', 'MUST', 'A hub MUST answer `POST /api/sessions/{id}/participants/{pid}/heartbeat` for an active participant with 204 and restart its heartbeat clock.', S),
  req('sync/heartbeat/2', 'MUST', 'A participant without a heartbeat for `heartbeat_timeout` MUST be marked stale, and `AgentParticipantLeft {reason:"stale"}` MUST be broadcast within `stale_grace` (5 s) after the timeout.', S),
  req('sync/heartbeat/3', 'MUST', 'A hub MUST NOT mark stale a participant that heartbeats within every `heartbeat_timeout`.', S),
  req('sync/heartbeat/4', 'MUST', 'A hub MUST answer a heartbeat for a participant that has left or gone stale with 404 `not_found` and broadcast nothing.', S),
  req('sync/heartbeat/5', 'SHOULD', 'A hub SHOULD default `heartbeat_timeout` to 120 s and let operators configure it.', S),

  // conflicts
  req('sync/conflicts/1', 'MUST', 'A hub MUST compare titles after normalising them: NFKC, lower case, every non-letter/digit to a space, whitespace collapsed, trimmed.', S),
  req('sync/conflicts/2', 'MUST', 'A hub MUST broadcast `AgentConflictDetected {conflict_type:"duplicate_todo"}` with `todo1_id`, `todo2_id` and `similarity` when two open todos of one session reach `1 − Levenshtein(a,b)/max(len a, len b)` ≥ the threshold.', S),
  req('sync/conflicts/3', 'MUST', 'A hub MUST NOT report a duplicate for todos of different sessions, for a todo that is no longer open, or below the threshold.', S),
  req('sync/conflicts/4', 'MUST', 'A hub MUST resolve a duplicate by keeping the todo with the longer trimmed description (tie: the earlier), cancelling the other with `AgentTodoChanged {change:"cancelled"}` and broadcasting `AgentConflictResolved {strategy:"keep_more_detailed"}`.', S),
  req('sync/conflicts/5', 'MUST', '`AgentConflictDetected` and `AgentConflictResolved` MUST reach every session subscriber within `conflict_budget` (250 ms) of the second create request.', S),
  req('sync/conflicts/6', 'MUST', 'A `PATCH` with a stale `expected_version` MUST produce `AgentConflictDetected {conflict_type:"concurrent_update"}` and `AgentConflictResolved {strategy:"first_writer_wins", cancelled_todo_id:null}`.', S),
  req('sync/conflicts/7', 'SHOULD', 'A hub SHOULD default the conflict threshold to 0.85 and let operators configure it.', S),

  // propagation
  req('sync/propagation/1', 'MUST', 'An event MUST reach its subscribers within 50 ms (p99) of the request that caused it, same host, light load.', S),

  // errors
  req('sync/errors/1', 'MUST', 'Every error of the sync API MUST be a JSON body `{error:{code, message}}` sent with the matching HTTP status.', S),
  req('sync/errors/2', 'MUST', 'A hub MUST answer a request naming an unknown session, participant or todo with 404 `not_found`.', S),
  req('sync/errors/3', 'MUST', 'A hub MUST answer a known path with an unsupported method with 405 `method_not_allowed`.', S),
  req('sync/errors/4', 'MUST', 'A hub MUST answer a body that fails validation with 400 `validation_failed` naming the offending field.', S),
  req('sync/errors/5', 'MUST', 'A request refused with a 4xx status MUST change nothing and broadcast nothing, except that a stale-version `PATCH` reports its `concurrent_update` conflict (sync/conflicts/6).', S),

  // bad-input
  req('sync/bad-input/1', 'MUST', 'A hub MUST answer a body that is not valid JSON with 400 `invalid_json` and change nothing.', BAD),
  req('sync/bad-input/2', 'MUST', 'A hub MUST answer a JSON body sent with another content type with 415 `unsupported_media_type`.', BAD),
  req('sync/bad-input/3', 'MUST', 'A hub MUST answer a body larger than its limit with 413 `payload_too_large`.', BAD),
  req('sync/bad-input/4', 'MUST', 'A hub MUST answer wrong types and out-of-range values (ids, `after_seq`, `limit`, `expected_version`) with 400 and lose no stored event.', BAD),

  // cluster: only for targets with several nodes
  req('sync/cluster/1', 'MUST', 'In a hub of several nodes, an event caused through one node MUST reach subscribers connected to every node.', S),
  req('sync/cluster/2', 'MUST', 'In a hub of several nodes, a channel\'s `seq` and history MUST be the same whichever node is asked.', S),
  req('sync/cluster/3', 'MUST', 'In a hub of several nodes, an `Idempotency-Key` used through one node MUST be honoured through every other node.', S),
];
