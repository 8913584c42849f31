/** Shared helpers for agent-presence cases: unique agent and session ids per case, the API as agent 0. */
import { randomBytes } from 'node:crypto';
import { PresenceApi, type PresenceEventBody } from '../../clients/presence-stream.ts';
import { guardTimerWait } from '../../timer-guard.ts';
import type { CaseContext } from '../../types.ts';

export function requirePresence(ctx: CaseContext): void {
  if (!ctx.target.profiles.includes('agent-presence')) ctx.unimplemented('target does not declare the agent-presence profile');
  if (ctx.target.agents.length === 0) ctx.skip('target lists no agent token');
}

export const uid = (prefix: string): string => `${prefix}-${randomBytes(5).toString('hex')}`;

export function presenceApi(ctx: CaseContext): PresenceApi {
  requirePresence(ctx);
  return new PresenceApi(ctx, ctx.target.agents[0]!);
}

export function toolEvent(sessionId: string, over: Partial<PresenceEventBody> = {}): PresenceEventBody {
  return { event_type: 'tool_execute', tool_name: 'Bash', feature_id: 'feat-1', cost_tokens: 100, session_id: sessionId, ...over };
}

/** Status cases wait out the idle and offline periods, as advertised. */
export function guardStatusTimings(ctx: CaseContext): void {
  guardTimerWait(ctx, 'offline_after', ctx.timings.offlineAfterMs);
}
