import { SyncApi, subscribeSync } from '../../clients/sync-api.ts';
import type { Case, CaseContext } from '../../types.ts';
import { expectEqual } from '../../verify.ts';
import { randomKey, sessionFixture, uniqueTitle, waitForSync } from './fixtures.ts';

const second = (ctx: CaseContext) => ctx.target.nodes[1]!;

export const clusterCases: Case[] = [
  {
    requirement: 'sync/cluster/1',
    desc: 'Subscribes on the second node and creates a todo through the first; expects AgentTodoChanged on the second node',
    cluster: true,
    async run(ctx: CaseContext) {
      const f = await sessionFixture(ctx);
      const sock = await subscribeSync(ctx, f.agents[0]!, f.channel, { node: second(ctx) });
      const t = await f.apis[0]!.createTodo(f.session.session_id, { title: uniqueTitle(), description: '' });
      await waitForSync(sock, f.channel, 'AgentTodoChanged', (d: { todo?: { todo_id?: number } }) => d.todo?.todo_id === t.todo_id);
    },
  },
  {
    requirement: 'sync/cluster/2',
    desc: 'Creates events through both nodes alternately; expects the same history (seq, event_id) read from either node',
    cluster: true,
    async run(ctx: CaseContext) {
      const f = await sessionFixture(ctx);
      const other = new SyncApi(ctx, f.agents[0]!, { node: second(ctx) });
      for (let i = 0; i < 6; i++)
        await (i % 2 ? other : f.apis[0]!).createTodo(f.session.session_id, { title: uniqueTitle(), description: '' });
      const a = (await f.apis[0]!.allEvents(f.channel)).events.map((e) => `${e.seq}:${e.event_id}`);
      const b = (await other.allEvents(f.channel)).events.map((e) => `${e.seq}:${e.event_id}`);
      expectEqual(b, a, 'the nodes disagree on the channel history');
    },
  },
  {
    requirement: 'sync/cluster/3',
    desc: 'Sends a create with an Idempotency-Key to the first node and retries it on the second; expects one todo and the same answer',
    cluster: true,
    async run(ctx: CaseContext) {
      const f = await sessionFixture(ctx);
      const other = new SyncApi(ctx, f.agents[0]!, { node: second(ctx) });
      const key = randomKey();
      const body = { title: uniqueTitle(), description: '' };
      const a = await f.apis[0]!.createTodo(f.session.session_id, body, key);
      const b = await other.createTodo(f.session.session_id, body, key);
      expectEqual(b.todo_id, a.todo_id, 'the retry through the other node created a second todo');
    },
  },
];
