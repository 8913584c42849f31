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
import { VIOLATION_REQUIREMENTS } from '../../history/requirements.ts';
import { ApiError, SyncApi } from '../../clients/sync-api.ts';
import { checkProperty } from '../../property.ts';
import { CheckFailure, type CaseContext } from '../../types.ts';
import { keepAlive, sessionFixture, uniqueTitle, type KeptAlive, type SessionFixture } from './fixtures.ts';

const TODO = wireEventName('AgentTodoChanged');
const JOINED = wireEventName('AgentParticipantJoined');

type OpKind = 'create' | 'patch' | 'join';

interface Op {
  agent: number;
  /** Taken modulo the plan's session count. */
  session: number;
  kind: OpKind;
}

/**
 * Subscribers are placed in batch steps: one opens just before batch `from` runs and closes just before
 * batch `until` (null, or past the last batch: stays until the end). Step units, so every `from` names a
 * moment that exists: an op-index `from` that fell between batch boundaries or past the last op was a
 * subscriber that never connected, and a run made only of those checked nothing.
 */
export interface PublishPlan {
  sessions: number;
  ops: Op[];
  batch: number;
  subscribers: Array<{ session: number; from: number; until: number | null }>;
}

/** Creates always produce an event (unique titles never conflict); patches and joins may be refused. */
const SURE_EVENTS = 3;

/**
 * The session with the most guaranteed events and the latest step from which it still gets SURE_EVENTS
 * creates; undefined when no session gets that many. Three, not two: order and loss only show on a
 * stream of at least three events (a swapped or dropped middle event needs a successor).
 */
export function anchorOf(b: Pick<PublishPlan, 'sessions' | 'ops' | 'batch'>): { session: number; lastFrom: number } | undefined {
  let best: { session: number; lastFrom: number; creates: number } | undefined;
  for (let s = 0; s < b.sessions; s++) {
    const steps = b.ops.flatMap((op, i) => (op.kind === 'create' && op.session % b.sessions === s ? [Math.floor(i / b.batch)] : []));
    if (steps.length < SURE_EVENTS) continue;
    const lastFrom = steps[steps.length - SURE_EVENTS]!;
    if (!best || steps.length > best.creates) best = { session: s, lastFrom, creates: steps.length };
  }
  return best && { session: best.session, lastFrom: best.lastFrom };
}

const op: fc.Arbitrary<Op> = fc.record({
  agent: fc.nat(2),
  session: fc.nat(1),
  kind: fc.constantFrom<OpKind>('create', 'create', 'patch', 'join'),
});

/**
 * Ops first, then subscribers drawn relative to them. The first subscriber is the anchor: subscribed to
 * a session that gets at least three creates, from a step before the third-to-last of them, until the
 * end, so every run observes a stream it can judge. The others come and go at random steps.
 */
export const publishPlan: fc.Arbitrary<PublishPlan> = fc
  .record({
    sessions: fc.integer({ min: 1, max: 2 }),
    ops: fc.array(op, { minLength: 4, maxLength: 16 }),
    batch: fc.integer({ min: 1, max: 3 }),
  })
  .filter((b) => anchorOf(b) !== undefined)
  .chain((b) => {
    const steps = Math.ceil(b.ops.length / b.batch);
    const anchor = anchorOf(b)!;
    const first = fc.record({
      session: fc.constant(anchor.session),
      from: fc.integer({ min: 0, max: anchor.lastFrom }),
      until: fc.constant(null),
    });
    const other = fc.integer({ min: 0, max: steps - 1 }).chain((from) =>
      fc.record({
        session: fc.nat(b.sessions - 1),
        from: fc.constant(from),
        until: fc.option(fc.integer({ min: from + 1, max: steps }), { nil: null }),
      }),
    );
    return fc.tuple(first, fc.array(other, { maxLength: 2 })).map(([a, rest]) => ({ ...b, subscribers: [a, ...rest] }));
  });

/**
 * How long a subscriber may take to catch up with the last stored seq before the offline check. Bounded
 * by the hub's heartbeat timeout (half of it, at most 2 s) so the wait itself can never outlast the
 * participants' liveness, which keepAlive maintains anyway.
 */
export const quiesceMs = (t: CaseContext['timings']): number => Math.max(500, Math.min(2000, Math.floor(t.heartbeatTimeoutMs / 2)));

/** Most live events any one subscriber received on one channel over one connection. */
function longestStream(history: History): number {
  const counts = new Map<string, number>();
  for (const e of history.entries)
    if (e.type === 'event' && e.source === 'live')
      counts.set(`${e.subscriber}|${e.conn}|${e.channel}`, (counts.get(`${e.subscriber}|${e.conn}|${e.channel}`) ?? 0) + 1);
  return Math.max(0, ...counts.values());
}

/**
 * Runs the publish property and judges each requirement the case proves (`ctx.requirements`) on every
 * recorded run: order, loss and reach, duplicates, persistence, acknowledged-but-missing events.
 */
