/**
 * One run that makes a hub emit all six sync events, watched by a subscriber of every channel involved:
 * session started (project + issue), two joins, a duplicate pair (created ×2, Detected, cancelled,
 * Resolved) and a leave. Envelope and payload cases check what arrived.
 */
import { syncChannel } from '../../../spec/protocol/channels.ts';
import { frameData, type Frame } from '../../../spec/protocol/frames.ts';
import { SYNC_EVENT_NAMES, syncEventFromWire, type SyncEventName } from '../../../spec/schemas/sync.ts';
import { SyncApi, sharedProject, subscribeSync, syncAgents } from '../../clients/sync-api.ts';
import type { PusherSocket } from '../../clients/pusher-socket.ts';
import type { CaseContext } from '../../types.ts';
import { expectIncludes } from '../../verify.ts';
import { randomIssue, requireSync, waitForSync } from './fixtures.ts';

export interface ScenarioResult {
  socket: PusherSocket;
  channels: { project: string; issue: string; session: string };
  /** Every sync-looking frame (any `App\Events\…` or unknown name) on the three channels, in arrival order. */
  frames: Frame[];
  api: SyncApi;
}

export async function allSixScenario(ctx: CaseContext): Promise<ScenarioResult> {
  requireSync(ctx);
  const agents = syncAgents(ctx, 2).slice(0, 2);
  const project = sharedProject(ctx, agents);
  const [a, b] = agents.map((x) => new SyncApi(ctx, x)) as [SyncApi, SyncApi];
  const issue = randomIssue();
  const channels = { project: syncChannel('project', project), issue: syncChannel('issue', issue), session: '' };
  const socket = await subscribeSync(ctx, agents[0]!, channels.project);
  await subscribeSync(ctx, agents[0]!, channels.issue, { socket });
  const session = await a.createSession({ project_id: project, issue_id: issue, coordinator_type: 'hybrid' });
  channels.session = syncChannel('session', session.session_id);
  await a.join(session.session_id, 'backend-architect');
  await subscribeSync(ctx, agents[0]!, channels.session, { socket });
  const pb = await b.join(session.session_id, 'database-architect');
  await a.createTodo(session.session_id, { title: 'Create user model', description: 'short' });
  await b.createTodo(session.session_id, { title: 'Create User model!', description: 'with fields, indexes and a migration' });
  await waitForSync(socket, channels.session, 'AgentConflictResolved');
  await b.leave(session.session_id, pb.participant_id);
  await waitForSync(socket, channels.session, 'AgentParticipantLeft');
  const wanted = new Set(Object.values(channels));
  // The project channel is shared with every case that uses the project: keep this session's events only.
  const ours = (f: Frame) => f.channel !== channels.project || frameData<{ session_id?: unknown }>(f).session_id === session.session_id;
  const frames = socket.frames.filter((f) => f.channel !== undefined && wanted.has(f.channel) && !f.event.startsWith('pusher') && ours(f));
  return { socket, channels, frames, api: a };
}

/** Events of the scenario by name; fails the case if one of the six never came. */
export function byName(frames: Frame[]): Map<SyncEventName, Array<{ frame: Frame; data: Record<string, unknown> }>> {
  const out = new Map<SyncEventName, Array<{ frame: Frame; data: Record<string, unknown> }>>();
  for (const f of frames) {
    const name = syncEventFromWire(f.event);
    if (!name) continue;
    out.set(name, [...(out.get(name) ?? []), { frame: f, data: frameData<Record<string, unknown>>(f) }]);
  }
  const missing = SYNC_EVENT_NAMES.filter((n) => !out.has(n));
  expectIncludes(out.keys(), SYNC_EVENT_NAMES, `the scenario produced no ${missing.join(', ')}`);
  return out;
}
