/**
 * sync-client/heartbeat, idempotency and leave: what the agent sends while it holds a session
 * (docs/protocol.md, "Agent heartbeat", "Retried creates", "Leaving").
 */
import type { ClientCase } from '../client-case.ts';
import { AGENT, gapsOf, joinedAgent, pause } from './helpers.ts';

const HEARTBEAT = 'sync-client/heartbeat/1';
const RETRIED = 'sync-client/idempotency/1';
const NEW_KEY = 'sync-client/idempotency/2';
const LEAVE = 'sync-client/leave/1';

/** How long the heartbeat case watches: several intervals of the scripted API's 300 ms. */
const HEARTBEAT_WINDOW_MS = 1200;
const CREATE_MS = 6000;

const heartbeat: ClientCase = {
  requirement: HEARTBEAT,
  desc: 'Advertises heartbeat_interval_ms 300 in GET /api/hub, lets the agent join, and watches its heartbeats for 1.2 s',
  alone: 'judges gaps of a few hundred ms between timer-driven requests, which other cases’ start-up load would stretch',
  async run(ctx) {
    const { api, participantId } = await joinedAgent(ctx);
    const joinedAt = api.of('join').find((r) => r.outcome === 201)!.answeredAt!;
    await pause(ctx, HEARTBEAT_WINDOW_MS);
    const end = ctx.now();
    const beats = api.of('heartbeat').filter((r) => r.t > joinedAt);
    const wrong = beats.find((r) => !r.path.endsWith(`/participants/${participantId}/heartbeat`));
    if (wrong) ctx.fail('the agent heartbeat for another participant', { expected: `participant ${participantId}`, actual: wrong.path });
    const bound = Math.round(api.heartbeatIntervalMs * 1.5 + 200);
    const gaps = gapsOf([joinedAt, ...beats.map((r) => r.t), end]);
    const longest = Math.max(...gaps);
    if (longest > bound)
      ctx.fail(`the agent went ${longest} ms without a heartbeat (advertised interval ${api.heartbeatIntervalMs} ms)`, {
        expected: `a heartbeat at least every ${bound} ms from the join on`,
        actual: `${beats.length} heartbeat(s) in ${Math.round(end - joinedAt)} ms; gaps (join → … → end of watch) ${gaps.join(', ')} ms`,
      });
    ctx.note(`${beats.length} heartbeats, gaps ${gaps.join(', ')} ms`);
  },
};

const idempotency: ClientCase = {
  requirement: RETRIED,
  alsoProves: [NEW_KEY],
  desc: 'Closes the agent’s first create unanswered and answers its second attempt 503, then lets a second, different create through; compares the Idempotency-Key of every attempt',
  async run(ctx) {
    const { api, app } = await joinedAgent(ctx);
    api.refuse('create', 1);
    api.fail('create', 1, 503);
    await app.send({ cmd: 'create', agent: AGENT, title: 'Create user model', description: 'users table and model' });
    const done = await api.until(() => api.of('create').find((r) => r.outcome === 201), CREATE_MS);
    const first = api.of('create');
    const keys = first.map((r) => r.headers['idempotency-key'] ?? '(none)');
    if (first.length < 2)
      ctx.fail('the agent did not retry a create whose connection closed unanswered', {
        expected: 'a retried create',
        actual: `${first.length} attempt(s)`,
      });
    if (!done)
      return ctx.fail(`the create never got through within ${CREATE_MS} ms`, {
        expected: 'an attempt answered 201',
        actual: `${first.length} attempt(s), keys ${keys.join(', ')}`,
      });
    const attempts = first.slice(0, first.indexOf(done) + 1);
    const sent = attempts.map((r) => `${r.outcome}: key ${r.headers['idempotency-key'] ?? '(none)'} body ${r.body}`);
    if (attempts.some((r) => r.headers['idempotency-key'] === undefined))
      ctx.fail('the agent sent a create without an Idempotency-Key', {
        expected: 'one Idempotency-Key on every attempt',
        actual: sent.join(' | '),
      });
    if (new Set(attempts.map((r) => r.headers['idempotency-key'])).size !== 1 || new Set(attempts.map((r) => r.body)).size !== 1)
      ctx.fail('the agent changed the Idempotency-Key or the body of a create it retried', {
        expected: 'every attempt with the first attempt’s key and body',
        actual: sent.join(' | '),
      });
    const key = attempts[0]!.headers['idempotency-key'];

    const before = api.of('create').length;
    await app.send({ cmd: 'create', agent: AGENT, title: 'Write the migration', description: 'add the users table' });
    const next = await api.until(() => api.of('create')[before], CREATE_MS);
    if (!next)
      return ctx.fail('the agent sent no second create', { expected: 'a second create request', actual: 'none', requirement: NEW_KEY });
    if (next.headers['idempotency-key'] === key)
      ctx.fail('the agent sent a new create with the key of the previous one', {
        expected: 'a new Idempotency-Key for a new create',
        actual: `both creates used ${key}; the API answered the second ${next.outcome}`,
        requirement: NEW_KEY,
      });
  },
};

const leave: ClientCase = {
  requirement: LEAVE,
  desc: 'Tells the joined agent its application is done; watches for DELETE …/participants/{pid} and for heartbeats after it',
  async run(ctx) {
    const { api, app, participantId } = await joinedAgent(ctx);
    await app.send({ cmd: 'leave', agent: AGENT });
    const asked = ctx.now();
    const del = await api.until(() => api.of('leave')[0], 2000);
    await pause(ctx, api.heartbeatIntervalMs * 3);
    if (!del)
      return ctx.fail('the agent did not leave the session', {
        expected: `DELETE /api/sessions/1/participants/${participantId}`,
        actual: `after the leave command: ${
          api.requests
            .filter((r) => r.t >= asked)
            .map((r) => `${r.method} ${r.path}`)
            .join(', ') || 'no request'
        }`,
      });
    if (!del.path.endsWith(`/participants/${participantId}`))
      ctx.fail('the agent deleted another participant', { expected: `participant ${participantId}`, actual: del.path });
    const late = api.of('heartbeat').filter((r) => r.t > del.t);
    if (late.length > 0)
      ctx.fail('the agent kept sending heartbeats after it left', {
        expected: 'no heartbeat after the DELETE',
        actual: `${late.length} heartbeat(s), the first ${Math.round(late[0]!.t - del.t)} ms after it`,
      });
  },
};

export const sessionCases: readonly ClientCase[] = [heartbeat, idempotency, leave];
