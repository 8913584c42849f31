import fc from 'fast-check';
import { pickKept, titleSimilarity } from '../../../spec/protocol/conflicts.ts';
import { frameData, type Frame } from '../../../spec/protocol/frames.ts';
import { AgentConflictDetected, AgentConflictResolved, wireEventName } from '../../../spec/schemas/sync.ts';
import { parseBody, type TodoT } from '../../clients/sync-api.ts';
import type { PusherSocket } from '../../clients/pusher-socket.ts';
import { sleep } from '../../clients/wait.ts';
import { checkProperty } from '../../property.ts';
import type { Case, CaseContext } from '../../types.ts';
import { expectAbsent, expectAtMost, expectEqual, expectFields, expectNear, expectStatus } from '../../verify.ts';
import { sessionFixture, uniqueTitle, waitForSync, watch, type SessionFixture } from './fixtures.ts';

const DETECTED = wireEventName('AgentConflictDetected');
const RESOLVED = wireEventName('AgentConflictResolved');
type Det = {
  conflict_id: number;
  conflict_type: string;
  details: { todo1_id?: number; todo2_id?: number; todo_id?: number; similarity?: number };
};

/** Records when each frame arrived, per socket (for the conflict budget). */
function stamp(sock: PusherSocket): Map<Frame, number> {
  const at = new Map<Frame, number>();
  sock.onFrame((f) => at.set(f, performance.now()));
  return at;
}

interface PairOutcome {
  first: TodoT;
  second: TodoT;
  /** When the second create was sent. */
  sentAt: number;
  watchers: Array<{ sock: PusherSocket; at: Map<Frame, number> }>;
}

/** Two agents create two todos one after the other while `watchers` sockets watch the session channel. */
async function createPair(
  ctx: CaseContext,
  f: SessionFixture,
  a: { title: string; description: string },
  b: { title: string; description: string },
  watchers = 2,
): Promise<PairOutcome> {
  const ws = [];
  for (let i = 0; i < watchers; i++) {
    const sock = await watch(ctx, f.agents[i % f.agents.length]!, f.channel);
    ws.push({ sock, at: stamp(sock) });
  }
  const first = await f.apis[0]!.createTodo(f.session.session_id, a);
  const sentAt = performance.now();
  const second = await f.apis[1 % f.apis.length]!.createTodo(f.session.session_id, b);
  return { first, second, sentAt, watchers: ws };
}

const aboutPair = (o: PairOutcome) => (d: Det) => d.details?.todo2_id === o.second.todo_id || d.details?.todo1_id === o.second.todo_id;

/** Checks Detected + Resolved for a duplicate pair, the kept/cancelled choice and (optionally) the budget. */
async function expectDuplicate(
  ctx: CaseContext,
  o: PairOutcome,
  a: { description: string },
  b: { description: string },
  checkBudget: boolean,
): Promise<void> {
  const budget = ctx.timings.conflictBudgetMs;
  const keptWant = pickKept(a, b) === 'earlier' ? o.first.todo_id : o.second.todo_id;
  const cancelledWant = keptWant === o.first.todo_id ? o.second.todo_id : o.first.todo_id;
  for (const { sock, at } of o.watchers) {
    const det = parseBody(AgentConflictDetected, await waitAny(sock, DETECTED, aboutPair(o), budget + 2000), 'AgentConflictDetected');
    const want = titleSimilarity(o.first.title, o.second.title);
    expectFields(
      det,
      { conflict_type: 'duplicate_todo', 'details.todo1_id': o.first.todo_id, 'details.todo2_id': o.second.todo_id },
      'AgentConflictDetected does not name (earlier, later) todos',
    );
    expectNear(
      'similarity' in det.details ? det.details.similarity : NaN,
      want,
      0.01,
      'reported similarity differs from 1 − Levenshtein/max',
    );
    const res = parseBody(
      AgentConflictResolved,
      await waitAny(sock, RESOLVED, (d: { conflict_id?: number }) => d.conflict_id === det.conflict_id, budget + 2000),
      'AgentConflictResolved',
    );
    expectFields(
      res,
      { kept_todo_id: keptWant, cancelled_todo_id: cancelledWant, strategy: 'keep_more_detailed' },
      'the wrong todo was kept',
    );
    if (checkBudget) {
      const detFrame = sock.frames.find((fr) => fr.event === DETECTED && frameData<Det>(fr).conflict_id === det.conflict_id)!;
      const resFrame = sock.frames.find(
        (fr) => fr.event === RESOLVED && frameData<{ conflict_id?: number }>(fr).conflict_id === det.conflict_id,
      )!;
      const tDet = at.get(detFrame)! - o.sentAt;
      const tRes = at.get(resFrame)! - o.sentAt;
      ctx.note(`${sock.label}: Detected after ${tDet.toFixed(1)} ms, Resolved after ${tRes.toFixed(1)} ms`);
      expectAtMost(
        tRes,
        budget,
        `Resolved reached ${sock.label} ${tRes.toFixed(0)} ms after the second create (Detected after ${tDet.toFixed(0)} ms)`,
        { unit: 'ms', bound: 'conflict_budget' },
      );
    }
  }
}

