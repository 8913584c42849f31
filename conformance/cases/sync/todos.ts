import { AgentTodoChanged, Todo } from '../../../spec/schemas/sync.ts';
import { expectApiError, parseBody } from '../../clients/sync-api.ts';
import type { Case, CaseContext } from '../../types.ts';
import { expectEqual, expectFields, expectStatus } from '../../verify.ts';
import { sessionFixture, uniqueTitle, waitForSync, watch } from './fixtures.ts';

type Changed = { change?: unknown; todo?: { todo_id?: unknown; version?: unknown } };

export const todoCases: Case[] = [
  {
    requirement: 'sync/todos/1',
    desc: 'Creates a todo; expects 201 with version 1, status open, and AgentTodoChanged {change:"created"} on the session channel',
    async run(ctx: CaseContext) {
      const f = await sessionFixture(ctx);
      const sock = await watch(ctx, f.agents[0]!, f.channel);
      const title = uniqueTitle();
      const res = await f.apis[0]!.raw({
        method: 'POST',
        path: `/api/sessions/${f.session.session_id}/todos`,
        body: { title, description: 'd' },
      });
      expectStatus(res, 201, 'create todo');
      const todo = parseBody(Todo, res.json, 'POST todos');
      expectFields(todo, { version: 1, status: 'open', title }, 'new todo is not version 1 / open / same title');
      const ev = parseBody(
        AgentTodoChanged,
        await waitForSync<Changed>(sock, f.channel, 'AgentTodoChanged', (d) => d.todo?.todo_id === todo.todo_id),
        'AgentTodoChanged',
      );
      expectEqual(ev.change, 'created', `change is ${ev.change}`);
    },
  },
  {
    requirement: 'sync/todos/2',
    desc: 'Patches a todo with the right expected_version, then cancels it; expects version +1 each time and updated / cancelled broadcasts',
    async run(ctx: CaseContext) {
      const f = await sessionFixture(ctx);
      const sock = await watch(ctx, f.agents[0]!, f.channel);
      const t = await f.apis[0]!.createTodo(f.session.session_id, { title: uniqueTitle(), description: '' });
      const u = await f.apis[0]!.patchTodo(f.session.session_id, t.todo_id, { description: 'more', expected_version: 1 });
      expectFields(u, { version: 2, description: 'more' }, 'PATCH did not apply or raise the version');
      await waitForSync<Changed>(sock, f.channel, 'AgentTodoChanged', (d) => d.change === 'updated' && d.todo?.version === 2);
      const c = await f.apis[0]!.patchTodo(f.session.session_id, t.todo_id, { status: 'cancelled', expected_version: 2 });
      expectFields(c, { version: 3, status: 'cancelled' }, 'cancel did not apply');
      await waitForSync<Changed>(sock, f.channel, 'AgentTodoChanged', (d) => d.change === 'cancelled' && d.todo?.version === 3);
    },
  },
  {
    requirement: 'sync/todos/3',
    desc: 'Patches a todo with a stale expected_version; expects 409 version_conflict and the todo unchanged',
    async run(ctx: CaseContext) {
      const f = await sessionFixture(ctx);
      const t = await f.apis[0]!.createTodo(f.session.session_id, { title: uniqueTitle(), description: 'a' });
      await f.apis[0]!.patchTodo(f.session.session_id, t.todo_id, { description: 'b', expected_version: 1 });
      await expectApiError(
        ctx,
        f.apis[0]!.patchTodo(f.session.session_id, t.todo_id, { description: 'c', expected_version: 1 }),
        409,
        'version_conflict',
        'stale PATCH',
      );
      const now = (await f.apis[0]!.listTodos(f.session.session_id)).find((x) => x.todo_id === t.todo_id);
      expectFields(now, { version: 2, description: 'b' }, 'the stale PATCH changed the todo');
    },
  },
  {
    requirement: 'sync/todos/4',
    desc: 'Creates three todos and patches one; expects GET …/todos to list all three at their current versions',
    async run(ctx: CaseContext) {
      const f = await sessionFixture(ctx);
      const made = [];
      for (let i = 0; i < 3; i++)
        made.push(await f.apis[0]!.createTodo(f.session.session_id, { title: uniqueTitle(`t${i}`), description: '' }));
      await f.apis[0]!.patchTodo(f.session.session_id, made[1]!.todo_id, { title: made[1]!.title + ' x', expected_version: 1 });
      const list = await f.apis[0]!.listTodos(f.session.session_id);
      const got = made.map((m) => list.find((x) => x.todo_id === m.todo_id)?.version);
      expectEqual(
        { todos: list.length, versions: got },
        { todos: 3, versions: [1, 2, 1] },
        'todo list is not every todo at its current version',
      );
    },
  },
];
