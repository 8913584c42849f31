/**
 * Steps the sync-client cases share: a scripted sync API, an agent driver, and the agent joined (both
 * ends agree: the API answered the join and saw the session channel subscribed with a valid auth, and
 * the agent told its application). A step that does not happen reports sync-client/join/1 as unmet, so
 * a case about something else is `blocked` by it, not failed.
 */
import { DependencyUnmet } from '../../types.ts';
import type { ClientCaseContext } from '../client-case.ts';
import type { AgentSession } from '../driver/agent-session.ts';
import type { ScriptedSyncApi, SyncRequest } from '../sync-api/sync-api.ts';
import { SCRIPTED_SESSION_ID, SCRIPTED_TOKEN, SESSION_CHANNEL } from '../sync-api/sync-routes.ts';

export const JOINED = 'sync-client/join/1';
/** How long an agent gets to join and subscribe (its back-off may be retrying through a scripted outage). */
export const JOIN_MS = 8000;
export const AGENT = 'a1';

export interface Agent {
  api: ScriptedSyncApi;
  app: AgentSession;
  participantId: number;
}

type ApiOptions = Parameters<ClientCaseContext['startSyncApi']>[0];
/** What a case may add to the `join` command (the agent driver protocol's optional fields). */
export interface JoinOptions {
  backoffCapMs?: number;
}

/** A scripted API and an agent driver; sends `join` but waits for nothing. */
export async function startAgent(ctx: ClientCaseContext, options: ApiOptions = {}, joinOptions: JoinOptions = {}) {
  const api = await ctx.startSyncApi(options);
  const app = await ctx.startAgent();
  const join = () =>
    app.send({
      cmd: 'join',
      agent: AGENT,
      api: api.baseUrl,
      key: api.app.key,
      token: SCRIPTED_TOKEN,
      sessionId: SCRIPTED_SESSION_ID,
      agentType: 'backend-architect',
      ...joinOptions,
    });
  return { api, app, join };
}

/** Joins and waits until the API saw the join answered 201 and the channel subscribed, and the app was told. */
export async function joinedAgent(ctx: ClientCaseContext, options: ApiOptions = {}, joinOptions: JoinOptions = {}): Promise<Agent> {
  const { api, app, join } = await startAgent(ctx, options, joinOptions);
  await join();
  return { api, app, participantId: await joined(api, app) };
}

/** Waits for both ends of a join; returns the participant id. */
export async function joined(api: ScriptedSyncApi, app: AgentSession): Promise<number> {
  const answered = await api.until(() => api.of('join').find((r) => r.outcome === 201), JOIN_MS);
  if (!answered) throw new DependencyUnmet(JOINED, `no join the API could answer within ${JOIN_MS} ms`);
  const sub = await api.until(() => subscribedAt(api), JOIN_MS);
  if (!sub) throw new DependencyUnmet(JOINED, `${SESSION_CHANNEL} was not subscribed with a valid auth within ${JOIN_MS} ms`);
  const told = await app.until(() => app.find('joined'), JOIN_MS);
  if (!told) throw new DependencyUnmet(JOINED, 'the agent never told its application it joined');
  return told.obs.participantId;
}

/** When the session channel was last confirmed on an open stream connection. */
export function subscribedAt(api: ScriptedSyncApi, after = -1): number | undefined {
  for (const c of api.stream.openConnections()) {
    const t = c.subscribed.get(SESSION_CHANNEL);
    if (t !== undefined && t > after) return t;
  }
  return undefined;
}

/** The seqs the agent handed its application on the session channel, in order. */
export function seenSeqs(app: AgentSession): number[] {
  return app
    .all('event', (e) => e.channel === SESSION_CHANNEL)
    .map((e) => Number(e.obs.data.seq))
    .filter((n) => Number.isFinite(n));
}

/** From each attempt's failure (its answer, or when the script closed it) to the next attempt's arrival. */
export function retryGaps(attempts: readonly SyncRequest[]): number[] {
  return attempts.slice(1).map((a, i) => Math.round(a.t - (attempts[i]!.answeredAt ?? attempts[i]!.t)));
}

/** Gaps between consecutive times, in ms, rounded. */
export const gapsOf = (times: readonly number[]) => times.slice(1).map((t, i) => Math.round(t - times[i]!));

export function pause(ctx: ClientCaseContext, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    ctx.signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });
}