async function waitAny<T>(sock: PusherSocket, event: string, match: (d: T) => boolean, timeoutMs: number): Promise<T> {
  const fr = await sock.waitFor((x) => x.event === event && match(frameData<T>(x)), { desc: event, timeoutMs });
  return frameData<T>(fr);
}

async function expectNoDuplicate(ctx: CaseContext, o: PairOutcome): Promise<void> {
  await sleep(ctx, ctx.timings.conflictBudgetMs + 150);
  for (const { sock } of o.watchers) {
    const hit = sock.frames.find((fr) => fr.event === DETECTED && aboutPair(o)(frameData<Det>(fr)));
    expectAbsent(
      hit,
      `conflict below threshold ${ctx.timings.conflictThreshold}`,
      `a duplicate was reported for "${o.first.title}" / "${o.second.title}" (similarity ${titleSimilarity(o.first.title, o.second.title).toFixed(3)})`,
    );
  }
}

/** Words → a title; edits → a near copy (substitute / insert / delete characters, change case and punctuation). */
const word = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnoprstuvwy'), minLength: 3, maxLength: 8 });
const titlePair = fc
  .record({
    words: fc.array(word, { minLength: 2, maxLength: 5 }),
    edits: fc.array(fc.record({ at: fc.nat(), op: fc.constantFrom('sub', 'ins', 'del'), ch: fc.constantFrom(...'xyzq') }), {
      maxLength: 6,
    }),
    shout: fc.boolean(),
    descA: fc.nat(12),
    descB: fc.nat(12),
  })
  .map((r) => {
    const a = r.words.join(' ');
    const chars = Array.from(a);
    for (const e of r.edits) {
      const i = e.at % Math.max(1, chars.length);
      if (e.op === 'sub') chars[i] = e.ch;
      else if (e.op === 'ins') chars.splice(i, 0, e.ch);
      else if (chars.length > 1) chars.splice(i, 1);
    }
    const b = r.shout ? `${chars.join('').toUpperCase()}!` : chars.join('');
    return { a, b, descA: 'd'.repeat(r.descA), descB: 'e'.repeat(r.descB) };
  });

