/**
 * Profile `agent-presence`: the dashboard stream and its API.
 * Source: docs/protocol.md, "Profile agent-presence".
 */
import { z } from 'zod';
import { Timestamp } from './common.ts';

export const PresenceStatus = z.enum(['active', 'idle', 'offline']).meta({ id: 'PresenceStatus' });

export const AgentPresence = z
  .object({
    agent_id: z.string().min(1),
    status: PresenceStatus,
    current_feature_id: z.string().nullable(),
    last_tool_name: z.string().nullable(),
    last_activity: Timestamp,
    total_tools_executed: z.number().int().nonnegative().describe('Cumulative within session_id'),
    total_cost_tokens: z.number().int().nonnegative().describe('Cumulative within session_id'),
    session_id: z.string().nullable(),
  })
  .meta({ id: 'AgentPresence' });

export const PresenceUpdate = z
  .object({
    type: z.literal('presence_update'),
    event_type: z.string().min(1).describe('What caused it: tool_execute, feature_status or status_change'),
    agent_id: z.string().min(1),
    presence: AgentPresence,
    timestamp: Timestamp,
  })
  .meta({ id: 'PresenceUpdate', description: 'Every message on WS /ws/broadcasts' });

export const PresenceEventRequest = z
  .object({
    event_type: z.literal('tool_execute'),
    tool_name: z.string().min(1).max(200),
    feature_id: z.string().max(200).nullable().optional(),
    cost_tokens: z.number().int().nonnegative().default(0),
    session_id: z.string().min(1).max(200),
  })
  .meta({ id: 'PresenceEventRequest', description: 'POST /api/presence/{agent_id}/events' });

export const FeatureStatusRequest = z
  .object({ agent_id: z.string().min(1).max(200), status: z.string().min(1).max(100) })
  .meta({ id: 'FeatureStatusRequest', description: 'POST /api/broadcast/features/{id}/status' });

export const PresenceList = z
  .object({
    agents: z.array(AgentPresence),
    timestamp: Timestamp,
    dashboards: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe('Dashboard connections open on /ws/broadcasts now (optional; the reference hub sends it)'),
  })
  .meta({ id: 'PresenceList', description: 'GET /api/presence' });

/** `WS /ws/broadcasts?token=…&session_id=…`; the per-session dashboard cap counts by session_id. */
export const DASHBOARD_PATH = '/ws/broadcasts';
