import { syncChannel } from '../../../spec/protocol/channels.ts';
import { AgentSessionStarted, Session } from '../../../spec/schemas/sync.ts';
import { SyncApi, parseBody, sharedProject, subscribeSync, syncAgents } from '../../clients/sync-api.ts';
import type { Case, CaseContext } from '../../types.ts';
import { expectEqual, expectFields, expectStatus } from '../../verify.ts';
import { randomIssue, requireSync, waitForSync } from './fixtures.ts';

export const sessionCases: Case[] = [
  {
    requirement: 'sync/sessions/1',
    desc: 'Sends POST /api/sessions and expects 201 with a Session echoing project_id, issue_id and coordinator_type',
    async run(ctx: CaseContext) {
      requireSync(ctx);
      const agents = syncAgents(ctx);
      const project = sharedProject(ctx, agents.slice(0, 1));
      const api = new SyncApi(ctx, agents[0]!);
      const body = { project_id: project, issue_id: randomIssue(), coordinator_type: 'hybrid' };
      const res = await api.raw({ method: 'POST', path: '/api/sessions', body });
      expectStatus(res, 201, 'POST /api/sessions');
      const s = parseBody(Session, res.json, 'POST /api/sessions');
      expectFields(s, body, 'session does not echo the request');
    },
  },
  {
    requirement: 'sync/sessions/2',
    desc: 'Subscribes to private-project.{id} and private-issue.{id}, creates a session, expects AgentSessionStarted on both with one event_id',
    async run(ctx: CaseContext) {
      requireSync(ctx);
      const agents = syncAgents(ctx);
      const agent = agents[0]!;
      const project = sharedProject(ctx, [agent]);
      const issue = randomIssue();
      const projectCh = syncChannel('project', project);
      const issueCh = syncChannel('issue', issue);
      const sock = await subscribeSync(ctx, agent, projectCh);
      await subscribeSync(ctx, agent, issueCh, { socket: sock });
      const s = await new SyncApi(ctx, agent).createSession({ project_id: project, issue_id: issue, coordinator_type: 'hybrid' });
      const mine = (d: { session_id?: unknown }) => d.session_id === s.session_id;
      const a = parseBody(
        AgentSessionStarted,
        await waitForSync(sock, projectCh, 'AgentSessionStarted', mine),
        `AgentSessionStarted on ${projectCh}`,
      );
      const b = parseBody(
        AgentSessionStarted,
        await waitForSync(sock, issueCh, 'AgentSessionStarted', mine),
        `AgentSessionStarted on ${issueCh}`,
      );
      expectEqual(b.event_id, a.event_id, 'AgentSessionStarted carries different event_ids on the project and issue channels');
      expectFields(a, { issue_id: issue, coordinator_type: 'hybrid' }, 'AgentSessionStarted payload does not match the session');
    },
  },
];
