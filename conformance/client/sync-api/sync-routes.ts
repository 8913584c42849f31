/**
 * The HTTP routes of the scripted sync API, as docs/protocol.md ("Profile sync") defines them, kept to
 * what an agent calls: hub info, channel auth, join, heartbeat, leave, create a todo (with
 * `Idempotency-Key`), history. One session (id 1) of one project; state lives in memory for the case.
 */
import { signChannelAuth, type AppCredentials } from '../../../spec/protocol/index.ts';
import type { HubInfo } from '../../../spec/schemas/sync.ts';
import { SYNC_ACTIVITY_TIMEOUT_S, type SyncStream } from './sync-stream.ts';

/** What the scripted API names each route in its request log and its script levers. */
export type SyncRoute = 'hub' | 'auth' | 'join' | 'heartbeat' | 'leave' | 'create' | 'history' | 'stream' | 'other';

export const SCRIPTED_SESSION_ID = 1;
export const SESSION_CHANNEL = `private-session.${SCRIPTED_SESSION_ID}`;
export const SCRIPTED_TOKEN = 'hubproof-agent-token';
/** Advertised in `GET /api/hub` unless a case asks for another (300 ms, so heartbeat cases take about a second). */
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 300;

export interface Answer {
  status: number;
  body?: unknown;
}

export interface RouteState {
  app: AppCredentials;
  stream: SyncStream;
  heartbeatIntervalMs: number;
  participants: Map<number, { agent_type: string; active: boolean }>;
  todos: number;
  /** Idempotency-Key → the body and answer of its first use. */
  keys: Map<string, { body: string; answer: Answer }>;
}

/** `/api/sessions/1/participants/7/heartbeat` → `heartbeat`, with the participant id. */
export function routeOf(method: string, path: string): { route: SyncRoute; pid?: number } {
  if (method === 'GET' && path === '/api/hub') return { route: 'hub' };
  if (method === 'POST' && path === '/broadcasting/auth') return { route: 'auth' };
  if (method === 'GET' && /^\/api\/channels\/[^/]+\/events$/.test(path)) return { route: 'history' };
  const s = /^\/api\/sessions\/(\d+)\/(participants|todos)(?:\/(\d+)(\/heartbeat)?)?$/.exec(path);
  if (s && Number(s[1]) === SCRIPTED_SESSION_ID) {
    const pid = s[3] !== undefined ? Number(s[3]) : undefined;
    if (s[2] === 'todos' && method === 'POST' && pid === undefined) return { route: 'create' };
    if (s[2] === 'participants' && method === 'POST' && pid === undefined) return { route: 'join' };
    if (s[2] === 'participants' && method === 'POST' && s[4]) return { route: 'heartbeat', pid };
    if (s[2] === 'participants' && method === 'DELETE' && !s[4]) return { route: 'leave', pid };
  }
  return { route: 'other' };
}

const error = (status: number, code: string, message: string): Answer => ({ status, body: { error: { code, message } } });

