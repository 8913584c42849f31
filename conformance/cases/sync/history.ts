import fc from 'fast-check';
import { syncChannel } from '../../../spec/protocol/channels.ts';
import { frameData } from '../../../spec/protocol/frames.ts';
import { syncEventFromWire, wireEventName } from '../../../spec/schemas/sync.ts';
import { SyncApi, expectApiError, type HistoryPageT } from '../../clients/sync-api.ts';
import { checkProperty } from '../../property.ts';
import type { Case, CaseContext } from '../../types.ts';
import { expectAtMost, expectEqual, expectFields } from '../../verify.ts';
import { keepAlive, outOfScope, randomIssue, sessionFixture, uniqueTitle, waitForSync, watch, type SessionFixture } from './fixtures.ts';

export const historyCases: Case[] = [
  {
    requirement: 'sync/history/1',
    desc: 'Joins, watches the session channel live and creates 12 todos, recording every event it caused (acknowledged requests + the live stream); walks history in small pages and reads random after_seq/limit slices; expects exactly those events, seq > after_seq, ascending and gapless, at most limit, and last_seq',
    property: true,
    timeoutMs: 20_000,
    async run(ctx: CaseContext) {
      const expected = await causedEvents(ctx);
      const { f, events } = expected;
      const n = events.length;
      // A full walk in small pages first: deterministic, so a page that always drops one seq cannot hide
      // between random samples.
      const walk = await walkPages(f.apis[0]!, f.channel, 4, n);
      checkSlice(ctx, expected, 'pages of 4 from after_seq=0', walk.events, walk.lastSeq, events);
      await checkProperty(
        ctx,
        fc.record({ after: fc.integer({ min: 0, max: n + 2 }), limit: fc.integer({ min: 1, max: n + 3 }) }),
        async ({ after, limit }, run: CaseContext) => {
          const page = await f.apis[0]!.events(f.channel, { afterSeq: after, limit });
          checkSlice(
            run,
            expected,
            `after_seq=${after}&limit=${limit}`,
            page.events,
            page.last_seq,
            events.filter((e) => e.seq > after).slice(0, limit),
          );
        },
        { maxRuns: 30 },
      );
    },
  },
  {
    requirement: 'sync/history/2',
    desc: 'Receives a run of events live and compares each with its history entry: same wire name, event_id, seq and data',
    async run(ctx: CaseContext) {
      const f = await sessionFixture(ctx, { agents: 2 });
      const sock = await watch(ctx, f.agents[0]!, f.channel);
      await f.apis[0]!.createTodo(f.session.session_id, { title: 'Write the login form', description: 'a' });
      await f.apis[1]!.createTodo(f.session.session_id, { title: 'Write the login form!', description: 'longer one' });
      const t = await f.apis[1]!.createTodo(f.session.session_id, { title: uniqueTitle(), description: '' });
      await f.apis[1]!.patchTodo(f.session.session_id, t.todo_id, { description: 'x', expected_version: 1 });
      const page = await f.apis[0]!.allEvents(f.channel);
      await sock.waitFor((fr) => fr.channel === f.channel && frameData<{ seq?: number }>(fr).seq === page.last_seq, {
        desc: `seq ${page.last_seq}`,
        timeoutMs: 3000,
      });
      for (const fr of sock.frames.filter((x) => x.channel === f.channel && syncEventFromWire(x.event))) {
        const data = frameData<{ seq: number }>(fr);
        const stored = page.events.find((e) => e.seq === data.seq);
        expectFields(stored, { event: fr.event, data }, `history entry seq ${data.seq} differs from the broadcast`);
      }
    },
  },
  {
    requirement: 'sync/history/3',
    desc: 'Asks for history with limit far above history_page_max; expects at most history_page_max events',
    async run(ctx: CaseContext) {
      const max = ctx.hub?.limits.history_page_max;
      if (max === undefined) ctx.skip('target has no GET /api/hub to advertise history_page_max');
      const f = await sessionFixture(ctx);
      const page = await f.apis[0]!.events(f.channel, { afterSeq: 0, limit: max + 1 }).catch((e: Error) => e);
      if (page instanceof Error) {
        // Clamping or refusing an over-limit request both keep the page bound; a 400 is accepted.
        ctx.note(`limit ${max + 1} answered ${page.message}`);
        return;
      }
      expectAtMost(page.events.length, max, `a page held ${page.events.length} events`, { bound: 'history_page_max' });
      ctx.note(`the channel has ${page.last_seq} events; the bound is only fully exercised by channels longer than ${max}`);
    },
  },
  {
    requirement: 'sync/history/4',
    desc: 'Reads the history of a session channel as a non-participant and of a project outside scope; expects 403 forbidden',
    async run(ctx: CaseContext) {
      const f = await sessionFixture(ctx, { agents: 2, join: false });
      await f.apis[0]!.join(f.session.session_id, 'member');
      await expectApiError(ctx, f.apis[1]!.events(f.channel), 403, 'forbidden', 'history of a session channel as a non-participant');
      const o = outOfScope(ctx);
      await expectApiError(
        ctx,
        new SyncApi(ctx, o.agent).events(syncChannel('project', o.project)),
        403,
        'forbidden',
        'history of a project outside scope',
      );
    },
  },
  {
    requirement: 'sync/history/5',
    desc: 'Reads history with after_seq at and beyond last_seq, and of an issue channel that never had events; expects 200 with empty events',
    async run(ctx: CaseContext) {
      const f = await sessionFixture(ctx);
      const last = (await f.apis[0]!.events(f.channel)).last_seq;
      for (const after of [last, last + 5]) {
        const page = await f.apis[0]!.events(f.channel, { afterSeq: after });
        expectEqual(
          page.events.map((e) => e.seq),
          [],
          `after_seq=${after} returned events`,
        );
      }
      const empty = await f.apis[0]!.events(syncChannel('issue', randomIssue()));
      expectFields(empty, { events: [], last_seq: 0 }, 'an unused channel has events');
    },
  },
];

