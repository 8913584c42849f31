/**
 * Profile `sync-client`: what an agent must do on its side of the sync API (`hubproof client --profile
 * sync-client` plays the API and judges the agent through an agent driver). The hub's side is profile
 * `sync`; the bounds hubproof measures with are decided in docs/protocol.md ("Profile sync-client").
 * Ids are stable: never renumber, never reuse, only append.
 */
import { derived, quote, req, type Requirement } from './types.ts';

const DOC = 'docs/protocol.md';

/** Every case needs an agent that joined and holds the session channel. */
const JOINED = 'sync-client/join/1';

export const SYNC_CLIENT_REQUIREMENTS: readonly Requirement[] = [
  req(
    'sync-client/join/1',
    'MUST',
    'An agent joining a session MUST `POST /api/sessions/{id}/participants` with its bearer token and subscribe to `private-session.{id}` with an `auth` from `POST /broadcasting/auth` signed for its own `socket_id`.',
    `${DOC}#agent-joining`,
    derived(
      'docs/protocol.md ("Sessions and participants", "Actors, tokens and channels") defines the join and the only channel a session speaks on; an agent that joins without the channel hears nothing of the session, and one that authorizes for another socket id is refused.',
    ),
  ),
  req(
    'sync-client/backoff/1',
    'MUST',
    'An agent MUST retry a request or connection that the hub refused or answered with 5xx, backing off exponentially (first gap at least 0.1 s, third gap at least twice the first), and MUST be back within 5 s once the hub answers again.',
    `${DOC}#agent-back-off`,
    quote('An agent that retries at once turns a hub that is restarting or overloaded into a storm.'),
    { dependsOn: [JOINED] },
  ),
  req(
    'sync-client/backoff/2',
    'MUST',
    'An agent MUST cap its back-off: however many attempts in a row fail, no gap from a failed attempt to the next exceeds its ceiling, which is at most 5 s (the `backoffCapMs` a case asks for, when the agent can take one).',
    `${DOC}#back-off-ceiling`,
    derived(
      'sync-client/backoff/1 asks an agent to be back within 5 s once the hub answers again; an exponential back-off without a ceiling keeps that promise only for short outages (after ten failures a back-off from 0.1 s waits 100 s), so the ceiling is the same MUST stated for every outage length (docs/protocol.md, "Back-off ceiling").',
    ),
    { dependsOn: [JOINED, 'sync-client/backoff/1'] },
  ),
  req(
    'sync-client/heartbeat/1',
    'MUST',
    'A joined agent MUST send `POST …/participants/{pid}/heartbeat` at least once every `heartbeat_interval_ms` advertised by `GET /api/hub` (no gap longer than 1.5 intervals plus 0.2 s).',
    `${DOC}#agent-heartbeat`,
    derived(
      'The hub marks a participant without a heartbeat for `heartbeat_timeout` stale and broadcasts that it left (docs/protocol.md, "Participant heartbeat"); the hub advertises its interval so agents keep well inside the timeout, and an agent that misses it drops out of its own session while still working.',
    ),
    { dependsOn: [JOINED] },
  ),
  req(
    'sync-client/idempotency/1',
    'MUST',
    'An agent that retries a create (after a 5xx, or a connection that dropped before the answer) MUST send the same `Idempotency-Key` and body as the first attempt.',
    `${DOC}#retried-creates`,
    quote('A new key on a retry makes every lost answer a duplicate todo and a conflict.'),
    { dependsOn: [JOINED] },
  ),
  req(
    'sync-client/idempotency/2',
    'MUST',
    'An agent MUST send a different `Idempotency-Key` for each new create.',
    `${DOC}#idempotency`,
    quote('A key reused with another method, path or body gets 422 `idempotency_key_reused`.'),
    { dependsOn: [JOINED] },
  ),
  req(
    'sync-client/catch-up/1',
    'MUST',
    'After its event stream drops, an agent MUST reconnect, subscribe again and read `GET /api/channels/{channel}/events?after_seq=N` from the last `seq` it saw, so that its application gets every event of the channel once, in `seq` order, including those broadcast while it was away.',
    `${DOC}#catching-up`,
    quote('An agent that only resubscribes misses whatever happened during the gap.'),
    { dependsOn: [JOINED] },
  ),
  req(
    'sync-client/events/1',
    'MUST',
    'An agent MUST hand each of the six sync events (`AgentSessionStarted`, `AgentParticipantJoined`, `AgentParticipantLeft`, `AgentTodoChanged`, `AgentConflictDetected`, `AgentConflictResolved`) of a channel it holds to its application, with its data.',
    `${DOC}#events-and-envelope`,
    derived(
      'docs/protocol.md names the six events and their wire names (`App\\Events\\<Name>`); an agent that drops one of them (a conflict, a leave) acts on a session it no longer sees as it is.',
    ),
    { dependsOn: [JOINED] },
  ),
  req(
    'sync-client/conflicts/1',
    'SHOULD',
    'On `AgentConflictDetected` in its session an agent SHOULD pause: tell its application, send no create in that session until the `AgentConflictResolved` with the same `conflict_id` (or, if none comes, for at least 2 s), then resume and send the creates its application asked for meanwhile.',
    `${DOC}#pausing-on-a-conflict`,
    derived(
      'The agent-sync design asks agents to "Pause work on conflicting todos", "Wait for auto-resolution" and "Update local task list after resolution", and not to "Ignore conflict events" or "Create todos without checking for duplicates" (docs/protocol.md, "Pausing on a conflict"); the only work on todos this profile sees is a create, so the pause is judged on creates. The hub resolves a duplicate on its own within its conflict budget, so an agent that keeps creating loses nothing for good, only work on a todo the hub may cancel: a SHOULD.',
    ),
    { dependsOn: [JOINED, 'sync-client/events/1'] },
  ),
  req(
    'sync-client/leave/1',
    'SHOULD',
    'When its application is done, an agent SHOULD send `DELETE …/participants/{pid}` and then no further heartbeat.',
    `${DOC}#leaving`,
    derived(
      'The hub sweeps an agent that only disconnects as stale after `heartbeat_timeout` (docs/protocol.md, "Participant heartbeat"), so nothing breaks for good; until then the agent holds a seat of `max_participants` and the session is told it went stale, not that it left: a SHOULD.',
    ),
    { dependsOn: [JOINED] },
  ),
];
