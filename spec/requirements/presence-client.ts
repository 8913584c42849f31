/**
 * Profile `presence-client`: what a dashboard of the agent-presence stream must do on its side
 * (`hubproof client --driver dashboard` plays the stream and `GET /api/presence`, and reads the rows the
 * page shows). The design document shows a dashboard that reconnects after every close and can read the
 * presence list; docs/protocol.md ("Profile presence-client") records the rules and bounds the product
 * holds dashboards to. Ids are stable: never renumber, never reuse, only append.
 */
import { derived, quote, req, type Requirement } from './types.ts';

const DOC = 'docs/protocol.md';
const CONNECTS = 'presence-client/connection/1';
const CATCHES_UP = 'presence-client/catch-up/1';
const APPLIES = 'presence-client/updates/1';
const RECONNECTS = 'presence-client/reconnect/1';

export const PRESENCE_CLIENT_REQUIREMENTS: readonly Requirement[] = [
  req(
    CONNECTS,
    'MUST',
    'A dashboard MUST connect to `/ws/broadcasts` of its hub with its agent token as the `token` query parameter.',
    `${DOC}#dashboard-connection`,
    quote(
      'A dashboard connects to `/ws/broadcasts` of its hub with its agent token as the `token` query parameter (and `session_id` when it was given one): the hub closes a stream without a valid token with 1008, so a dashboard that leaves it out shows nothing.',
    ),
  ),

  req(
    CATCHES_UP,
    'MUST',
    'Once its stream is open, a dashboard MUST read `GET /api/presence` with `Authorization: Bearer` and its token, and show every agent the answer lists within 2 s.',
    `${DOC}#dashboard-catch-up`,
    derived(
      'The stream carries changes, not state: an agent that did nothing since the dashboard connected is never on it, so a dashboard that does not read the presence list shows an empty wall while agents work. The design document offers `GET /api/presence` for the current presence of all agents; docs/protocol.md makes reading it after the stream opens the rule, with a 2 s bound.',
    ),
    { dependsOn: [CONNECTS] },
  ),
  req(
    'presence-client/catch-up/2',
    'MUST',
    'After a reconnect, a dashboard MUST read `GET /api/presence` again and, within 2 s of the new stream opening, show every agent as the answer lists it, those that changed or appeared while the stream was down included.',
    `${DOC}#dashboard-catch-up`,
    quote(
      'It does this after every reconnect too: whatever changed while the stream was down was broadcast to nobody, and a dashboard that does not catch up shows those agents stale (or not at all) until they act again.',
    ),
    { dependsOn: [RECONNECTS, CATCHES_UP] },
  ),

  req(
    APPLIES,
    'MUST',
    'A dashboard MUST apply every `presence_update` within 1 s: the row of its `agent_id` shows the status and counters it carries, and an agent not shown before gets a row.',
    `${DOC}#dashboard-updates`,
    quote(
      'Every `presence_update` on the stream is applied within 1 s: the row of its `agent_id` shows the presence it carries (status and counters), and an agent not shown before gets a row.',
    ),
    { dependsOn: [CONNECTS] },
  ),
  req(
    'presence-client/updates/2',
    'MUST',
    'A dashboard MUST show one row per agent id, whatever mix of snapshots, updates and reconnects told it about the agent.',
    `${DOC}#dashboard-updates`,
    quote('A dashboard shows one row per agent id, whatever mix of snapshots, updates and reconnects told it about the agent.'),
    { dependsOn: [CONNECTS] },
  ),

  req(
    RECONNECTS,
    'MUST',
    'A dashboard MUST reconnect, within 10 s, a stream that ends without a refusal (dropped without a close frame, or closed with 1001, 1011 or 1012).',
    `${DOC}#dashboard-reconnects`,
    derived(
      'The design document’s dashboard reconnects after every close ("attempting reconnect"), and a dashboard on a wall screen that does not outlives the first hub deploy silently; the 10 s bound leaves room for a first back-off of several seconds (the design waits 3 s).',
    ),
    { dependsOn: [CONNECTS] },
  ),
  req(
    'presence-client/reconnect/2',
    'MUST',
    'A dashboard MUST wait at least 1 s after its stream drops before connecting again.',
    `${DOC}#dashboard-reconnects`,
    derived(
      'A hub that just went down is met by every open dashboard at once; one that reconnects in a tight loop turns a restart into a storm and a down hub into a spinning browser tab. The design document waits 3 s; docs/protocol.md takes 1 s as the least a back-off may be, and makes it a MUST because nothing else keeps a wall of dashboards from hammering the hub.',
    ),
    { dependsOn: [RECONNECTS] },
  ),

  req(
    'presence-client/refusal/1',
    'MUST',
    'After the hub closes the stream with 1008 (token refused), a dashboard MUST NOT connect again sooner than 1 s after the close.',
    `${DOC}#refused-tokens`,
    derived(
      'The hub profile closes a stream without a valid token with 1008; the token will not become valid by itself, so a dashboard retrying it at once loads the hub with connections that can never work, in a loop (the failure pusher-websocket-ruby#40 shows for Pusher clients after 4001). docs/protocol.md bounds it by the least back-off a drop gets.',
    ),
    { dependsOn: [CONNECTS] },
  ),
  req(
    'presence-client/refusal/2',
    'MUST',
    'After `GET /api/presence` answers 401, a dashboard MUST NOT request it again nor open a new stream connection sooner than 1 s after the answer.',
    `${DOC}#refused-tokens`,
    derived(
      'A 401 from the presence API refuses the same token the stream carries (the hub profile answers requests without a valid bearer token with 401); retrying at once is the same loop as after a 1008, through the HTTP API.',
    ),
    { dependsOn: [CATCHES_UP] },
  ),

  req(
    'presence-client/robustness/1',
    'MUST',
    'A dashboard MUST ignore a message whose `type` is not `presence_update`: no row added or changed, the stream kept open, later updates applied.',
    `${DOC}#robustness-of-dashboards`,
    derived(
      'A later hub may add message types to the stream; a dashboard that shows them as agents, or drops the stream on them, breaks on every hub upgrade. docs/protocol.md makes ignoring them the rule.',
    ),
    { dependsOn: [APPLIES] },
  ),
  req(
    'presence-client/robustness/2',
    'SHOULD',
    'A dashboard SHOULD ignore a malformed message (not JSON, not an object, a `presence_update` without `presence` or `agent_id`): no row added or changed, the stream kept open, later updates applied.',
    `${DOC}#robustness-of-dashboards`,
    derived(
      'A conforming hub never sends a malformed message, so surviving one is a SHOULD (docs/protocol.md); a page that throws on one and stops applying updates shows a frozen wall.',
    ),
    { dependsOn: [APPLIES] },
  ),
];