/** An event the case knows it caused: its seq, and either its event_id (seen live) or what it must say. */
interface CausedEvent {
  seq: number;
  event: string;
  /** Known when the event was received live. */
  eventId?: string;
  /** Data paths an event caused before the subscriber was connected must match (from the acknowledgement). */
  where?: Record<string, string | number>;
}

interface Caused {
  f: SessionFixture;
  events: CausedEvent[];
}

/**
 * The events of a fresh session channel, from the case's own records, never from the history under test:
 * the fixture's acknowledged join (seq 1, before anyone could subscribe), then what a subscriber connected
 * the whole time received live while 12 acknowledged creates ran. The live stream must be gapless and hold
 * every acknowledged create, or the expectation itself cannot be built (a delivery fault, named as such).
 */
async function causedEvents(ctx: CaseContext): Promise<Caused> {
  const f = await sessionFixture(ctx);
  keepAlive(ctx, [f]);
  const sock = await watch(ctx, f.agents[0]!, f.channel);
  const pre: CausedEvent[] = [
    { seq: 1, event: wireEventName('AgentParticipantJoined'), where: { participant_id: f.participants[0]!.participant_id } },
  ];
  const todoIds: number[] = [];
  for (let i = 0; i < 12; i++)
    todoIds.push((await f.apis[0]!.createTodo(f.session.session_id, { title: uniqueTitle(), description: '' })).todo_id);
  for (const id of todoIds)
    await waitForSync<{ todo?: { todo_id?: number } }>(sock, f.channel, 'AgentTodoChanged', (d) => d.todo?.todo_id === id);
  const live = sock.frames
    .filter((fr) => fr.channel === f.channel && syncEventFromWire(fr.event))
    .map((fr) => ({ event: fr.event, data: frameData<{ seq?: unknown; event_id?: unknown }>(fr) }))
    .map((x) => ({ seq: Number(x.data.seq), event: x.event, eventId: String(x.data.event_id) }));
  const seqs = live.map((e) => e.seq);
  expectEqual(
    seqs,
    seqs.map((_, i) => pre.length + 1 + i),
    'the live stream of a subscriber connected the whole time is not 2, 3, 4, …: the expected history cannot be built',
  );
  return { f, events: [...pre, ...live] };
}

/** Every page from after_seq=0 with `limit`, following the cursor (bounded by the expected count). */
async function walkPages(
  api: SyncApi,
  channel: string,
  limit: number,
  n: number,
): Promise<{ events: HistoryPageT['events']; lastSeq: number }> {
  const events: HistoryPageT['events'] = [];
  let cursor = 0;
  let lastSeq = 0;
  for (let i = 0; i <= Math.ceil(n / limit) + 1; i++) {
    const page = await api.events(channel, { afterSeq: cursor, limit });
    lastSeq = page.last_seq;
    if (page.events.length === 0) break;
    events.push(...page.events);
    cursor = page.events.at(-1)!.seq;
  }
  return { events, lastSeq };
}

const showEvent = (e: CausedEvent) => `${e.seq}:${e.eventId ?? e.event.split('\\').at(-1)}`;

/** A page (or walk) must hold exactly `want`, in order, and report the case's own last seq. */
function checkSlice(
  ctx: CaseContext,
  caused: Caused,
  what: string,
  got: HistoryPageT['events'],
  lastSeq: number,
  want: CausedEvent[],
): void {
  const n = caused.events.length;
  const same =
    got.length === want.length &&
    got.every((g, i) => {
      const w = want[i]!;
      if (g.seq !== w.seq || g.event !== w.event) return false;
      if (w.eventId !== undefined) return g.event_id === w.eventId;
      return Object.entries(w.where ?? {}).every(([k, v]) => g.data[k] === v);
    });
  const gotSeqs = new Set(got.map((g) => g.seq));
  const wantSeqs = new Set(want.map((w) => w.seq));
  const missing = want.filter((w) => !gotSeqs.has(w.seq)).map((w) => w.seq);
  const extra = got.filter((g) => !wantSeqs.has(g.seq)).map((g) => g.seq);
  const why =
    [
      missing.length ? `missing seq ${missing.join(',')} the case caused` : '',
      extra.length ? `extra seq ${extra.join(',')}` : '',
      lastSeq !== n ? `last_seq ${lastSeq} (the case caused ${n})` : '',
    ]
      .filter(Boolean)
      .join('; ') || 'events out of order or not the ones the case caused';
  if (!same || lastSeq !== n)
    ctx.fail(`${what} returned the wrong events: ${why}`, {
      expected: `[${want.map(showEvent).join(' ')}], last_seq ${n}`,
      actual: `[${got.map((g) => `${g.seq}:${g.event_id}`).join(' ')}], last_seq ${lastSeq}`,
    });
}
