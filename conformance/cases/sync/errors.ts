import { wireEventName } from '../../../spec/schemas/sync.ts';
import { assertHistory } from '../../history/checker.ts';
import { recordStored } from '../../history/live-subscriber.ts';
import { History } from '../../history/recorder.ts';
import { checkErrorResponse, errorCode, expectApiError } from '../../clients/sync-api.ts';
import type { Case, CaseContext } from '../../types.ts';
import { expectThat } from '../../verify.ts';
import { sessionFixture, uniqueTitle } from './fixtures.ts';

export const errorCases: Case[] = [
  {
    requirement: 'sync/errors/1',
    desc: 'Provokes 400, 401, 403, 404, 405 and 409 answers; expects each to be JSON {error:{code, message}} with that status',
    async run(ctx: CaseContext) {
      const f = await sessionFixture(ctx);
      const api = f.apis[0]!;
      const sid = f.session.session_id;
      const probes: Array<[string, Parameters<typeof api.raw>[0]]> = [
        ['400', { method: 'POST', path: `/api/sessions/${sid}/todos`, body: { title: 42 } }],
        ['401', { method: 'GET', path: `/api/sessions/${sid}/todos`, token: null }],
        ['404', { method: 'GET', path: '/api/sessions/999999999/todos' }],
        ['405', { method: 'PUT', path: '/api/sessions', body: {} }],
      ];
      for (const [status, req] of probes) {
        const res = await api.raw(req);
        checkErrorResponse(ctx, res, Number(status), undefined, `${req.method} ${req.path}`);
      }
      const t = await api.createTodo(sid, { title: uniqueTitle(), description: '' });
      await api.patchTodo(sid, t.todo_id, { description: 'v2', expected_version: 1 });
      checkErrorResponse(
        ctx,
        await api.raw({
          method: 'PATCH',
          path: `/api/sessions/${sid}/todos/${t.todo_id}`,
          body: { description: 'v?', expected_version: 1 },
        }),
        409,
        'version_conflict',
        'stale PATCH',
      );
    },
  },
  {
    requirement: 'sync/errors/2',
    desc: 'Names an unknown session, participant and todo (and a non-numeric id); expects 404 not_found each time',
    async run(ctx: CaseContext) {
      const f = await sessionFixture(ctx);
      const api = f.apis[0]!;
      const sid = f.session.session_id;
      await expectApiError(ctx, api.join(999_999_999, 'x'), 404, 'not_found', 'join an unknown session');
      await expectApiError(ctx, api.heartbeat(sid, 999_999_999), 404, 'not_found', 'heartbeat for an unknown participant');
      await expectApiError(
        ctx,
        api.patchTodo(sid, 999_999_999, { description: 'x', expected_version: 1 }),
        404,
        'not_found',
        'patch an unknown todo',
      );
      await expectApiError(
        ctx,
        api.call(null, { method: 'GET', path: '/api/sessions/abc/todos' }),
        404,
        'not_found',
        'a non-numeric session id',
      );
    },
  },
  {
    requirement: 'sync/errors/3',
    desc: 'Sends PUT /api/sessions, DELETE /api/sessions/{id}/todos and PATCH /api/hub; expects 405 method_not_allowed',
    async run(ctx: CaseContext) {
      const f = await sessionFixture(ctx);
      for (const [method, path] of [
        ['PUT', '/api/sessions'],
        ['DELETE', `/api/sessions/${f.session.session_id}/todos`],
        ['PATCH', '/api/hub'],
      ] as const) {
        checkErrorResponse(ctx, await f.apis[0]!.raw({ method, path, body: {} }), 405, 'method_not_allowed', `${method} ${path}`);
      }
    },
  },
  {
    requirement: 'sync/errors/4',
    desc: 'Sends bodies failing validation (title a number, empty agent_type, missing project_id); expects 400 validation_failed whose message names the field',
    async run(ctx: CaseContext) {
      const f = await sessionFixture(ctx);
      const sid = f.session.session_id;
      const cases: Array<[string, string, object, string]> = [
        ['POST', `/api/sessions/${sid}/todos`, { title: 7, description: '' }, 'title'],
        ['POST', `/api/sessions/${sid}/participants`, { agent_type: '' }, 'agent_type'],
        ['POST', '/api/sessions', { issue_id: 1, coordinator_type: 'hybrid' }, 'project_id'],
      ];
      for (const [method, path, body, field] of cases) {
        const res = await f.apis[0]!.raw({ method, path, body });
        checkErrorResponse(ctx, res, 400, 'validation_failed', `${method} ${path}`);
        const msg = (res.json as { error: { message: string } }).error.message;
        expectThat(msg, (m) => m.includes(field), `a message naming ${field}`, `the validation message does not name ${field}`);
      }
    },
  },
  {
    requirement: 'sync/errors/5',
    desc: 'Records refused requests (full session join, unknown todo patch, invalid create) beside accepted ones; expects the history checker to find no trace of the refused ones',
    timeoutMs: 15_000,
    async run(ctx: CaseContext) {
      const f = await sessionFixture(ctx);
      const api = f.apis[0]!;
      const sid = f.session.session_id;
      const history = new History();
      const max = Math.min(ctx.hub?.limits.max_participants ?? 10, 50);
      for (let i = 1; i < max; i++) await api.join(sid, `filler-${i}`);
      const refusals: Array<[string, () => Promise<unknown>, string]> = [
        ['join', () => api.join(sid, 'overflow-agent'), 'agent_type'],
        [
          'create',
          () =>
            api.raw({ method: 'POST', path: `/api/sessions/${sid}/todos`, body: { title: '', description: 'invalid-title' } }).then((r) => {
              if (r.status < 400) throw new Error(`accepted: ${r.status}`);
              return r;
            }),
          'todo.description',
        ],
      ];
      for (const [fname, fn, path] of refusals) {
        const op = history.invoke(api.agent.identifier, fname);
        const marker = fname === 'join' ? 'overflow-agent' : 'invalid-title';
        try {
          await fn();
          op.fail('refused', [
            {
              channel: f.channel,
              event: wireEventName(fname === 'join' ? 'AgentParticipantJoined' : 'AgentTodoChanged'),
              where: { [path]: marker },
            },
          ]);
        } catch (err) {
          const code = (err as { response?: { json?: unknown } }).response
            ? errorCode((err as { response: Parameters<typeof errorCode>[0] }).response)
            : undefined;
          op.fail(code ?? String(err), [
            {
              channel: f.channel,
              event: wireEventName(fname === 'join' ? 'AgentParticipantJoined' : 'AgentTodoChanged'),
              where: { [path]: marker },
            },
          ]);
        }
      }
      await recordStored(ctx, history, f.agents[0]!, [f.channel]);
      assertHistory(ctx, history);
    },
  },
];
