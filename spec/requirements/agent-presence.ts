/**
 * Profile `agent-presence`: the live dashboard stream and its API.
 * The product's decisions are recorded in docs/protocol.md ("Profile agent-presence"), close codes
 * 1008/1013 included; every rule cites its section there.
 * Ids are stable: never renumber, never reuse, only append.
 */
import { BAD_INPUT_RULE } from './doc-quotes.ts';
import { quote, req, type Requirement } from './types.ts';

const DOC = 'docs/protocol.md';
const STREAM = `${DOC}#dashboard-stream`;
const API = `${DOC}#presence-api`;
const LIMITS = `${DOC}#dashboard-limits`;
const PERFORMANCE = `${DOC}#performance`;
const BAD = `${DOC}#bad-input`;

/** A tool event is applied (the answer carries the new presence), and dashboards receive updates. */
const APPLIED = 'agent-presence/api/1';
const STREAMS = 'agent-presence/stream/1';

const STREAM_MESSAGES =
  'Every message is a `presence_update` JSON text message `{type, event_type, agent_id, presence, timestamp}` matching the PresenceUpdate schema, and every presence update goes to every connected dashboard.';
const TOOL_EVENT =
  "updates that agent's presence and broadcasts it: the tool and `cost_tokens` add to `total_tools_executed` and `total_cost_tokens`, cumulative within `session_id` and restarting for a new session, and `last_tool_name`, `current_feature_id`, `last_activity` and status `active` come from the event.";
const DASHBOARD_CAP =
  'A session accepts up to `max_dashboards_per_session` dashboards (default 10, configurable); the next one is closed with 1013 ("try again later") and a reason that names the limit, and a new dashboard is accepted again once one of the session\'s dashboards has left.';
const PERFORMANCE_TARGETS =
  'A hub fans out 1000 presence updates per second to every dashboard with p99 propagation under 50 ms, and needs less than 100 MB of memory for 1000 connected dashboards (about 100 KB per connection).';

