/**
 * Who may subscribe to (and read the history of) a sync channel. One rule for `/broadcasting/auth`
 * and `GET /api/channels/{channel}/events`:
 * - `private-session.{id}`: agents with an active participant in that session;
 * - `private-project.{id}`: agents whose token is scoped to that project;
 * - `private-issue.{id}`: agents scoped to the issue's project, which the first session naming the issue
 *   fixes; before any session names it, any agent with at least one project (it may be about to start one);
 * - anything else: nobody (the sync profile has private channels only).
 */
import { parseSyncChannel } from '../../spec/protocol/channels.ts';
import type { Agent } from './http-input.ts';
import type { SyncRepository } from './repository.ts';

const NUMERIC_ID = /^[1-9][0-9]{0,15}$/;

export type ChannelAccess = { ok: true } | { ok: false; reason: string };

export function channelAccess(repo: SyncRepository, agent: Agent, channel: string): ChannelAccess {
  const parsed = parseSyncChannel(channel);
  // implements: sync/auth/6
  if (!parsed)
    return { ok: false, reason: `${channel} is not a sync channel (private-session.{id}, private-project.{id}, private-issue.{id})` };
  const id = NUMERIC_ID.test(parsed.id) ? Number(parsed.id) : undefined;
  if (id === undefined) return { ok: false, reason: `${channel} does not name a numeric id` };
  switch (parsed.kind) {
    // implements: sync/auth/5
    case 'session':
      return repo.isActiveParticipant.get(id, agent.identifier)!.n > 0
        ? { ok: true }
        : { ok: false, reason: `${agent.identifier} is not an active participant of session ${id}` };
    // implements: sync/auth/4
    case 'project':
      return agent.projects.includes(id) ? { ok: true } : { ok: false, reason: `${agent.identifier} is not scoped to project ${id}` };
    // implements: sync/auth/4
    case 'issue': {
      const owner = repo.issueProject.get(id);
      if (owner) {
        return agent.projects.includes(owner.project_id)
          ? { ok: true }
          : { ok: false, reason: `issue ${id} belongs to project ${owner.project_id}, which ${agent.identifier} is not scoped to` };
      }
      return agent.projects.length > 0 ? { ok: true } : { ok: false, reason: `${agent.identifier} has no project` };
    }
  }
}