export async function publishProperty(ctx: CaseContext): Promise<void> {
  await checkProperty(
    ctx,
    publishPlan,
    async (p, run) => {
      const fixtures: SessionFixture[] = [];
      for (let i = 0; i < p.sessions; i++) fixtures.push(await sessionFixture(run, { agents: Math.min(3, run.target.agents.length) }));
      // Participants joined by `join` ops are kept alive too: a stale one would emit AgentParticipantLeft
      // at a random moment, an event no op caused.
      const joined: KeptAlive[] = [];
      keepAlive(run, fixtures, joined);
      const n = fixtures[0]!.agents.length;
      const history = new History();
      const todos = new Map<number, Array<{ id: number; version: number }>>();
      const subs = p.subscribers.map((s, i) => {
        const f = fixtures[s.session % p.sessions]!;
        return { plan: s, sub: new LiveSubscriber(run, history, f.agents[0]!, `sub${i}`, [f.channel]), open: false, done: false };
      });
      const step = async (at: number) => {
        for (const s of subs) {
          if (s.open && s.plan.until === at) {
            s.open = false;
            s.done = true;
            await s.sub.close();
          } else if (!s.open && !s.done && s.plan.from === at) {
            s.open = true;
            await s.sub.connect();
          }
        }
      };
      for (let i = 0, at = 0; i < p.ops.length; i += p.batch, at++) {
        await step(at);
        await Promise.all(
          p.ops.slice(i, i + p.batch).map(async (op) => {
            const f = fixtures[op.session % p.sessions]!;
            const api = new SyncApi(run, f.agents[op.agent % n]!);
            const sid = f.session.session_id;
            const definite = (e: unknown) => e instanceof ApiError && e.status < 500;
            if (op.kind === 'join') {
              const pp = await recordOp(history, api.agent.identifier, 'join', { sid }, () => api.join(sid, 'helper'), {
                isDefiniteFailure: definite,
                effectsOf: (pp) => [{ channel: f.channel, event: JOINED, where: { participant_id: pp.participant_id } }],
              }).catch(() => undefined);
              if (pp) joined.push({ api, sessionId: sid, participantId: pp.participant_id });
              return;
            }
            const list = todos.get(sid) ?? [];
            todos.set(sid, list);
            const target = list.at(-1);
            if (op.kind === 'patch' && target) {
              const t = await recordOp(
                history,
                api.agent.identifier,
                'patch',
                { sid, id: target.id },
                () => api.patchTodo(sid, target.id, { description: uniqueTitle('d'), expected_version: target.version }),
                {
                  isDefiniteFailure: definite,
                  effectsOf: (t) => [{ channel: f.channel, event: TODO, where: { 'todo.todo_id': t.todo_id, 'todo.version': t.version } }],
                },
              ).catch(() => undefined);
              if (t) target.version = t.version;
              return;
            }
            const t = await recordOp(
              history,
              api.agent.identifier,
              'create',
              { sid },
              () => api.createTodo(sid, { title: uniqueTitle(), description: '' }),
              {
                isDefiniteFailure: definite,
                effectsOf: (t) => [{ channel: f.channel, event: TODO, where: { change: 'created', 'todo.todo_id': t.todo_id } }],
              },
            );
            list.push({ id: t.todo_id, version: t.version });
          }),
        );
      }
      // Quiesce: every open subscriber holds its channel up to the last seq before the offline check. A
      // subscriber that never gets there is judged by the checker (reach / loss), not here.
      const waitMs = quiesceMs(run.timings);
      const short: Array<{ name: string; channel: string; held: number; last: number }> = [];
      for (const s of subs.filter((x) => x.open)) {
        const ch = s.sub.channels[0]!;
        const last = (await new SyncApi(run, s.sub.agent).events(ch, { afterSeq: 0, limit: 1 })).last_seq;
        await s.sub
          .waitUntil(() => (s.sub.lastSeq.get(ch) ?? 0) >= last, waitMs, `seq ${last} on ${ch}`)
          .catch(() => {
            const held = s.sub.lastSeq.get(ch) ?? 0;
            // Held nothing live: that subscriber's reach is the checker's business, not a tail gap.
            if (held > 0) short.push({ name: s.sub.name, channel: ch, held, last });
          });
      }
      await recordStored(
        run,
        history,
        fixtures[0]!.agents[0]!,
        fixtures.map((f) => f.channel),
      );
      for (const s of subs) if (s.open) await s.sub.close();
      // A lost last event leaves no gap between two received seqs; against the stored last_seq it is one.
      const tail = short[0];
      const found = tail
        ? [
            new CheckFailure(
              `${VIOLATION_REQUIREMENTS.loss} (loss): ${tail.name}'s live stream on ${tail.channel} stopped at seq ${tail.held} while history holds up to seq ${tail.last}: ${tail.last - tail.held} event(s) at the tail never delivered within ${waitMs} ms`,
              `every event up to the channel's last_seq ${tail.last} delivered live to a subscriber connected the whole time`,
              short.map((x) => `${x.name} on ${x.channel}: last seq ${x.held} of ${x.last}`).join('; '),
              undefined,
              { requirement: VIOLATION_REQUIREMENTS.loss },
            ),
          ]
        : [];
      assertHistory(run, history, { found });
      // A run in which no subscriber saw a stream proves nothing about order or loss; say so, loudly.
      const longest = longestStream(history);
      if (longest < 2) {
        throw new CheckFailure(
          `vacuous run: no subscriber received two live events on one channel, so order and loss were not observed (${p.subscribers.length} subscriber(s), ${p.ops.length} op(s))`,
          'at least one subscriber receiving ≥ 2 live events of one channel over one connection',
          `longest live stream: ${longest} event(s)`,
        );
      }
    },
    { maxRuns: 6, timeBudgetMs: 25_000 },
  );
}
