/**
 * Conflict detection and auto-resolution, inside the mutation that caused it (so the whole flow is
 * committed and broadcast within the create/patch request, far inside the 250 ms budget).
 * Similarity and the kept-todo rule come from spec/protocol/conflicts.ts.
 */
import { pickKept, titleSimilarity } from '../../spec/protocol/conflicts.ts';
import { syncChannel } from '../../spec/protocol/channels.ts';
import type { Emitter } from './event-log.ts';
import { todoJson, type SyncRepository, type TodoRow } from './repository.ts';

export interface DuplicateMatch {
  other: TodoRow;
  similarity: number;
}

/** The most similar other open todo of the session at or above the threshold (tie: the earliest). */
// implements: sync/conflicts/1, sync/conflicts/2, sync/conflicts/3 — titleSimilarity (spec/protocol/conflicts.ts) normalises and scores
export function findDuplicate(repo: SyncRepository, todo: TodoRow, threshold: number): DuplicateMatch | undefined {
  let best: DuplicateMatch | undefined;
  for (const other of repo.openTodosExcept.all(todo.session_id, todo.todo_id)) {
    const similarity = titleSimilarity(other.title, todo.title);
    if (similarity >= threshold && (!best || similarity > best.similarity)) best = { other, similarity };
  }
  return best;
}

/**
 * Emits AgentConflictDetected, cancels the todo with the shorter trimmed description (tie: the later one)
 * with AgentTodoChanged {change:"cancelled"}, then AgentConflictResolved {strategy:"keep_more_detailed"}.
 * `later` is the todo whose creation caused the conflict. Returns the cancelled todo's id.
 */
// implements: sync/conflicts/2, sync/conflicts/4, sync/causality/2, sync/envelope/5
// implements: sync/conflicts/5 — the whole flow is committed and broadcast within the create request
export function resolveDuplicate(
  repo: SyncRepository,
  em: Emitter,
  later: TodoRow,
  match: DuplicateMatch,
  resolverType: string,
): { conflictId: number; cancelledId: number } {
  const earlier = match.other;
  const channel = syncChannel('session', later.session_id);
  const keptIsLater = pickKept(earlier, later) === 'later';
  const kept = keptIsLater ? later : earlier;
  const cancelled = keptIsLater ? earlier : later;
  const details = { todo1_id: earlier.todo_id, todo2_id: later.todo_id, similarity: match.similarity };
  const conflictId = Number(
    repo.insertConflict.run(
      later.session_id,
      'duplicate_todo',
      JSON.stringify(details),
      kept.todo_id,
      cancelled.todo_id,
      'keep_more_detailed',
      em.now,
    ).lastInsertRowid,
  );
  em.emit('AgentConflictDetected', [channel], {
    conflict_id: conflictId,
    conflict_type: 'duplicate_todo',
    session_id: later.session_id,
    first_agent: earlier.created_by_type,
    second_agent: later.created_by_type,
    details,
  });
  repo.updateTodo.run(cancelled.title, cancelled.description, 'cancelled', resolverType, cancelled.todo_id);
  em.emit('AgentTodoChanged', [channel], {
    session_id: later.session_id,
    change: 'cancelled',
    todo: todoJson(repo.todo.get(cancelled.todo_id)!),
  });
  em.emit('AgentConflictResolved', [channel], {
    conflict_id: conflictId,
    conflict_type: 'duplicate_todo',
    session_id: later.session_id,
    kept_todo_id: kept.todo_id,
    cancelled_todo_id: cancelled.todo_id,
    strategy: 'keep_more_detailed',
  });
  return { conflictId, cancelledId: cancelled.todo_id };
}

/**
 * A PATCH whose expected_version is stale: the write already stored wins (first_writer_wins), the stale
 * one is rejected and nothing is cancelled. Returns the conflict id for the 409 body.
 */
// implements: sync/conflicts/6, sync/causality/2, sync/envelope/5
export function recordConcurrentUpdate(
  repo: SyncRepository,
  em: Emitter,
  todo: TodoRow,
  expectedVersion: number,
  writerType: string,
): number {
  const channel = syncChannel('session', todo.session_id);
  const details = { todo_id: todo.todo_id, expected_version: expectedVersion, actual_version: todo.version };
  const conflictId = Number(
    repo.insertConflict.run(todo.session_id, 'concurrent_update', JSON.stringify(details), todo.todo_id, null, 'first_writer_wins', em.now)
      .lastInsertRowid,
  );
  em.emit('AgentConflictDetected', [channel], {
    conflict_id: conflictId,
    conflict_type: 'concurrent_update',
    session_id: todo.session_id,
    first_agent: todo.updated_by_type,
    second_agent: writerType,
    details,
  });
  em.emit('AgentConflictResolved', [channel], {
    conflict_id: conflictId,
    conflict_type: 'concurrent_update',
    session_id: todo.session_id,
    kept_todo_id: todo.todo_id,
    cancelled_todo_id: null,
    strategy: 'first_writer_wins',
  });
  return conflictId;
}
