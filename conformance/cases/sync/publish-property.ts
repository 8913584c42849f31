/**
 * The publish property behind the ordering and fan-out cases: several agents create and patch todos
 * and join sessions across one or two sessions, a few at a time, while live subscribers join and leave.
 * Everything is recorded in a History and judged offline by the history checker.
 */
import fc from 'fast-check';
import { wireEventName } from '../../../spec/schemas/sync.ts';
import { History, recordOp } from '../../history/recorder.ts';
import { LiveSubscriber, recordStored } from '../../history/live-subscriber.ts';
import { assertHistory } from '../../history/checker.ts';
import type { ViolationKind } from '../../history/types.ts';
import { ApiError, SyncApi } from '../../clients/sync-api.ts';
import { checkProperty } from '../../property.ts';
import type { CaseContext } from '../../types.ts';
import { sessionFixture, uniqueTitle, type SessionFixture } from './fixtures.ts';

const TODO = wireEventName('AgentTodoChanged');
const JOINED = wireEventName('AgentParticipantJoined');

interface Plan {
  sessions: number;
  ops: Array<{ agent: number; session: number; kind: 'create' | 'patch' | 'join' }>;
  subscribers: Array<{ session: number; from: number; until: number | null }>;
  batch: number;
}

const plan: fc.Arbitrary<Plan> = fc.record({
  sessions: fc.integer({ min: 1, max: 2 }),
  ops: fc.array(fc.record({ agent: fc.nat(2), session: fc.nat(1), kind: fc.constantFrom('create', 'create', 'patch', 'join') as fc.Arbitrary<'create' | 'patch' | 'join'> }), { minLength: 4, maxLength: 16 }),
  subscribers: fc.array(fc.record({ session: fc.nat(1), from: fc.nat(12), until: fc.option(fc.nat(16), { nil: null }) }), { minLength: 1, maxLength: 3 }),
  batch: fc.integer({ min: 1, max: 3 }),
});

export async function publishProperty(ctx: CaseContext, kinds: ViolationKind[]): Promise<void> {
  await checkProperty(
    ctx,
    plan,
    async (p, run) => {
      const fixtures: SessionFixture[] = [];
      for (let i = 0; i < p.sessions; i++) fixtures.push(await sessionFixture(run, { agents: Math.min(3, run.target.agents.length) }));
      const n = fixtures[0]!.agents.length;
      const history = new History();
      const todos = new Map<number, Array<{ id: number; version: number }>>();
      const subs = p.subscribers.map((s, i) => {
        const f = fixtures[s.session % p.sessions]!;
        return { plan: s, sub: new LiveSubscriber(run, history, f.agents[0]!, `sub${i}`, [f.channel]), open: false };
      });
      const step = async (index: number) => {
        for (const s of subs) {
          if (!s.open && s.plan.from === index && (s.plan.until === null || s.plan.until > index)) {
            s.open = true;
            await s.sub.connect();
          } else if (s.open && s.plan.until === index) {
            s.open = false;
            await s.sub.close();
          }
        }
      };
      for (let i = 0; i < p.ops.length; i += p.batch) {
        await step(i);
        await Promise.all(
          p.ops.slice(i, i + p.batch).map(async (op) => {
            const f = fixtures[op.session % p.sessions]!;
            const api = new SyncApi(run, f.agents[op.agent % n]!);
            const sid = f.session.session_id;
            const definite = (e: unknown) => e instanceof ApiError && e.status < 500;
            if (op.kind === 'join') {
              await recordOp(history, api.agent.identifier, 'join', { sid }, () => api.join(sid, 'helper'), {
                isDefiniteFailure: definite,
                effectsOf: (pp) => [{ channel: f.channel, event: JOINED, where: { participant_id: pp.participant_id } }],
              }).catch(() => undefined);
              return;
            }
            const list = todos.get(sid) ?? [];
            todos.set(sid, list);
            const target = list.at(-1);
            if (op.kind === 'patch' && target) {
              const t = await recordOp(history, api.agent.identifier, 'patch', { sid, id: target.id }, () => api.patchTodo(sid, target.id, { description: uniqueTitle('d'), expected_version: target.version }), {
                isDefiniteFailure: definite,
                effectsOf: (t) => [{ channel: f.channel, event: TODO, where: { 'todo.todo_id': t.todo_id, 'todo.version': t.version } }],
              }).catch(() => undefined);
              if (t) target.version = t.version;
              return;
            }
            const t = await recordOp(history, api.agent.identifier, 'create', { sid }, () => api.createTodo(sid, { title: uniqueTitle(), description: '' }), {
              isDefiniteFailure: definite,
              effectsOf: (t) => [{ channel: f.channel, event: TODO, where: { change: 'created', 'todo.todo_id': t.todo_id } }],
            });
            list.push({ id: t.todo_id, version: t.version });
          }),
        );
      }
      // Quiesce: every open subscriber holds its channel up to the last seq before the offline check.
      for (const s of subs.filter((x) => x.open)) {
        const ch = s.sub.channels[0]!;
        const last = (await new SyncApi(run, s.sub.agent).events(ch, { afterSeq: 0, limit: 1 })).last_seq;
        await s.sub.waitUntil(() => (s.sub.lastSeq.get(ch) ?? 0) >= last, 2000, `seq ${last} on ${ch}`).catch(() => undefined);
      }
      await recordStored(run, history, fixtures[0]!.agents[0]!, fixtures.map((f) => f.channel));
      for (const s of subs) if (s.open) await s.sub.close();
      assertHistory(run, history, { kinds });
    },
    { maxRuns: 6, timeBudgetMs: 25_000 },
  );
}
