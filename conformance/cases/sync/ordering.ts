import { History } from '../../history/recorder.ts';
import { LiveSubscriber } from '../../history/live-subscriber.ts';
import type { Case, CaseContext } from '../../types.ts';
import { expectEqual, expectThat } from '../../verify.ts';
import { sessionFixture, uniqueTitle } from './fixtures.ts';
import { publishProperty } from './publish-property.ts';

export const orderingCases: Case[] = [
  {
    requirement: 'sync/ordering/1',
    desc: 'Property: agents create/patch todos and join across sessions a few at a time while subscribers come and go; each subscriber’s seq strictly increases per channel',
    property: true,
    timeoutMs: 40_000,
    async run(ctx: CaseContext) {
      await publishProperty(ctx);
    },
  },
  {
    requirement: 'sync/ordering/2',
    desc: 'Creates 24 todos from three agents, eight at a time; expects the live order and the history order to be the same seq order',
    async run(ctx: CaseContext) {
      const f = await sessionFixture(ctx, { agents: Math.min(3, ctx.target.agents.length) });
      const history = new History();
      const sub = new LiveSubscriber(ctx, history, f.agents[0]!, 'watcher', [f.channel]);
      await sub.connect();
      for (let round = 0; round < 3; round++) {
        await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            f.apis[i % f.apis.length]!.createTodo(f.session.session_id, { title: uniqueTitle(), description: '' }),
          ),
        );
      }
      const stored = await f.apis[0]!.allEvents(f.channel);
      await sub.waitUntil(() => (sub.lastSeq.get(f.channel) ?? 0) >= stored.last_seq, 3000, `seq ${stored.last_seq}`);
      const storedSeqs = stored.events.map((e) => e.seq);
      expectThat(
        storedSeqs,
        (xs) => xs.every((s, i) => i === 0 || s > xs[i - 1]!),
        'strictly ascending seq',
        'history is not in seq order',
      );
      const live = history.entries.flatMap((e) => (e.type === 'event' ? [`${e.seq}:${e.eventId}`] : []));
      const first = Number(live[0]?.split(':')[0] ?? 1);
      const want = stored.events.filter((e) => e.seq >= first).map((e) => `${e.seq}:${e.event_id}`);
      expectEqual(live, want, 'live order differs from history order');
    },
  },
];
