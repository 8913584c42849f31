/**
 * Shared set-up for sync cases: a fresh session per case (so seq, conflicts and participants never
 * leak between cases), its participants, and small helpers to wait for events.
 */
import { randomBytes } from 'node:crypto';
import { syncChannel } from '../../../spec/protocol/channels.ts';
import { frameData, type Frame } from '../../../spec/protocol/frames.ts';
import { syncEventFromWire, wireEventName, type SyncEventName } from '../../../spec/schemas/sync.ts';
import {
  SyncApi,
  sharedProject,
  subscribeSync,
  syncAgents,
  type ParticipantT,
  type SessionT,
  type SyncAgent,
} from '../../clients/sync-api.ts';
import type { PusherSocket } from '../../clients/pusher-socket.ts';
import type { CaseContext } from '../../types.ts';

/** Skips unless the target implements the sync profile. */
export function requireSync(ctx: CaseContext): void {
  if (!ctx.target.profiles.includes('sync')) ctx.unimplemented('target does not declare the sync profile');
}

/** A title no other title of the case comes near (random hex words), so no accidental duplicate fires. */
export function uniqueTitle(prefix = 'task'): string {
  return `${prefix} ${randomBytes(6).toString('hex')} ${randomBytes(6).toString('base64url')}`;
}

export const randomKey = (): string => `hp-${randomBytes(9).toString('hex')}`;

export interface SessionFixture {
  agents: SyncAgent[];
  apis: SyncApi[];
  project: number;
  session: SessionT;
  /** participants[i] belongs to agents[i] (when `join`). */
  participants: ParticipantT[];
  channel: string;
}

/**
 * Creates a session in a project every one of `n` agents may see (issue id random), and joins each
 * agent with agent_type `agent-<i>` unless `join: false`.
 */
export async function sessionFixture(ctx: CaseContext, opts: { agents?: number; join?: boolean } = {}): Promise<SessionFixture> {
  requireSync(ctx);
  const agents = syncAgents(ctx, opts.agents ?? 1).slice(0, opts.agents ?? 1);
  const project = sharedProject(ctx, agents);
  const apis = agents.map((a) => new SyncApi(ctx, a));
  const session = await apis[0]!.createSession({ project_id: project, issue_id: randomIssue(), coordinator_type: 'hybrid' });
  const participants: ParticipantT[] = [];
  if (opts.join !== false) for (const [i, api] of apis.entries()) participants.push(await api.join(session.session_id, `agent-${i}`));
  const fixture = { agents, apis, project, session, participants, channel: syncChannel('session', session.session_id) };
  // Beside other cases on a busy hub a case runs slower than its participants' heartbeat_timeout allows
  // on a fast hub: its agents would go stale and read "403 not an active participant".
  if (participants.length) keepAlive(ctx, [fixture]);
  return fixture;
}

export function randomIssue(): number {
  return 100_000 + Math.floor(Math.random() * 900_000_000);
}

/** Frames of sync event `name` on `channel` received by `socket` so far. */
export function received(socket: PusherSocket, channel: string, name?: SyncEventName): Frame[] {
  return socket.frames.filter(
    (f) => f.channel === channel && (name ? f.event === wireEventName(name) : syncEventFromWire(f.event) !== undefined),
  );
}

/** Waits for a sync event on `channel` whose data satisfies `match`. */
export async function waitForSync<T = Record<string, unknown>>(
  socket: PusherSocket,
  channel: string,
  name: SyncEventName,
  match: (data: T) => boolean = () => true,
  timeoutMs = 3000,
): Promise<T> {
  const frame = await socket.waitFor((f) => f.channel === channel && f.event === wireEventName(name) && match(frameData<T>(f)), {
    desc: `${wireEventName(name)} on ${channel}`,
    timeoutMs,
  });
  return frameData<T>(frame);
}

/** Opens a socket subscribed to the session channel as `agent` (who must be a participant). */
export function watch(ctx: CaseContext, agent: SyncAgent, channel: string): Promise<PusherSocket> {
  return subscribeSync(ctx, agent, channel);
}

/** Number of events in a channel's history (all pages). */
export async function historyCount(api: SyncApi, channel: string): Promise<number> {
  return (await api.events(channel, { afterSeq: 0, limit: 1 })).last_seq;
}

/** An agent and a project it may NOT see (while some other agent may), or skip. */
export function outOfScope(ctx: CaseContext): { agent: SyncAgent; project: number; insider: SyncAgent } {
  for (const agent of ctx.target.agents) {
    for (const insider of ctx.target.agents) {
      const project = insider.projects.find((p) => !agent.projects.includes(p));
      if (project !== undefined) return { agent, project, insider };
    }
  }
  ctx.skip('every agent of the target sees every project; no out-of-scope pair to test');
}

/** A participant joined during a case (not by the fixture), kept alive too. */
export interface KeptAlive {
  api: SyncApi;
  sessionId: number;
  participantId: number;
}

/**
 * Heartbeats every participant of `fixtures` (and those in `extra`, read at every beat) every heartbeat_timeout / 3 until `ctx` ends, so a case that
 * waits (for a missing event, a quiesce deadline) never makes its own agents stale: a stale agent loses
 * read access to its session channel, and the case would then fail with "403 forbidden" instead of
 * naming what the hub did wrong. A failed heartbeat is noted, not thrown: the case's own checks decide.
 */
export function keepAlive(ctx: CaseContext, fixtures: readonly SessionFixture[], extra: ReadonlyArray<KeptAlive> = []): void {
  const every = Math.max(100, Math.floor(ctx.timings.heartbeatTimeoutMs / 3));
  let stopped = false;
  const beat = () => {
    if (stopped || ctx.signal.aborted) return;
    for (const f of fixtures) {
      for (const [i, p] of f.participants.entries()) {
        send({ api: f.apis[i]!, sessionId: f.session.session_id, participantId: p.participant_id });
      }
    }
    for (const k of extra) send(k);
  };
  const send = (k: KeptAlive) =>
    k.api.heartbeat(k.sessionId, k.participantId).catch((err: unknown) => {
      if (!stopped)
        ctx.note(`keep-alive heartbeat of participant ${k.participantId} failed: ${err instanceof Error ? err.message : String(err)}`);
    });
  const timer = setInterval(beat, every);
  timer.unref();
  ctx.defer(() => {
    stopped = true;
    clearInterval(timer);
  });
}
