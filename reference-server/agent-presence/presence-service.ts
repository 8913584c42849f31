/**
 * Presence rules: a tool event makes the agent active and adds to its counters (cumulative per
 * session_id, reset when the agent reports a new session_id); a feature status sets current_feature_id;
 * quiet agents go idle after timings.idleAfterMs and offline after timings.offlineAfterMs. Every change
 * is broadcast to all dashboards as one PresenceUpdate.
 */
import type { z } from 'zod';
import type { FeatureStatusRequest, PresenceEventRequest, PresenceUpdate } from '../../spec/schemas/agent-presence.ts';
import type { HubContext } from '../context.ts';
import type { DashboardHub } from './dashboards.ts';
import { presenceJson, type PresenceState, type PresenceStore } from './presence-store.ts';

export type PresenceEventType = 'tool_execute' | 'feature_status' | 'status_change';

export class PresenceService {
  constructor(
    private readonly ctx: Pick<HubContext, 'config' | 'now'>,
    readonly store: PresenceStore,
    private readonly dashboards: DashboardHub,
  ) {}

  private blank(agentId: string, now: number): PresenceState {
    return {
      agent_id: agentId,
      status: 'active',
      current_feature_id: null,
      last_tool_name: null,
      last_activity_ms: now,
      total_tools_executed: 0,
      total_cost_tokens: 0,
      session_id: null,
    };
  }

  /** Broadcasts first (dashboards see it at once), then resolves when SQLite has it. */
  // implements: agent-presence/stream/3, agent-presence/stream/4
  private async commit(state: PresenceState, eventType: PresenceEventType, now: number): Promise<PresenceState> {
    const persisted = this.store.put(state);
    const update: z.infer<typeof PresenceUpdate> = {
      type: 'presence_update',
      event_type: eventType,
      agent_id: state.agent_id,
      presence: presenceJson(state),
      timestamp: new Date(now).toISOString(),
    };
    this.dashboards.broadcast(update);
    await persisted;
    return state;
  }

  // implements: agent-presence/api/1, agent-presence/api/2, agent-presence/api/3, agent-presence/status/2
  toolExecuted(agentId: string, e: z.infer<typeof PresenceEventRequest>): Promise<PresenceState> {
    const now = this.ctx.now();
    const prev = this.store.get(agentId) ?? this.blank(agentId, now);
    const sameSession = prev.session_id === e.session_id;
    return this.commit(
      {
        ...prev,
        status: 'active',
        last_tool_name: e.tool_name,
        // Absent keeps the current feature; an explicit null clears it.
        current_feature_id: e.feature_id === undefined ? prev.current_feature_id : e.feature_id,
        last_activity_ms: now,
        session_id: e.session_id,
        total_tools_executed: (sameSession ? prev.total_tools_executed : 0) + 1,
        total_cost_tokens: (sameSession ? prev.total_cost_tokens : 0) + e.cost_tokens,
      },
      'tool_execute',
      now,
    );
  }

  // implements: agent-presence/api/4
  featureStatus(featureId: string, e: z.infer<typeof FeatureStatusRequest>): Promise<PresenceState> {
    const now = this.ctx.now();
    const prev = this.store.get(e.agent_id) ?? this.blank(e.agent_id, now);
    return this.commit({ ...prev, current_feature_id: featureId }, 'feature_status', now);
  }

  // implements: agent-presence/status/1
  statusFor(state: PresenceState, now: number): PresenceState['status'] {
    const quiet = now - state.last_activity_ms;
    const { idleAfterMs, offlineAfterMs } = this.ctx.config.timings;
    return quiet >= offlineAfterMs ? 'offline' : quiet >= idleAfterMs ? 'idle' : 'active';
  }

  /** Moves quiet agents to idle/offline, broadcasting a status_change for each; returns how many changed. */
  // implements: agent-presence/status/1
  sweep(): number {
    const now = this.ctx.now();
    let changed = 0;
    for (const state of this.store.all()) {
      const status = this.statusFor(state, now);
      if (status === state.status) continue;
      changed++;
      void this.commit({ ...state, status }, 'status_change', now).catch(() => undefined);
    }
    return changed;
  }
}
