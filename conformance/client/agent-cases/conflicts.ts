/**
 * sync-client/conflicts/1: what the agent does on a detected conflict (docs/protocol.md, "Pausing on a
 * conflict"): it pauses its creates in the session until the conflict is resolved, and says so. Judged
 * from both ends: the creates the API receives, and the agent driver's `paused` and `resumed`.
 */
import { wireEventName } from '../../../spec/schemas/sync.ts';
import { DependencyUnmet } from '../../types.ts';
import type { ClientCase } from '../client-case.ts';
import type { ScriptedSyncApi } from '../sync-api/sync-api.ts';
import { SCRIPTED_SESSION_ID as S, SESSION_CHANNEL } from '../sync-api/sync-routes.ts';
import { AGENT, joinedAgent, pause } from './helpers.ts';

const CONFLICTS = 'sync-client/conflicts/1';
const EVENTS = 'sync-client/events/1';
const SEE_MS = 3000;
/** How long the case waits for `paused` after the agent handed the conflict on, before asking for a create. */
const SETTLE_MS = 500;
const CREATE_MS = 6000;
/** How long the case keeps the conflict open after asking for a create (under the 2 s an agent must wait for a resolution). */
export const HOLD_MS = 800;
const RESUME_MS = 2000;
const CONFLICT_ID = 1;
/** Another agent's todo, which the agent's first create duplicates. */
const THEIRS = 101;

/** The id the API gave the todo titled `title`, from its AgentTodoChanged in the session's history. */
function todoIdOf(api: ScriptedSyncApi, title: string): number {
  const e = (api.stream.history.get(SESSION_CHANNEL) ?? []).find(
    (h) => h.event === wireEventName('AgentTodoChanged') && (h.data.todo as { title?: string } | undefined)?.title === title,
  );
  return Number((e?.data.todo as { todo_id?: number } | undefined)?.todo_id ?? 0);
}

const pausesOnConflict: ClientCase = {
  requirement: CONFLICTS,
  desc: `Lets the agent create a todo, then broadcasts AgentConflictDetected about it (duplicate of another agent’s todo), asks for a second create, holds the conflict ${HOLD_MS} ms and broadcasts AgentConflictResolved; expects paused, no create until the resolution, then the held create and resumed`,
  async run(ctx) {
    const { api, app } = await joinedAgent(ctx);
    api.broadcast('AgentTodoChanged', {
      session_id: S,
      change: 'created',
      todo: { todo_id: THEIRS, session_id: S, title: 'Create User model', description: '', status: 'open', version: 1 },
    });
    await app.send({ cmd: 'create', agent: AGENT, title: 'Create user model', description: 'users table and model' });
    const first = await api.until(() => api.of('create').find((r) => r.outcome === 201), CREATE_MS);
    if (!first)
      return ctx.fail('the agent’s first create never got through', {
        expected: 'a create answered 201',
        actual: `${api.of('create').length} create request(s)`,
      });
    const mine = todoIdOf(api, 'Create user model');
    // As a hub's conflict detector would right after storing the second of two similar todos.
    const detected = api.broadcast('AgentConflictDetected', {
      conflict_id: CONFLICT_ID,
      conflict_type: 'duplicate_todo',
      session_id: S,
      first_agent: 'frontend',
      second_agent: 'backend-architect',
      details: { todo1_id: THEIRS, todo2_id: mine, similarity: 1 },
    });
    const handed = await app.until(() => app.find('event', (e) => e.data.event_id === detected.event_id), SEE_MS);
    if (!handed) throw new DependencyUnmet(EVENTS, `the agent did not hand AgentConflictDetected to its application within ${SEE_MS} ms`);
    // An agent may hand the event on before its pause takes effect: give it a moment before asking.
    const pausedObs = () => app.find('paused', (p) => p.conflictId === CONFLICT_ID);
    await app.until(pausedObs, SETTLE_MS);

    const before = api.of('create').length;
    await app.send({ cmd: 'create', agent: AGENT, title: 'Write the migration', description: 'add the users table' });
    const askedAt = ctx.now();
    await pause(ctx, HOLD_MS);
    const early = api.of('create').slice(before);
    const paused = pausedObs();
    const resolved = api.broadcast('AgentConflictResolved', {
      conflict_id: CONFLICT_ID,
      conflict_type: 'duplicate_todo',
      session_id: S,
      kept_todo_id: THEIRS,
      cancelled_todo_id: mine,
      strategy: 'keep_more_detailed',
    });
    const resolvedAt = ctx.now();
    if (early.length > 0)
      return ctx.fail('the agent kept creating while the conflict was unresolved', {
        expected: `no create from the agent handing on AgentConflictDetected until AgentConflictResolved (${HOLD_MS} ms after the application asked)`,
        actual: `POST …/todos ${Math.round(early[0]!.t - askedAt)} ms after the application asked, ${Math.round(early[0]!.t - handed.t)} ms after the agent handed on the conflict; ${paused ? 'it had reported paused' : 'no paused observation'}`,
      });
    if (!paused)
      ctx.fail('the agent held its create but never told its application it paused', {
        expected: `a paused observation for conflict ${CONFLICT_ID} before ${wireEventName('AgentConflictResolved')}`,
        actual: `the agent handed the conflict on at ${Math.round(handed.t)} ms; no paused observation by ${Math.round(resolvedAt)} ms`,
      });
    const held = await api.until(() => api.of('create')[before], RESUME_MS);
    if (!held)
      return ctx.fail(`the agent did not send the held create within ${RESUME_MS} ms of the resolution`, {
        expected: 'the create its application asked for during the conflict, after AgentConflictResolved',
        actual: `no create request; ${app.find('resumed') ? 'resumed reported' : 'no resumed observation'}`,
      });
    const resumed = await app.until(() => app.find('resumed', (r) => r.conflictId === CONFLICT_ID), RESUME_MS);
    if (!resumed)
      ctx.fail('the agent never reported that it resumed', {
        expected: `a resumed observation for conflict ${CONFLICT_ID} after ${wireEventName('AgentConflictResolved')}`,
        actual: `the held create went out ${Math.round(held.t - resolvedAt)} ms after the resolution, with no resumed observation`,
      });
    ctx.note(`held create sent ${Math.round(held.t - resolvedAt)} ms after the resolution (seq ${resolved.seq})`);
  },
};

export const conflictCases: readonly ClientCase[] = [pausesOnConflict];
