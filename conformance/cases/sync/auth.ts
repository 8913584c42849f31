import { syncChannel } from '../../../spec/protocol/channels.ts';
import { signChannelAuth } from '../../../spec/protocol/signing.ts';
import { BroadcastingAuthResponse } from '../../../spec/schemas/sync.ts';
import { openPusherSocket, SubscriptionRejected } from '../../clients/pusher-socket.ts';
import { SyncApi, checkErrorResponse, expectApiError, parseBody, syncAgents } from '../../clients/sync-api.ts';
import type { Case, CaseContext } from '../../types.ts';
import { expectEqual, expectStatus, expectThat } from '../../verify.ts';
import { outOfScope, randomIssue, requireSync, sessionFixture } from './fixtures.ts';

async function expectAuth403(ctx: CaseContext, api: SyncApi, channel: string): Promise<void> {
  const sock = await openPusherSocket(ctx);
  const res = await api.authorize(sock.socketId, channel);
  checkErrorResponse(ctx, res, 403, undefined, `POST /broadcasting/auth for ${channel} as ${api.agent.identifier}`);
}

export const authCases: Case[] = [
  {
    requirement: 'sync/auth/1',
    desc: 'Calls the sync API and /broadcasting/auth without a token and with an unknown token, expecting 401 unauthenticated each time',
    async run(ctx: CaseContext) {
      requireSync(ctx);
      const [agent] = syncAgents(ctx);
      const api = new SyncApi(ctx, agent!);
      const project = agent!.projects[0] ?? 1;
      for (const token of [null, 'not-a-real-token-xyz']) {
        const label = token === null ? 'without a token' : 'with an unknown token';
        await expectApiError(
          ctx,
          api.call(null, {
            method: 'POST',
            path: '/api/sessions',
            body: { project_id: project, issue_id: 1, coordinator_type: 'hybrid' },
            token,
          }),
          401,
          'unauthenticated',
          `POST /api/sessions ${label}`,
        );
        const sock = await openPusherSocket(ctx);
        checkErrorResponse(
          ctx,
          await api.authorize(sock.socketId, syncChannel('project', project), token),
          401,
          'unauthenticated',
          `POST /broadcasting/auth ${label}`,
        );
        await expectApiError(
          ctx,
          api.call(null, { method: 'GET', path: `/api/channels/${syncChannel('project', project)}/events`, token }),
          401,
          'unauthenticated',
          `GET history ${label}`,
        );
      }
    },
  },
  {
    requirement: 'sync/auth/2',
    desc: 'Creates a session in a project outside the agent’s scope and reads another agent’s session, expecting 403 forbidden and no event',
    async run(ctx: CaseContext) {
      requireSync(ctx);
      const { agent, project, insider } = outOfScope(ctx);
      const outsider = new SyncApi(ctx, agent);
      const inside = new SyncApi(ctx, insider);
      const channel = syncChannel('project', project);
      // The project channel is shared with other cases: the refused session is told apart by its issue.
      const refusedIssue = randomIssue();
      await expectApiError(
        ctx,
        outsider.createSession({ project_id: project, issue_id: refusedIssue, coordinator_type: 'hybrid' }),
        403,
        'forbidden',
        'POST /api/sessions outside scope',
      );
      const session = await inside.createSession({ project_id: project, issue_id: randomIssue(), coordinator_type: 'hybrid' });
      await expectApiError(
        ctx,
        outsider.join(session.session_id, 'intruder'),
        403,
        'forbidden',
        'join a session of a project outside scope',
      );
      const events = (await inside.allEvents(channel)).events;
      const refused = events.filter((e) => e.data.issue_id === refusedIssue).map((e) => `${e.event} seq ${e.seq}`);
      expectEqual(refused, [], 'a refused request changed the project channel history (the refused session was broadcast)');
      const own = events.filter((e) => e.data.session_id === session.session_id).length;
      expectEqual(own, 1, 'the insider’s session did not add exactly one event to the project channel history');
    },
  },
  {
    requirement: 'sync/auth/3',
    desc: 'Authorizes a session channel as a participant via POST /broadcasting/auth and checks the signature and that subscribing with it succeeds',
    async run(ctx: CaseContext) {
      const f = await sessionFixture(ctx);
      const sock = await openPusherSocket(ctx);
      const res = await f.apis[0]!.authorize(sock.socketId, f.channel);
      expectStatus(res, 200, 'POST /broadcasting/auth');
      const { auth } = parseBody(BroadcastingAuthResponse, res.json, 'POST /broadcasting/auth');
      const expected = signChannelAuth(ctx.target.app, sock.socketId, f.channel);
      expectEqual(auth, expected, 'auth is not key:HMAC-SHA256(secret, socket_id:channel)');
      await sock.subscribe(f.channel, { auth });
    },
  },
  {
    requirement: 'sync/auth/4',
    desc: 'Asks /broadcasting/auth for private-project.{id} and private-issue.{id} of a project outside the agent’s scope, expecting 403',
    async run(ctx: CaseContext) {
      requireSync(ctx);
      const { agent, project, insider } = outOfScope(ctx);
      const issue = randomIssue();
      await new SyncApi(ctx, insider).createSession({ project_id: project, issue_id: issue, coordinator_type: 'hybrid' });
      const api = new SyncApi(ctx, agent);
      await expectAuth403(ctx, api, syncChannel('project', project));
      await expectAuth403(ctx, api, syncChannel('issue', issue));
    },
  },
  {
    requirement: 'sync/auth/5',
    desc: 'Asks /broadcasting/auth for a session channel as a non-participant (403), then subscribes with a forged signature (pusher:error 4009)',
    async run(ctx: CaseContext) {
      const f = await sessionFixture(ctx, { agents: 2, join: false });
      await f.apis[0]!.join(f.session.session_id, 'member');
      await expectAuth403(ctx, f.apis[1]!, f.channel);
      const sock = await openPusherSocket(ctx);
      const forged = `${ctx.target.app.key}:${'0'.repeat(64)}`;
      try {
        await sock.subscribe(f.channel, { auth: forged });
        ctx.fail('subscribing with a forged signature succeeded', {
          expected: 'pusher:error 4009',
          actual: 'pusher_internal:subscription_succeeded',
        });
      } catch (err) {
        if (!(err instanceof SubscriptionRejected)) throw err;
        expectThat(
          err.frame,
          () => err.code === 4009,
          'pusher:error 4009',
          `forged signature rejected with ${err.frame.event} ${err.code}`,
        );
      }
    },
  },
  {
    requirement: 'sync/auth/6',
    desc: 'Asks /broadcasting/auth for channels outside the sync patterns (public, presence-, other private- names), expecting 403',
    async run(ctx: CaseContext) {
      const f = await sessionFixture(ctx);
      for (const ch of [
        'public-room',
        `presence-session.${f.session.session_id}`,
        'private-team.1',
        `private-session.${f.session.session_id}.x`,
      ]) {
        await expectAuth403(ctx, f.apis[0]!, ch);
      }
    },
  },
];