export function answer(
  state: RouteState,
  req: {
    route: SyncRoute;
    pid?: number;
    method: string;
    path: string;
    query: URLSearchParams;
    headers: Record<string, string>;
    body: string;
  },
): Answer {
  if (req.route === 'other') return error(404, 'not_found', `${req.method} ${req.path} is not a route of the scripted sync API`);
  if (req.headers.authorization !== `Bearer ${SCRIPTED_TOKEN}`) return error(401, 'unauthenticated', 'Bearer token missing or unknown');
  const now = new Date().toISOString();
  switch (req.route) {
    case 'hub':
      return { status: 200, body: scriptedHubInfo(state.heartbeatIntervalMs) };
    case 'auth': {
      const form = new URLSearchParams(req.body);
      const socketId = form.get('socket_id') ?? '';
      const channel = form.get('channel_name') ?? '';
      if (channel !== SESSION_CHANNEL) return error(403, 'forbidden', `${channel} is not this agent's session channel`);
      return { status: 200, body: { auth: signChannelAuth(state.app, socketId, channel) } };
    }
    case 'join': {
      const agentType = String(parse(req.body).agent_type ?? 'agent');
      const pid = state.participants.size + 1;
      state.participants.set(pid, { agent_type: agentType, active: true });
      const p = { participant_id: pid, session_id: SCRIPTED_SESSION_ID, agent_identifier: `agent-${pid}`, agent_type: agentType };
      state.stream.broadcast(SESSION_CHANNEL, 'AgentParticipantJoined', p);
      return { status: 201, body: { ...p, joined_at: now, last_heartbeat_at: now, status: 'active' } };
    }
    case 'heartbeat':
      return state.participants.get(req.pid!)?.active ? { status: 204 } : error(404, 'not_found', `participant ${req.pid} is not active`);
    case 'leave': {
      const p = state.participants.get(req.pid!);
      if (!p?.active) return error(404, 'not_found', `participant ${req.pid} is not active`);
      p.active = false;
      state.stream.broadcast(SESSION_CHANNEL, 'AgentParticipantLeft', {
        participant_id: req.pid,
        agent_identifier: `agent-${req.pid}`,
        agent_type: p.agent_type,
        session_id: SCRIPTED_SESSION_ID,
        reason: 'left',
      });
      return { status: 204 };
    }
    case 'create':
      return create(state, req.headers['idempotency-key'], req.body, now);
    case 'history': {
      const channel = decodeURIComponent(req.path.split('/')[3]!);
      const after = Number(req.query.get('after_seq') ?? 0);
      const all = state.stream.history.get(channel) ?? [];
      const limit = Math.min(Number(req.query.get('limit') ?? 100) || 100, 100);
      return { status: 200, body: { channel, events: all.filter((e) => e.seq > after).slice(0, limit), last_seq: all.length } };
    }
    default:
      return error(404, 'not_found', 'no such route');
  }
}

function create(state: RouteState, key: string | undefined, body: string, now: string): Answer {
  if (key !== undefined) {
    const first = state.keys.get(key);
    if (first && first.body !== body) return error(422, 'idempotency_key_reused', `Idempotency-Key ${key} was used with another body`);
    if (first) return first.answer;
  }
  const b = parse(body);
  const todo = {
    todo_id: ++state.todos,
    session_id: SCRIPTED_SESSION_ID,
    title: String(b.title ?? ''),
    description: String(b.description ?? ''),
    status: 'open',
    version: 1,
    created_by: 'agent-1',
    created_at: now,
  };
  state.stream.broadcast(SESSION_CHANNEL, 'AgentTodoChanged', { session_id: SCRIPTED_SESSION_ID, change: 'created', todo });
  const result: Answer = { status: 201, body: todo };
  if (key !== undefined) state.keys.set(key, { body, answer: result });
  return result;
}

function parse(body: string): Record<string, unknown> {
  try {
    const v = JSON.parse(body) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** What the scripted API answers `GET /api/hub`: what it advertises to the agent (reports show it as the run's hub). */
export function scriptedHubInfo(heartbeatIntervalMs = DEFAULT_HEARTBEAT_INTERVAL_MS): HubInfo {
  return {
    name: 'hubproof scripted sync API',
    version: '1',
    spec_version: '1',
    profiles: ['pusher', 'sync'],
    capabilities: { client_events: false, cache_channels: false, encrypted_channels: false, signin: false, webhooks: false },
    limits: {
      max_participants: 10,
      max_dashboards_per_session: 10,
      max_event_bytes: 10_240,
      max_channels_per_event: 100,
      max_batch_events: 10,
      client_events_per_second: 10,
      history_page_max: 100,
    },
    timings: {
      activity_timeout_s: SYNC_ACTIVITY_TIMEOUT_S,
      pong_timeout_ms: 30_000,
      heartbeat_interval_ms: heartbeatIntervalMs,
      heartbeat_timeout_ms: heartbeatIntervalMs * 4,
      stale_grace_ms: 5000,
      conflict_threshold: 0.85,
      conflict_budget_ms: 250,
      idle_after_ms: 60_000,
      offline_after_ms: 120_000,
    },
  };
}
