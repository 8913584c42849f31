/**
 * What the sync route modules share, and the one way they run a mutation: idempotency lookup, state
 * change, event append and idempotency save in one transaction; broadcast after commit; then respond.
 */
import type { HubConfig } from '../config.ts';
import type { RequestContext } from '../http/router.ts';
import { sendEmpty, sendJson } from '../http/router.ts';
import type { Emitter, EventLog } from './event-log.ts';
import type { Agent } from './http-input.ts';
import { idempotencyKey, requestHash, type IdempotencyStore, type StoredResult } from './idempotency.ts';
import type { SyncRepository } from './repository.ts';

export interface SyncServices {
  config: HubConfig;
  repo: SyncRepository;
  events: EventLog;
  idempotency: IdempotencyStore;
  /** The hub's clock (HubContext.now). */
  now(): number;
}

export function sendResult(rc: RequestContext, result: StoredResult, headers: Record<string, string> = {}): void {
  if (result.status === 204) {
    for (const [k, v] of Object.entries(headers)) rc.res.setHeader(k, v);
    sendEmpty(rc.res, 204);
  } else sendJson(rc.res, result.status, result.body, headers);
}

/**
 * Runs a mutation honouring `Idempotency-Key`: a replay returns the stored status and body (with
 * `Idempotent-Replayed: true`) and emits nothing. An HttpError thrown by `fn` rolls everything back and is
 * not remembered, so a retry after e.g. 409 session_full is evaluated afresh.
 */
// implements: sync/idempotency/1, sync/idempotency/2
// implements: sync/idempotency/4 — lookup and save run in the mutation's one synchronous SQLite transaction
export function runMutation(svc: SyncServices, rc: RequestContext, agent: Agent, body: unknown, fn: (em: Emitter) => StoredResult): void {
  const key = idempotencyKey(rc.req);
  const hash = key === undefined ? '' : requestHash(rc.method, rc.rawPath, body);
  let replayed = false;
  const result = svc.events.mutate((em) => {
    if (key !== undefined) {
      const prior = svc.idempotency.lookup(agent.identifier, key, hash);
      if (prior) {
        replayed = true;
        return prior;
      }
    }
    const fresh = fn(em);
    if (key !== undefined) svc.idempotency.save(agent.identifier, key, hash, fresh, em.now);
    return fresh;
  });
  sendResult(rc, result, replayed ? { 'idempotent-replayed': 'true' } : {});
}
