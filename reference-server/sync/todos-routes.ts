/**
 * Todos: create (AgentTodoChanged created, then the duplicate-conflict flow when a similar open todo
 * exists), update with optimistic concurrency (stale expected_version → 409 version_conflict and a
 * concurrent_update conflict), list.
 */
import { syncChannel } from '../../spec/protocol/channels.ts';
import { CreateTodoRequest, UpdateTodoRequest } from '../../spec/schemas/sync.ts';
import { HttpError, sendJson, type Router } from '../http/router.ts';
import { findDuplicate, recordConcurrentUpdate, resolveDuplicate } from './conflicts.ts';
import { pathId, readJson, requireAgent, validate, type Agent } from './http-input.ts';
import { todoJson, type SyncRepository } from './repository.ts';
import { sessionFor } from './sessions-routes.ts';
import { runMutation, type SyncServices } from './services.ts';

/** The agent_type the agent goes by in the session (its participant), else its identifier. */
function agentTypeIn(repo: SyncRepository, sessionId: number, agent: Agent): string {
  return repo.agentTypeIn.get(sessionId, agent.identifier)?.agent_type ?? agent.identifier;
}

export function mountTodoRoutes(router: Router, svc: SyncServices): void {
  const { repo, config } = svc;

  // implements: sync/todos/4
  router.add('GET', '/api/sessions/:id/todos', (rc) => {
    const agent = requireAgent(config.agents, rc.req);
    const session = sessionFor(svc, agent, rc.params.id);
    sendJson(rc.res, 200, { todos: repo.todos.all(session.session_id).map(todoJson) });
  });

  // implements: sync/todos/1, sync/envelope/5
  router.add('POST', '/api/sessions/:id/todos', (rc) => {
    const agent = requireAgent(config.agents, rc.req);
    const input = validate(CreateTodoRequest, readJson(rc.req, rc.body));
    const session = sessionFor(svc, agent, rc.params.id);
    runMutation(svc, rc, agent, input, (em) => {
      const type = agentTypeIn(repo, session.session_id, agent);
      const id = Number(
        repo.insertTodo.run(session.session_id, input.title, input.description, agent.identifier, type, type, em.now).lastInsertRowid,
      );
      const created = repo.todo.get(id)!;
      em.emit('AgentTodoChanged', [syncChannel('session', session.session_id)], {
        session_id: session.session_id,
        change: 'created',
        todo: todoJson(created),
      });
      // implements: sync/causality/1, sync/conflicts/2
      const match = findDuplicate(repo, created, config.timings.conflictThreshold);
      if (match) resolveDuplicate(repo, em, created, match, type);
      // The answer is the new todo as stored now: `cancelled` when it lost the duplicate resolution.
      return { status: 201, body: todoJson(repo.todo.get(id)!) };
    });
  });

  // implements: sync/todos/2, sync/envelope/5
  router.add('PATCH', '/api/sessions/:id/todos/:tid', (rc) => {
    const agent = requireAgent(config.agents, rc.req);
    const input = validate(UpdateTodoRequest, readJson(rc.req, rc.body));
    if (input.title === undefined && input.description === undefined && input.status === undefined) {
      throw new HttpError(400, 'validation_failed', 'body: send at least one of title, description, status besides expected_version');
    }
    const session = sessionFor(svc, agent, rc.params.id);
    const tid = pathId(rc.params.tid, 'todo');
    runMutation(svc, rc, agent, input, (em) => {
      const todo = repo.todo.get(tid);
      // implements: sync/errors/2
      if (!todo || todo.session_id !== session.session_id) {
        throw new HttpError(404, 'not_found', `todo ${tid} does not exist in session ${session.session_id}`);
      }
      const type = agentTypeIn(repo, session.session_id, agent);
      // implements: sync/todos/3, sync/conflicts/6, sync/errors/5
      if (input.expected_version !== todo.version) {
        const conflictId = recordConcurrentUpdate(repo, em, todo, input.expected_version, type);
        return {
          status: 409,
          body: {
            error: {
              code: 'version_conflict',
              message: `todo ${tid} is at version ${todo.version}, not ${input.expected_version}; re-read it and retry`,
            },
            conflict_id: conflictId,
            todo: todoJson(todo),
          },
        };
      }
      const status = input.status ?? todo.status;
      repo.updateTodo.run(input.title ?? todo.title, input.description ?? todo.description, status, type, tid);
      const updated = todoJson(repo.todo.get(tid)!);
      em.emit('AgentTodoChanged', [syncChannel('session', session.session_id)], {
        session_id: session.session_id,
        change: status === 'cancelled' && todo.status !== 'cancelled' ? 'cancelled' : 'updated',
        todo: updated,
      });
      return { status: 200, body: updated };
    });
  });
}
