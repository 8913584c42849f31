import { checkErrorResponse, type SyncApi } from '../../clients/sync-api.ts';
import type { Case, CaseContext } from '../../types.ts';
import { expectEqual } from '../../verify.ts';
import { sessionFixture, uniqueTitle, type SessionFixture } from './fixtures.ts';

/** Seeds a few events, runs `fn`, and expects the channel history the same afterwards (same events in the same order; keys in any order). */
async function historyUnchanged(ctx: CaseContext, fn: (f: SessionFixture, api: SyncApi) => Promise<void>): Promise<void> {
  const f = await sessionFixture(ctx);
  const api = f.apis[0]!;
  for (let i = 0; i < 3; i++) await api.createTodo(f.session.session_id, { title: uniqueTitle(), description: '' });
  const before = (await api.allEvents(f.channel)).events;
  await fn(f, api);
  const after = (await api.allEvents(f.channel)).events;
  expectEqual(after, before, 'the bad request changed the stored history');
}

export const badInputCases: Case[] = [
  {
    requirement: 'sync/bad-input/1',
    desc: 'Sends malformed JSON to create, patch, join and session endpoints; expects 400 invalid_json and history unchanged',
    async run(ctx: CaseContext) {
      await historyUnchanged(ctx, async (f, api) => {
        const sid = f.session.session_id;
        for (const [method, path] of [
          ['POST', `/api/sessions/${sid}/todos`],
          ['PATCH', `/api/sessions/${sid}/todos/1`],
          ['POST', `/api/sessions/${sid}/participants`],
          ['POST', '/api/sessions'],
        ] as const) {
          for (const body of ['{"title": "x"', '{title: x}', '[1,']) {
            const res = await api.raw({ method, path, body, headers: { 'content-type': 'application/json' } });
            checkErrorResponse(ctx, res, 400, 'invalid_json', `${method} ${path} with ${JSON.stringify(body)}`);
          }
        }
      });
    },
  },
  {
    requirement: 'sync/bad-input/2',
    desc: 'Sends a JSON body declared as text/plain and as application/x-www-form-urlencoded; expects 415 unsupported_media_type',
    async run(ctx: CaseContext) {
      await historyUnchanged(ctx, async (f, api) => {
        for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
          const res = await api.raw({
            method: 'POST',
            path: `/api/sessions/${f.session.session_id}/todos`,
            body: JSON.stringify({ title: uniqueTitle() }),
            headers: { 'content-type': type },
          });
          checkErrorResponse(ctx, res, 415, 'unsupported_media_type', `create todo as ${type}`);
        }
      });
    },
  },
  {
    requirement: 'sync/bad-input/3',
    desc: 'Sends a 2 MB todo body; expects 413 payload_too_large (or the connection closed after it) and history unchanged',
    async run(ctx: CaseContext) {
      await historyUnchanged(ctx, async (f, api) => {
        const body = JSON.stringify({ title: 'big', description: 'x'.repeat(2 * 1024 * 1024) });
        const res = await api.raw({
          method: 'POST',
          path: `/api/sessions/${f.session.session_id}/todos`,
          body,
          headers: { 'content-type': 'application/json' },
          timeoutMs: 10_000,
        });
        checkErrorResponse(ctx, res, 413, 'payload_too_large', 'a 2 MB create');
      });
    },
  },
  {
    requirement: 'sync/bad-input/4',
    desc: 'Sends wrong types and out-of-range values (string ids, negative after_seq, limit 0, expected_version "1", project_id -1); expects 400 each and history unchanged',
    async run(ctx: CaseContext) {
      await historyUnchanged(ctx, async (f, api) => {
        const sid = f.session.session_id;
        const t = await api.listTodos(sid);
        const tid = t[0]!.todo_id;
        const reqs: Array<[string, string, object | undefined]> = [
          ['PATCH', `/api/sessions/${sid}/todos/${tid}`, { description: 'x', expected_version: '1' }],
          ['PATCH', `/api/sessions/${sid}/todos/${tid}`, { description: 'x', expected_version: 0 }],
          ['POST', `/api/sessions/${sid}/todos`, { title: ['a'], description: '' }],
          ['POST', '/api/sessions', { project_id: -1, issue_id: 1, coordinator_type: 'hybrid' }],
          ['POST', '/api/sessions', { project_id: '1', issue_id: 1, coordinator_type: 'hybrid' }],
          ['GET', `/api/channels/${f.channel}/events?after_seq=-1`, undefined],
          ['GET', `/api/channels/${f.channel}/events?after_seq=abc`, undefined],
          ['GET', `/api/channels/${f.channel}/events?limit=0`, undefined],
        ];
        for (const [method, path, body] of reqs) {
          const res = await api.raw({ method, path, ...(body ? { body } : {}) });
          checkErrorResponse(ctx, res, 400, undefined, `${method} ${path} ${body ? JSON.stringify(body) : ''}`);
        }
      });
    },
  },
];
