import fc from 'fast-check';
import { syncChannel } from '../../../spec/protocol/channels.ts';
import { frameData } from '../../../spec/protocol/frames.ts';
import { syncEventFromWire } from '../../../spec/schemas/sync.ts';
import { SyncApi, expectApiError } from '../../clients/sync-api.ts';
import { checkProperty } from '../../property.ts';
import type { Case, CaseContext } from '../../types.ts';
import { outOfScope, randomIssue, sessionFixture, uniqueTitle, watch } from './fixtures.ts';

export const historyCases: Case[] = [
  {
    requirement: 'sync/history/1',
    desc: 'Property: on a channel of ~15 events, reads pages for random after_seq and limit; expects exactly the events with seq > after_seq, ascending, at most limit, and last_seq',
    property: true,
    timeoutMs: 20_000,
    async run(ctx: CaseContext) {
      const f = await sessionFixture(ctx);
      for (let i = 0; i < 12; i++) await f.apis[0]!.createTodo(f.session.session_id, { title: uniqueTitle(), description: '' });
      const all = await f.apis[0]!.allEvents(f.channel);
      const n = all.last_seq;
      await checkProperty(ctx, fc.record({ after: fc.integer({ min: 0, max: n + 2 }), limit: fc.integer({ min: 1, max: n + 3 }) }), async ({ after, limit }, run: CaseContext) => {
        const page = await f.apis[0]!.events(f.channel, { afterSeq: after, limit });
        const want = all.events.filter((e) => e.seq > after).slice(0, limit).map((e) => e.seq);
        const got = page.events.map((e) => e.seq);
        run.expect(got.join() === want.join() && page.last_seq === n, `after_seq=${after}&limit=${limit} returned the wrong slice`, { expected: `seqs [${want.join(',')}], last_seq ${n}`, actual: `seqs [${got.join(',')}], last_seq ${page.last_seq}` });
      }, { maxRuns: 30 });
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
      await sock.waitFor((fr) => fr.channel === f.channel && frameData<{ seq?: number }>(fr).seq === page.last_seq, { desc: `seq ${page.last_seq}`, timeoutMs: 3000 });
      for (const fr of sock.frames.filter((x) => x.channel === f.channel && syncEventFromWire(x.event))) {
        const data = frameData<{ seq: number }>(fr);
        const stored = page.events.find((e) => e.seq === data.seq);
        ctx.expect(stored && stored.event === fr.event && JSON.stringify(stored.data) === JSON.stringify(data), `history entry seq ${data.seq} differs from the broadcast`, { expected: { event: fr.event, data }, actual: stored });
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
      ctx.expect(page.events.length <= max, `a page held ${page.events.length} events`, { expected: `≤ ${max}`, actual: page.events.length });
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
      await expectApiError(ctx, new SyncApi(ctx, o.agent).events(syncChannel('project', o.project)), 403, 'forbidden', 'history of a project outside scope');
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
        ctx.expect(page.events.length === 0, `after_seq=${after} returned events`, { expected: '[]', actual: page.events.map((e) => e.seq) });
      }
      const empty = await f.apis[0]!.events(syncChannel('issue', randomIssue()));
      ctx.expect(empty.events.length === 0 && empty.last_seq === 0, 'an unused channel has events', { expected: 'events [] and last_seq 0', actual: empty });
    },
  },
];
