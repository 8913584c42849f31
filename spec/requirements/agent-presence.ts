/**
 * Profile `agent-presence`: the live dashboard stream and its API.
 * Decisions PROTOCOL.md leaves open (close codes 1008/1013, `?token=&session_id=`) are the ones
 * spec/schemas/agent-presence.ts and spec/protocol/close-codes.ts encode.
 * Ids are stable: never renumber, only append.
 */
import { req, type Requirement } from './types.ts';

const A = 'PROTOCOL.md#profile-agent-presence';
const BAD = 'PROTOCOL.md#bad-input';

export const AGENT_PRESENCE_REQUIREMENTS: readonly Requirement[] = [
  // stream
  req('agent-presence/stream/1', 'MUST', 'A hub MUST accept a WebSocket at `/ws/broadcasts?token=…&session_id=…` carrying a valid agent token.', A),
  req('agent-presence/stream/2', 'MUST', 'A hub MUST close a `/ws/broadcasts` connection with a missing or invalid token with code 1008 and a reason.', A),
  req('agent-presence/stream/3', 'MUST', 'Every message on `/ws/broadcasts` MUST be a `presence_update` JSON text message matching the PresenceUpdate schema.', A),
  req('agent-presence/stream/4', 'MUST', 'A hub MUST send every presence update to every connected dashboard.', A),

  // api
  req('agent-presence/api/1', 'MUST', 'A hub MUST apply `POST /api/presence/{agent_id}/events {event_type:"tool_execute", …}` to that agent\'s presence and broadcast the update.', A),
  req('agent-presence/api/2', 'MUST', 'A hub MUST add each event\'s tool and `cost_tokens` to the agent\'s `total_tools_executed` and `total_cost_tokens`, cumulative within `session_id` and restarting for a new session.', A),
  req('agent-presence/api/3', 'MUST', 'A hub MUST set `last_tool_name`, `current_feature_id`, `last_activity` and status `active` from a tool event.', A),
  req('agent-presence/api/4', 'MUST', 'A hub MUST broadcast a presence update for `POST /api/broadcast/features/{id}/status`.', A),
  req('agent-presence/api/5', 'MUST', 'A hub MUST answer `GET /api/presence` with `{agents, timestamp}` holding every known agent\'s current presence.', A),
  req('agent-presence/api/6', 'MUST', 'A hub MUST answer presence API requests without a valid bearer token with 401 `unauthenticated`.', A),

  // status
  req('agent-presence/status/1', 'MUST', 'An agent quiet for `idle_after` MUST go `idle`, and quiet for `offline_after` MUST go `offline`, each change broadcast.', A),
  req('agent-presence/status/2', 'MUST', 'An `idle` or `offline` agent MUST go back to `active` on its next tool event.', A),

  // persistence
  req('agent-presence/persistence/1', 'MUST', 'Presence, counters included, MUST survive a hub restart.', A),

  // limits
  req('agent-presence/limits/1', 'MUST', 'A hub MUST accept up to `max_dashboards_per_session` (default 10) dashboards per `session_id`.', A),
  req('agent-presence/limits/2', 'MUST', 'A hub MUST close the dashboard beyond that cap with code 1013 and a reason that names the limit.', A),
  req('agent-presence/limits/3', 'MUST', 'A hub MUST accept a new dashboard for a full session again once one of its dashboards has left.', A),

  // performance
  req('agent-presence/performance/1', 'MUST', 'A hub MUST fan out 1000 presence updates per second to every dashboard with p99 propagation under 50 ms.', A),
  req('agent-presence/performance/2', 'MUST', 'A hub MUST need less than 100 MB of memory for 1000 connected dashboards: its RSS grows by under 100 MB (about 100 KB per connection) from before they connect to when all 1000 are subscribed.', A),

  // bad-input
  req('agent-presence/bad-input/1', 'MUST', 'A hub MUST answer a presence event body that is not valid JSON with 400 `invalid_json` and change nothing.', BAD),
  req('agent-presence/bad-input/2', 'MUST', 'A hub MUST answer a presence event with an unknown `event_type`, a wrong type or a missing field with 400 `validation_failed` and change nothing.', BAD),
  req('agent-presence/bad-input/3', 'MUST', 'A hub MUST ignore or close with 1003/1007/1008 a dashboard that sends data, never affecting other dashboards.', BAD),
];
