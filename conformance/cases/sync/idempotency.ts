import fc from 'fast-check';
import { wireEventName } from '../../../spec/schemas/sync.ts';
import { assertHistory } from '../../history/checker.ts';
import { recordStored } from '../../history/live-subscriber.ts';
import { History } from '../../history/recorder.ts';
import { expectApiError } from '../../clients/sync-api.ts';
import type { HttpResponse } from '../../clients/http.ts';
import { checkProperty } from '../../property.ts';
import type { Case, CaseContext } from '../../types.ts';
import { expectEqual, expectNotEqual, expectStatus } from '../../verify.ts';
import { historyCount, randomKey, sessionFixture, uniqueTitle, type SessionFixture } from './fixtures.ts';

const TODO = wireEventName('AgentTodoChanged');

/** Sends the same create `retries` times with one key: sequentially or all at once. */
async function retriedCreates(
  f: SessionFixture,
  key: string,
  retries: number,
  concurrent: boolean,
  title: string,
): Promise<HttpResponse[]> {
  const send = () =>
    f.apis[0]!.raw({
      method: 'POST',
      path: `/api/sessions/${f.session.session_id}/todos`,
      body: { title, description: 'x' },
      headers: { 'idempotency-key': key },
    });
  if (concurrent) return Promise.all(Array.from({ length: retries }, send));
  const out: HttpResponse[] = [];
  for (let i = 0; i < retries; i++) out.push(await send());
  return out;
}

const retryPlan = fc.record({ retries: fc.integer({ min: 2, max: 6 }), concurrent: fc.boolean(), keys: fc.integer({ min: 1, max: 3 }) });

/** Runs the retry property; `check` judges one key's responses plus the history before/after. */
async function retryProperty(
  ctx: CaseContext,
  forceConcurrent: boolean,
  check: (f: SessionFixture, responses: HttpResponse[][], before: number, after: number) => Promise<void>,
): Promise<void> {
  await checkProperty(
    ctx,
    retryPlan,
    async (p, run) => {
      const f = await sessionFixture(run);
      const before = await historyCount(f.apis[0]!, f.channel);
      const all: HttpResponse[][] = [];
      for (let k = 0; k < p.keys; k++)
        all.push(await retriedCreates(f, randomKey(), p.retries, forceConcurrent || p.concurrent, uniqueTitle()));
      const after = await historyCount(f.apis[0]!, f.channel);
      await check(f, all, before, after);
    },
    { maxRuns: 8, timeBudgetMs: 15_000 },
  );
}

function sameAnswers(responses: HttpResponse[]): void {
  const first = responses[0]!;
  expectStatus(first, 201, 'first create');
  // The same body is the same JSON value: a hub may write its keys in another order each time.
  const body = (r: HttpResponse) => (r.json !== undefined ? r.json : r.text);
  for (const r of responses) {
    expectEqual(
      { status: r.status, body: body(r) },
      { status: first.status, body: body(first) },
      'a retry with the same Idempotency-Key got a different answer',
    );
  }
}

export const idempotencyCases: Case[] = [
  {
    requirement: 'sync/idempotency/1',
    desc: 'Property: repeats a todo create with one Idempotency-Key 2–6 times (sequentially or at once); expects the same status and body every time',
    property: true,
    timeoutMs: 25_000,
    async run(ctx: CaseContext) {
      await retryProperty(ctx, false, async (_f, all) => all.forEach((r) => sameAnswers(r)));
    },
  },
  {
    requirement: 'sync/idempotency/2',
    desc: 'Property: repeats creates with used Idempotency-Keys; expects exactly one todo and one created event per key, nothing else in history',
    property: true,
    timeoutMs: 25_000,
    async run(ctx: CaseContext) {
      await retryProperty(ctx, false, async (f, all, before, after) => {
        expectEqual(after - before, all.length, `${after - before} events for ${all.length} distinct keys`);
        const todos = await f.apis[0]!.listTodos(f.session.session_id);
        expectEqual(todos.length, all.length, `${todos.length} todos for ${all.length} distinct keys`);
      });
    },
  },
  {
    requirement: 'sync/idempotency/3',
    desc: 'Reuses an Idempotency-Key with a different body and a different path; expects 422 idempotency_key_reused and no new event',
    async run(ctx: CaseContext) {
      const f = await sessionFixture(ctx);
      const key = randomKey();
      await f.apis[0]!.createTodo(f.session.session_id, { title: uniqueTitle(), description: '' }, key);
      const before = await historyCount(f.apis[0]!, f.channel);
      await expectApiError(
        ctx,
        f.apis[0]!.createTodo(f.session.session_id, { title: uniqueTitle('other'), description: '' }, key),
        422,
        'idempotency_key_reused',
        'same key, different body',
      );
      await expectApiError(
        ctx,
        f.apis[0]!.join(f.session.session_id, 'other', key),
        422,
        'idempotency_key_reused',
        'same key, different path',
      );
      const after = await historyCount(f.apis[0]!, f.channel);
      expectEqual(after, before, 'a reused key changed the history');
    },
  },
  {
    requirement: 'sync/idempotency/4',
    desc: 'Property: fires 2–6 identical creates with one Idempotency-Key at the same moment; expects one todo, one event, identical answers',
    property: true,
    timeoutMs: 25_000,
    async run(ctx: CaseContext) {
      await retryProperty(ctx, true, async (_f, all, before, after) => {
        all.forEach((r) => sameAnswers(r));
        expectEqual(after - before, all.length, `${after - before} events for ${all.length} keys sent concurrently`);
      });
    },
  },
  {
    requirement: 'sync/idempotency/5',
    // The stored-history checks also judge acknowledged creates and the seq run, each on its own row.
    alsoProves: ['sync/history/1', 'sync/envelope/3', 'sync/ordering/2'],
    desc: 'Retries creates with keys (some concurrently), then checks the channel history with the history checker: no event_id twice, one created event per todo',
    timeoutMs: 15_000,
    async run(ctx: CaseContext) {
      const f = await sessionFixture(ctx);
      const history = new History();
      for (let k = 0; k < 4; k++) {
        const key = randomKey();
        const res = await retriedCreates(f, key, 3, k % 2 === 0, uniqueTitle());
        // Only the stored-history checks run here, so ops are recorded after the fact, one per answer.
        for (const r of res) {
          const op = history.invoke(f.agents[0]!.identifier, 'create', { key });
          const id = (r.json as { todo_id?: number } | undefined)?.todo_id;
          if (r.status === 201 && typeof id === 'number')
            op.ok(r.json, [{ channel: f.channel, event: TODO, where: { change: 'created', 'todo.todo_id': id } }]);
          else op.info(r.status);
        }
      }
      await recordStored(ctx, history, f.agents[0]!, [f.channel]);
      assertHistory(ctx, history);
    },
  },
  {
    requirement: 'sync/idempotency/6',
    desc: 'Two agents send creates with the same Idempotency-Key; expects two todos (keys are scoped per agent)',
    async run(ctx: CaseContext) {
      const f = await sessionFixture(ctx, { agents: 2 });
      const key = randomKey();
      const a = await f.apis[0]!.createTodo(f.session.session_id, { title: uniqueTitle(), description: '' }, key);
      const b = await f.apis[1]!.createTodo(f.session.session_id, { title: uniqueTitle(), description: '' }, key);
      expectNotEqual(b.todo_id, a.todo_id, 'the second agent got the first agent’s stored answer (two agents, one todo)');
    },
  },
];
