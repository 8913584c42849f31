/**
 * sync-client/join and sync-client/backoff: the agent joins with its token and a valid channel auth;
 * it retries 5xx answers and refused connections with growing gaps (docs/protocol.md, "Agent back-off").
 */
import type { ClientCase, ClientCaseContext } from '../client-case.ts';
import type { ScriptedSyncApi } from '../sync-api/sync-api.ts';
import { SCRIPTED_TOKEN, SESSION_CHANNEL, type SyncRoute } from '../sync-api/sync-routes.ts';
import { AGENT, JOIN_MS, JOINED, joinedAgent, retryGaps, startAgent, subscribedAt } from './helpers.ts';

const BACKOFF = 'sync-client/backoff/1';
/** docs/protocol.md, "Agent back-off". */
export const FIRST_GAP_MIN_MS = 100;
const GROWTH = 2;
const BACK_WITHIN_MS = 5000;
/** Failed attempts each back-off case scripts; the agent needs three gaps to show growth. */
const FAILURES = 3;

const join: ClientCase = {
  requirement: JOINED,
  desc: 'Answers the agent’s join and channel authorization; checks the join carried the bearer token and the subscribe an auth signed for the agent’s own socket_id',
  async run(ctx) {
    const { api, app, join: send } = await startAgent(ctx);
    await send();
    const first = await api.until(() => api.of('join')[0], JOIN_MS);
    if (!first)
      return ctx.fail(`the agent sent no join within ${JOIN_MS} ms`, {
        expected: 'POST /api/sessions/1/participants',
        actual: routesSeen(api),
      });
    if (first.headers.authorization !== `Bearer ${SCRIPTED_TOKEN}`)
      ctx.fail('the join did not carry the agent’s bearer token', {
        expected: `authorization: Bearer ${SCRIPTED_TOKEN}`,
        actual: first.headers.authorization ?? 'no authorization header',
      });
    const sub = await api.until(() => subscribedAt(api) ?? api.stream.connections.find((c) => c.refused.length > 0), JOIN_MS);
    const refused = api.stream.connections.flatMap((c) => c.refused);
    if (typeof sub !== 'number')
      ctx.fail(`${SESSION_CHANNEL} was not subscribed with a valid auth within ${JOIN_MS} ms`, {
        expected: `pusher:subscribe ${SESSION_CHANNEL} with auth for the connection's socket_id`,
        actual: refused[0]?.why ?? `${api.stream.connections.length} stream connection(s), no subscribe`,
      });
    const told = await app.until(() => app.find('joined'), JOIN_MS);
    if (!told)
      ctx.fail('the agent never told its application it joined', { expected: `a joined observation for ${AGENT}`, actual: 'none' });
  },
};

/** Checks the gaps from each failed attempt of `route` (from index `from`) to the next attempt. */
async function judgeBackoff(ctx: ClientCaseContext, api: ScriptedSyncApi, route: SyncRoute, from: number, what: string): Promise<void> {
  const attempts = () => api.of(route).slice(from);
  const enough = await api.until(() => attempts().length > FAILURES, FAILURES * 2000 + BACK_WITHIN_MS);
  const seen = attempts();
  if (!enough) {
    const gaps = retryGaps(seen);
    ctx.fail(`the agent stopped after ${seen.length} attempt(s) of ${what}; it must keep retrying until the hub answers again`, {
      expected: `${FAILURES + 1} attempts, the last within ${BACK_WITHIN_MS} ms of the hub answering again`,
      actual: `${seen.length} attempt(s)${gaps.length ? `, gaps ${gaps.join(', ')} ms` : ''}`,
    });
  }
  const gaps = retryGaps(seen.slice(0, FAILURES + 1));
  const detail = `gaps from each failed attempt to the next: ${gaps.join(', ')} ms`;
  if (gaps[0]! < FIRST_GAP_MIN_MS)
    ctx.fail(`the agent retried ${what} ${gaps[0]} ms after a failure: no back-off`, {
      expected: `a first gap of at least ${FIRST_GAP_MIN_MS} ms`,
      actual: detail,
    });
  if (gaps[2]! < GROWTH * gaps[0]!)
    ctx.fail(`the agent’s retries of ${what} do not back off exponentially`, {
      expected: `the third gap at least ${GROWTH}× the first (${GROWTH * gaps[0]!} ms)`,
      actual: detail,
    });
  if (gaps[2]! > BACK_WITHIN_MS)
    ctx.fail(`the agent took ${gaps[2]} ms to try ${what} again`, { expected: `back within ${BACK_WITHIN_MS} ms`, actual: detail });
  ctx.note(detail);
}

const backoff5xx: ClientCase = {
  requirement: BACKOFF,
  desc: 'Answers the joined agent’s next three create requests with 503, then normally; measures the gaps between its attempts',
  async run(ctx) {
    // A joined agent, so that the process is warm and the gaps measure its back-off, not its start-up.
    const { api, app } = await joinedAgent(ctx);
    api.fail('create', FAILURES, 503);
    await app.send({ cmd: 'create', agent: AGENT, title: 'Create user model', description: 'users table and model' });
    await judgeBackoff(ctx, api, 'create', 0, 'a create after a 503');
  },
};

const backoffRefused: ClientCase = {
  requirement: BACKOFF,
  desc: 'Drops the joined agent’s event stream and refuses its next three stream connections; measures the gaps between its reconnect attempts',
  timeoutMs: 20_000,
  async run(ctx) {
    const { api } = await joinedAgent(ctx);
    const from = api.of('stream').length;
    api.refuse('stream', FAILURES);
    api.stream.dropAll();
    await judgeBackoff(ctx, api, 'stream', from, 'the event stream after a refused connection');
  },
};

function routesSeen(api: ScriptedSyncApi): string {
  return api.requests.map((r) => `${r.method} ${r.path}`).join(', ') || 'no request';
}

export const joinBackoffCases: readonly ClientCase[] = [join, backoff5xx, backoffRefused];
