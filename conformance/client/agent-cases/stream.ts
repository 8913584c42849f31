/**
 * sync-client/catch-up and sync-client/events: what the agent hands its application from the session
 * channel, live and after a drop (docs/protocol.md, "Catching up", "Events and envelope").
 */
import { SYNC_EVENT_NAMES, wireEventName, type SyncEventName } from '../../../spec/schemas/sync.ts';
import type { ClientCase } from '../client-case.ts';
import { SCRIPTED_SESSION_ID as S } from '../sync-api/sync-routes.ts';
import { joinedAgent, seenSeqs, subscribedAt } from './helpers.ts';

const CATCH_UP = 'sync-client/catch-up/1';
const EVENTS = 'sync-client/events/1';
const SEE_MS = 3000;
const BACK_MS = 5000;

const todo = (id: number, title: string) => ({
  todo_id: id,
  session_id: S,
  title,
  description: '',
  status: 'open',
  version: 1,
  created_by: 'agent-9',
  created_at: new Date().toISOString(),
});
const PAYLOADS: Record<SyncEventName, Record<string, unknown>> = {
  AgentSessionStarted: { session_id: S, project_id: 1, issue_id: 1, coordinator_type: 'hybrid', started_at: new Date().toISOString() },
  AgentParticipantJoined: { participant_id: 9, agent_identifier: 'agent-9', agent_type: 'frontend', session_id: S },
  AgentParticipantLeft: { participant_id: 9, agent_identifier: 'agent-9', agent_type: 'frontend', session_id: S, reason: 'stale' },
  AgentTodoChanged: { session_id: S, change: 'created', todo: todo(7, 'Create user model') },
  AgentConflictDetected: {
    conflict_id: 3,
    conflict_type: 'duplicate_todo',
    session_id: S,
    first_agent: 'backend',
    second_agent: 'frontend',
    details: { todo1_id: 7, todo2_id: 8, similarity: 0.93 },
  },
  AgentConflictResolved: {
    conflict_id: 3,
    conflict_type: 'duplicate_todo',
    session_id: S,
    kept_todo_id: 7,
    cancelled_todo_id: 8,
    strategy: 'keep_more_detailed',
  },
};

const catchUp: ClientCase = {
  requirement: CATCH_UP,
  desc: 'Broadcasts one event live, drops the agent’s event stream, keeps two events for history while it is away, and broadcasts one more once it is back; expects every seq once, in order',
  async run(ctx) {
    const { api, app } = await joinedAgent(ctx);
    const live = api.broadcast('AgentTodoChanged', { session_id: S, change: 'created', todo: todo(1, 'before the drop') });
    if (!(await app.until(() => seenSeqs(app).includes(live.seq), SEE_MS)))
      ctx.fail(`the agent never handed on the live event seq ${live.seq}`, {
        expected: `seq ${live.seq}`,
        actual: `seqs ${seenSeqs(app).join(', ') || 'none'}`,
      });
    const dropped = ctx.now();
    api.stream.dropAll();
    api.broadcast('AgentTodoChanged', { session_id: S, change: 'created', todo: todo(2, 'while away') }, { historyOnly: true });
    api.broadcast('AgentTodoChanged', { session_id: S, change: 'created', todo: todo(3, 'while away too') }, { historyOnly: true });
    const back = await api.until(() => subscribedAt(api, dropped), BACK_MS);
    if (back === undefined)
      ctx.fail(`the agent did not reconnect and subscribe again within ${BACK_MS} ms of the drop`, {
        expected: 'the session channel subscribed again',
        actual: `${api.stream.connections.length} stream connection(s) in all`,
      });
    const last = api.broadcast('AgentTodoChanged', { session_id: S, change: 'created', todo: todo(4, 'after the return') });
    const expected = Array.from({ length: last.seq }, (_, i) => i + 1);
    await app.until(() => seenSeqs(app).length >= expected.length || undefined, SEE_MS);
    const seen = seenSeqs(app);
    const history = api
      .of('history')
      .filter((r) => r.t > dropped)
      .map((r) => `GET ${r.path}?${r.query.toString()}`);
    if (seen.join() !== expected.join())
      ctx.fail(`the agent handed its application seqs ${seen.join(', ') || 'none'} of ${expected.length}`, {
        expected: `seqs ${expected.join(', ')}, each once, in order (${expected.length - 1 - live.seq + 1} of them broadcast while it was away)`,
        actual: `seqs ${seen.join(', ') || 'none'}; history read after the drop: ${history.join(', ') || 'none'}`,
      });
  },
};

const events: ClientCase = {
  requirement: EVENTS,
  desc: 'Broadcasts each of the six sync events once on the session channel the agent holds',
  async run(ctx) {
    const { api, app } = await joinedAgent(ctx);
    const sent = SYNC_EVENT_NAMES.map((name) => ({ name, entry: api.broadcast(name, PAYLOADS[name]) }));
    const got = (id: string) => app.find('event', (e) => e.data.event_id === id);
    await app.until(() => sent.every((s) => got(s.entry.event_id)), SEE_MS);
    const missing = sent.filter((s) => !got(s.entry.event_id)).map((s) => s.name);
    if (missing.length > 0)
      ctx.fail(`the agent did not hand ${missing.join(', ')} to its application`, {
        expected: 'all six events',
        actual: `missing ${missing.join(', ')}`,
      });
    for (const s of sent) {
      const o = got(s.entry.event_id)!.obs;
      const field = Object.keys(PAYLOADS[s.name])[0]!;
      if (o.event !== wireEventName(s.name) || JSON.stringify(o.data[field]) !== JSON.stringify(PAYLOADS[s.name][field]))
        ctx.fail(`the agent handed on ${s.name} changed`, {
          expected: `${wireEventName(s.name)} with ${field} ${JSON.stringify(PAYLOADS[s.name][field])}`,
          actual: `${o.event} with ${field} ${JSON.stringify(o.data[field])}`,
        });
    }
  },
};

export const streamCases: readonly ClientCase[] = [catchUp, events];