export const conflictCases: Case[] = [
  {
    requirement: 'sync/conflicts/1',
    desc: 'Creates titles that differ only in case, punctuation, spacing and NFKC forms ("Create user-model", "ＣＲＥＡＴＥ  User model!"); expects a duplicate with similarity 1',
    async run(ctx: CaseContext) {
      const f = await sessionFixture(ctx, { agents: 2 });
      const a = { title: 'Create user-model', description: 'a' };
      const b = { title: 'ＣＲＥＡＴＥ  User model!', description: 'bb' };
      const o = await createPair(ctx, f, a, b, 1);
      await expectDuplicate(ctx, o, a, b, false);
    },
  },
  {
    requirement: 'sync/conflicts/2',
    desc: 'Property: creates title pairs near and far from the advertised threshold; expects AgentConflictDetected iff similarity ≥ threshold, naming both todos and the similarity',
    property: true,
    timeoutMs: 30_000,
    async run(ctx: CaseContext) {
      const threshold = ctx.timings.conflictThreshold;
      await checkProperty(
        ctx,
        titlePair,
        async (p, run: CaseContext) => {
          const f = await sessionFixture(run, { agents: 2 });
          const a = { title: p.a, description: p.descA };
          const b = { title: p.b, description: p.descB };
          const o = await createPair(run, f, a, b, 2);
          if (titleSimilarity(p.a, p.b) >= threshold) await expectDuplicate(run, o, a, b, false);
          else await expectNoDuplicate(run, o);
        },
        { maxRuns: 10, timeBudgetMs: 20_000 },
      );
    },
  },
  {
    requirement: 'sync/conflicts/3',
    desc: 'Creates identical titles in two sessions, after cancelling the first, and clearly different titles; expects no duplicate reported',
    async run(ctx: CaseContext) {
      const f = await sessionFixture(ctx, { agents: 2 });
      const g = await sessionFixture(ctx, { agents: 2 });
      const title = uniqueTitle('same');
      const sockF = await watch(ctx, f.agents[0]!, f.channel);
      const sockG = await watch(ctx, g.agents[0]!, g.channel);
      await f.apis[0]!.createTodo(f.session.session_id, { title, description: '' });
      await g.apis[1]!.createTodo(g.session.session_id, { title, description: '' });
      const c = await f.apis[0]!.createTodo(f.session.session_id, { title: uniqueTitle('cancel me'), description: '' });
      await f.apis[0]!.patchTodo(f.session.session_id, c.todo_id, { status: 'cancelled', expected_version: 1 });
      await f.apis[1]!.createTodo(f.session.session_id, { title: c.title, description: 'again' });
      await f.apis[1]!.createTodo(f.session.session_id, { title: 'Completely unrelated work item', description: '' });
      await sleep(ctx, ctx.timings.conflictBudgetMs + 150);
      for (const s of [sockF, sockG]) {
        const hit = s.frames.find((fr) => fr.event === DETECTED);
        expectAbsent(hit, 'AgentConflictDetected', `${s.label} saw a duplicate that must not be reported`);
      }
    },
  },
  {
    requirement: 'sync/conflicts/4',
    desc: 'Creates duplicate pairs where the later, the earlier, or neither description is longer; expects the more detailed (tie: earlier) kept, the other cancelled, strategy keep_more_detailed',
    timeoutMs: 15_000,
    async run(ctx: CaseContext) {
      for (const [da, db] of [
        ['short', 'a much longer description'],
        ['a much longer description', 'short'],
        ['same', 'same'],
      ] as const) {
        const f = await sessionFixture(ctx, { agents: 2 });
        const a = { title: 'Add the audit log table', description: da };
        const b = { title: 'Add the audit-log table', description: db };
        const o = await createPair(ctx, f, a, b, 1);
        await expectDuplicate(ctx, o, a, b, false);
        const cancelled = pickKept(a, b) === 'earlier' ? o.second.todo_id : o.first.todo_id;
        await waitAny(
          o.watchers[0]!.sock,
          wireEventName('AgentTodoChanged'),
          (d: { change?: string; todo?: { todo_id?: number } }) => d.change === 'cancelled' && d.todo?.todo_id === cancelled,
          2000,
        );
      }
    },
  },
  {
    requirement: 'sync/conflicts/5',
    desc: 'Creates a duplicate pair five times with three session subscribers; expects Detected and Resolved at every subscriber within conflict_budget of the second create request',
    timeoutMs: 20_000,
    async run(ctx: CaseContext) {
      for (let i = 0; i < 5; i++) {
        const f = await sessionFixture(ctx, { agents: 2 });
        const a = { title: `Refactor the billing module ${i}`, description: 'x' };
        const b = { title: `Refactor billing module ${i}`, description: 'xy' };
        const o = await createPair(ctx, f, a, b, 3);
        await expectDuplicate(ctx, o, a, b, true);
      }
    },
  },
  {
    requirement: 'sync/conflicts/6',
    desc: 'Two agents patch one todo from the same version; expects the second 409 and AgentConflictDetected {concurrent_update} then AgentConflictResolved {first_writer_wins, cancelled_todo_id:null}',
    async run(ctx: CaseContext) {
      const f = await sessionFixture(ctx, { agents: 2 });
      const sock = await watch(ctx, f.agents[0]!, f.channel);
      const t = await f.apis[0]!.createTodo(f.session.session_id, { title: uniqueTitle(), description: '' });
      await f.apis[0]!.patchTodo(f.session.session_id, t.todo_id, { description: 'first writer', expected_version: 1 });
      const res = await f.apis[1]!.raw({
        method: 'PATCH',
        path: `/api/sessions/${f.session.session_id}/todos/${t.todo_id}`,
        body: { description: 'second writer', expected_version: 1 },
      });
      expectStatus(res, 409, 'stale PATCH');
      const det = parseBody(
        AgentConflictDetected,
        await waitForSync<Det>(sock, f.channel, 'AgentConflictDetected', (d) => d.conflict_type === 'concurrent_update'),
        'AgentConflictDetected',
      );
      expectFields(det.details, { todo_id: t.todo_id, expected_version: 1, actual_version: 2 }, 'concurrent_update details are wrong');
      const r = parseBody(
        AgentConflictResolved,
        await waitForSync<{ conflict_id?: number }>(sock, f.channel, 'AgentConflictResolved', (d) => d.conflict_id === det.conflict_id),
        'AgentConflictResolved',
      );
      expectFields(
        r,
        { strategy: 'first_writer_wins', kept_todo_id: t.todo_id, cancelled_todo_id: null },
        'concurrent_update resolution is wrong',
      );
      const now = (await f.apis[0]!.listTodos(f.session.session_id)).find((x) => x.todo_id === t.todo_id);
      expectEqual(now?.description, 'first writer', 'the second writer’s change was applied');
    },
  },
  {
    requirement: 'sync/conflicts/7',
    desc: 'Reads the advertised conflict_threshold; reports whether it is the 0.85 default',
    async run(ctx: CaseContext) {
      const v = ctx.hub?.timings.conflict_threshold;
      if (v === undefined) ctx.skip('target has no GET /api/hub to advertise conflict_threshold');
      ctx.informational(v === 0.85 ? 'conflict_threshold is the 0.85 default' : `conflict_threshold is configured to ${v}`);
    },
  },
];
