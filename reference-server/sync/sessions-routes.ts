/**
 * Sessions and participants: create a session (AgentSessionStarted on the project and issue channels),
 * join (AgentParticipantJoined, 409 session_full past limits.maxParticipants), heartbeat (204) and
 * leave (AgentParticipantLeft {reason:"left"}).
 */
import { syncChannel } from '../../spec/protocol/channels.ts';
import { CreateSessionRequest, JoinSessionRequest } from '../../spec/schemas/sync.ts';
import { HttpError, sendJson, type RequestContext, type Router } from '../http/router.ts';
import { pathId, readJson, requireAgent, validate, type Agent } from './http-input.ts';
import { participantJson, sessionJson, type ParticipantRow, type SessionRow } from './repository.ts';
import { runMutation, type SyncServices } from './services.ts';

/** 404 for an unknown session, 403 when the agent's token is not scoped to the session's project. */
// implements: sync/errors/2, sync/auth/2
export function sessionFor(svc: SyncServices, agent: Agent, rawId: string | undefined): SessionRow {
  const id = pathId(rawId, 'session');
  const session = svc.repo.session.get(id);
  if (!session) throw new HttpError(404, 'not_found', `session ${id} does not exist`);
  if (!agent.projects.includes(session.project_id)) {
    throw new HttpError(403, 'forbidden', `${agent.identifier} is not scoped to project ${session.project_id} of session ${id}`);
  }
  return session;
}

/** A participant of the session owned by the calling agent (404 unknown, 403 someone else's). */
// implements: sync/errors/2, sync/auth/2
function ownParticipant(svc: SyncServices, agent: Agent, session: SessionRow, rawPid: string | undefined): ParticipantRow {
  const pid = pathId(rawPid, 'participant');
  const p = svc.repo.participant.get(pid);
  if (!p || p.session_id !== session.session_id) {
    throw new HttpError(404, 'not_found', `participant ${pid} does not exist in session ${session.session_id}`);
  }
  if (p.agent_identifier !== agent.identifier) {
    throw new HttpError(403, 'forbidden', `participant ${pid} belongs to ${p.agent_identifier}, not ${agent.identifier}`);
  }
  return p;
}

export function mountSessionRoutes(router: Router, svc: SyncServices): void {
  const { repo, config } = svc;

  // implements: sync/sessions/1, sync/sessions/2, sync/envelope/5
  router.add('POST', '/api/sessions', (rc: RequestContext) => {
    const agent = requireAgent(config.agents, rc.req);
    const input = validate(CreateSessionRequest, readJson(rc.req, rc.body));
    if (!agent.projects.includes(input.project_id)) {
      throw new HttpError(403, 'forbidden', `${agent.identifier} is not scoped to project ${input.project_id}`);
    }
    runMutation(svc, rc, agent, input, (em) => {
      const id = Number(
        repo.insertSession.run(input.project_id, input.issue_id, input.coordinator_type, agent.identifier, em.now).lastInsertRowid,
      );
      const session = sessionJson(repo.session.get(id)!);
      em.emit('AgentSessionStarted', [syncChannel('project', session.project_id), syncChannel('issue', session.issue_id)], { ...session });
      return { status: 201, body: session };
    });
  });

  router.add('GET', '/api/sessions/:id', (rc) => {
    const agent = requireAgent(config.agents, rc.req);
    sendJson(rc.res, 200, sessionJson(sessionFor(svc, agent, rc.params.id)));
  });

  router.add('GET', '/api/sessions/:id/participants', (rc) => {
    const agent = requireAgent(config.agents, rc.req);
    const session = sessionFor(svc, agent, rc.params.id);
    sendJson(rc.res, 200, { participants: repo.participants.all(session.session_id).map(participantJson) });
  });

  // implements: sync/participants/1, sync/envelope/5
  router.add('POST', '/api/sessions/:id/participants', (rc) => {
    const agent = requireAgent(config.agents, rc.req);
    const input = validate(JoinSessionRequest, readJson(rc.req, rc.body));
    const session = sessionFor(svc, agent, rc.params.id);
    runMutation(svc, rc, agent, input, (em) => {
      const max = config.limits.maxParticipants;
      // implements: sync/participants/2, sync/participants/4
      if (repo.activeCount.get(session.session_id)!.n >= max) {
        throw new HttpError(
          409,
          'session_full',
          `session ${session.session_id} already has ${max} active participants (limits.maxParticipants)`,
        );
      }
      const pid = Number(
        repo.insertParticipant.run(session.session_id, agent.identifier, input.agent_type, em.now, em.now).lastInsertRowid,
      );
      const participant = participantJson(repo.participant.get(pid)!);
      em.emit('AgentParticipantJoined', [syncChannel('session', session.session_id)], {
        participant_id: participant.participant_id,
        agent_identifier: participant.agent_identifier,
        agent_type: participant.agent_type,
        session_id: participant.session_id,
      });
      return { status: 201, body: participant };
    });
  });

  // implements: sync/heartbeat/1
  router.add('POST', '/api/sessions/:id/participants/:pid/heartbeat', (rc) => {
    const agent = requireAgent(config.agents, rc.req);
    const session = sessionFor(svc, agent, rc.params.id);
    const p = ownParticipant(svc, agent, session, rc.params.pid);
    // implements: sync/heartbeat/4
    if (p.status !== 'active') {
      // Its departure was already broadcast; reviving it silently would contradict that event.
      throw new HttpError(404, 'not_found', `participant ${p.participant_id} is ${p.status}; join the session again`);
    }
    repo.touchHeartbeat.run(svc.now(), p.participant_id);
    rc.res.writeHead(204);
    rc.res.end();
  });

  // implements: sync/participants/3, sync/envelope/5
  router.add('DELETE', '/api/sessions/:id/participants/:pid', (rc) => {
    const agent = requireAgent(config.agents, rc.req);
    const session = sessionFor(svc, agent, rc.params.id);
    const p = ownParticipant(svc, agent, session, rc.params.pid);
    runMutation(svc, rc, agent, null, (em) => {
      // implements: sync/participants/5, sync/causality/3
      // Leaving twice is a no-op: the second DELETE emits nothing.
      if (repo.participant.get(p.participant_id)!.status === 'active') {
        repo.setParticipantStatus.run('left', p.participant_id);
        em.emit('AgentParticipantLeft', [syncChannel('session', session.session_id)], {
          participant_id: p.participant_id,
          agent_identifier: p.agent_identifier,
          agent_type: p.agent_type,
          session_id: p.session_id,
          reason: 'left',
        });
      }
      return { status: 204, body: null };
    });
  });
}