export const AGENT_PRESENCE_REQUIREMENTS: readonly Requirement[] = [
  // stream
  req(
    'agent-presence/stream/1',
    'MUST',
    'A hub MUST accept a WebSocket at `/ws/broadcasts?token=…&session_id=…` carrying a valid agent token.',
    STREAM,
    quote(
      '`WS /ws/broadcasts?token=…&session_id=…` carries a valid agent token; a missing or invalid token closes the connection with 1008 and a reason.',
    ),
    { dependsOn: [APPLIED] },
  ),
  req(
    'agent-presence/stream/2',
    'MUST',
    'A hub MUST close a `/ws/broadcasts` connection with a missing or invalid token with code 1008 and a reason.',
    STREAM,
    quote(
      '`WS /ws/broadcasts?token=…&session_id=…` carries a valid agent token; a missing or invalid token closes the connection with 1008 and a reason.',
    ),
  ),
  req(
    'agent-presence/stream/3',
    'MUST',
    'Every message on `/ws/broadcasts` MUST be a `presence_update` JSON text message matching the PresenceUpdate schema.',
    STREAM,
    quote(STREAM_MESSAGES),
    { dependsOn: [STREAMS] },
  ),
  req(
    'agent-presence/stream/4',
    'MUST',
    'A hub MUST send every presence update to every connected dashboard.',
    STREAM,
    quote(STREAM_MESSAGES),
    { dependsOn: [STREAMS] },
  ),

  // api
  req(
    'agent-presence/api/1',
    'MUST',
    'A hub MUST apply `POST /api/presence/{agent_id}/events {event_type:"tool_execute", …}` to that agent\'s presence and broadcast the update.',
    API,
    quote(TOOL_EVENT),
  ),
  req(
    'agent-presence/api/2',
    'MUST',
    "A hub MUST add each event's tool and `cost_tokens` to the agent's `total_tools_executed` and `total_cost_tokens`, cumulative within `session_id` and restarting for a new session.",
    API,
    quote(TOOL_EVENT),
    { dependsOn: [APPLIED] },
  ),
  req(
    'agent-presence/api/3',
    'MUST',
    'A hub MUST set `last_tool_name`, `current_feature_id`, `last_activity` and status `active` from a tool event.',
    API,
    quote(TOOL_EVENT),
    { dependsOn: [APPLIED] },
  ),
  req(
    'agent-presence/api/4',
    'MUST',
    'A hub MUST broadcast a presence update for `POST /api/broadcast/features/{id}/status`.',
    API,
    quote('`POST /api/broadcast/features/{id}/status` also triggers a presence update.'),
    { dependsOn: [STREAMS] },
  ),
  req(
    'agent-presence/api/5',
    'MUST',
    "A hub MUST answer `GET /api/presence` with `{agents, timestamp}` holding every known agent's current presence.",
    API,
    quote("`GET /api/presence` answers `{agents, timestamp}` with every known agent's current presence, for clients without a WebSocket."),
    { dependsOn: [APPLIED] },
  ),
  req(
    'agent-presence/api/6',
    'MUST',
    'A hub MUST answer presence API requests without a valid bearer token with 401 `unauthenticated`.',
    API,
    quote('Requests without a valid bearer token get 401 `unauthenticated`.'),
  ),

  // status
  req(
    'agent-presence/status/1',
    'MUST',
    'An agent quiet for `idle_after` MUST go `idle`, and quiet for `offline_after` MUST go `offline`, each change broadcast.',
    `${DOC}#status`,
    quote('An agent quiet for `idle_after` goes `idle`, and quiet for `offline_after` goes `offline`; each change is broadcast.'),
    { dependsOn: [STREAMS, 'agent-presence/api/3'] },
  ),
  req(
    'agent-presence/status/2',
    'MUST',
    'An `idle` or `offline` agent MUST go back to `active` on its next tool event.',
    `${DOC}#status`,
    quote('An idle or offline agent goes back to `active` on its next tool event.'),
    { dependsOn: ['agent-presence/status/1'] },
  ),

  // persistence
  req(
    'agent-presence/persistence/1',
    'MUST',
    'Presence, counters included, MUST survive a hub restart.',
    `${DOC}#persistence`,
    quote('Presence, counters included, survives a hub restart (SQLite in the reference hub).'),
    { dependsOn: ['agent-presence/api/2', 'agent-presence/api/5'] },
  ),

  // limits
  req(
    'agent-presence/limits/1',
    'MUST',
    'A hub MUST accept up to `max_dashboards_per_session` (default 10) dashboards per `session_id`.',
    LIMITS,
    quote(DASHBOARD_CAP),
    { dependsOn: [STREAMS] },
  ),
  req(
    'agent-presence/limits/2',
    'MUST',
    'A hub MUST close the dashboard beyond that cap with code 1013 and a reason that names the limit.',
    LIMITS,
    quote(DASHBOARD_CAP),
    { dependsOn: ['agent-presence/limits/1'] },
  ),
  req(
    'agent-presence/limits/3',
    'MUST',
    'A hub MUST accept a new dashboard for a full session again once one of its dashboards has left.',
    LIMITS,
    quote(DASHBOARD_CAP),
    { dependsOn: ['agent-presence/limits/2'] },
  ),

  // performance
  req(
    'agent-presence/performance/1',
    'MUST',
    'A hub MUST fan out 1000 presence updates per second to every dashboard with p99 propagation under 50 ms.',
    PERFORMANCE,
    quote(PERFORMANCE_TARGETS),
    { dependsOn: ['agent-presence/stream/4'] },
  ),
  req(
    'agent-presence/performance/2',
    'MUST',
    'A hub MUST need less than 100 MB of memory for 1000 connected dashboards: its RSS grows by under 100 MB (about 100 KB per connection) from before they connect to when all 1000 are subscribed.',
    PERFORMANCE,
    quote(PERFORMANCE_TARGETS),
    { dependsOn: [STREAMS] },
  ),

  // bad-input
  req(
    'agent-presence/bad-input/1',
    'MUST',
    'A hub MUST answer a presence event body that is not valid JSON with 400 `invalid_json` and change nothing.',
    BAD,
    quote(BAD_INPUT_RULE),
    { dependsOn: [APPLIED, 'agent-presence/api/5'] },
  ),
  req(
    'agent-presence/bad-input/2',
    'MUST',
    'A hub MUST answer a presence event with an unknown `event_type`, a wrong type or a missing field with 400 `validation_failed` and change nothing.',
    BAD,
    quote(BAD_INPUT_RULE),
    { dependsOn: [APPLIED, 'agent-presence/api/5'] },
  ),
  req(
    'agent-presence/bad-input/3',
    'MUST',
    'A hub MUST ignore or close with 1003/1007/1008 a dashboard that sends data, never affecting other dashboards.',
    BAD,
    quote(
      'A dashboard that sends data on `/ws/broadcasts` is ignored or closed with 1003, 1007 or 1008, without affecting other dashboards.',
    ),
    { dependsOn: ['agent-presence/stream/4'] },
  ),
];
