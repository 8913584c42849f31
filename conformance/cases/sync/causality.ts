import { assertHistory } from '../../history/checker.ts';
import { LiveSubscriber, recordStored } from '../../history/live-subscriber.ts';
import { History } from '../../history/recorder.ts';
import type { Case, CaseContext } from '../../types.ts';
import { sessionFixture, uniqueTitle, waitForSync } from './fixtures.ts';

/**
 * Makes several duplicate pairs, a concurrent update and joins/leaves on one session while a recorded
 * subscriber watches, then runs the history checker's causality checks on the live streams and history:
 * each of the three causality rules is judged on the same recorded run.
 */
async function causalRun(ctx: CaseContext): Promise<void> {
  const f = await sessionFixture(ctx, { agents: 2 });
  const history = new History();
  const sub = new LiveSubscriber(ctx, history, f.agents[0]!, 'watcher', [f.channel]);
  await sub.connect();
  const sid = f.session.session_id;
  for (let i = 0; i < 3; i++) {
    const title = `${uniqueTitle('dup')}`;
    await Promise.all([
      f.apis[0]!.createTodo(sid, { title, description: 'a' }),
      f.apis[1]!.createTodo(sid, { title: `${title}!`, description: 'bb' }),
    ]);
  }
  const t = await f.apis[0]!.createTodo(sid, { title: uniqueTitle(), description: '' });
  await Promise.all(
    [
      f.apis[0]!.patchTodo(sid, t.todo_id, { description: 'x', expected_version: 1 }),
      f.apis[1]!.patchTodo(sid, t.todo_id, { description: 'y', expected_version: 1 }),
    ].map((p) => p.catch(() => undefined)),
  );
  for (let i = 0; i < 2; i++) {
    const p = await f.apis[1]!.join(sid, `temp-${i}`);
    await f.apis[1]!.leave(sid, p.participant_id);
  }
  await waitForSync(sub.socket!, f.channel, 'AgentParticipantLeft', (d: { agent_type?: string }) => d.agent_type === 'temp-1');
  const last = (await f.apis[0]!.events(f.channel, { afterSeq: 0, limit: 1 })).last_seq;
  await sub.waitUntil(() => (sub.lastSeq.get(f.channel) ?? 0) >= last, 2000, `seq ${last}`).catch(() => undefined);
  await recordStored(ctx, history, f.agents[0]!, [f.channel]);
  assertHistory(ctx, history);
}

export const causalityCases: Case[] = [
  {
    requirement: 'sync/causality/1',
    alsoProves: ['sync/causality/2', 'sync/causality/3'],
    desc: 'Creates three duplicate pairs at once, a concurrent update, and joins and leaves while recording; expects, live and in history, each todo’s created before any conflict naming it, every AgentConflictDetected before the AgentConflictResolved with its conflict_id, and each AgentParticipantJoined before that participant’s AgentParticipantLeft',
    run: causalRun,
  },
];
