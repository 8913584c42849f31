/**
 * A typed client for the `sync` profile's HTTP API. Every call goes through `httpRequest` (logged, with
 * a deadline); every 2xx body is validated with the spec's zod schemas, and a mismatch is a
 * CheckFailure naming the field, never a crash. A non-2xx answer is an `ApiError` (also a
 * CheckFailure) carrying the status and the error code, so negative cases can assert on it.
 */
import type { z } from 'zod';
import { ErrorBody } from '../../spec/schemas/common.ts';
import { BroadcastingAuthResponse, HistoryPage, HubInfo, Participant, Session, Todo, TodoList } from '../../spec/schemas/sync.ts';
import { CheckFailure, type CaseContext } from '../types.ts';
import { parseBody } from '../verify.ts';
import { httpRequest, joinUrl, type HttpResponse } from './http.ts';
import { openPusherSocket, type PusherSocket } from './pusher-socket.ts';

export type SyncAgent = CaseContext['target']['agents'][number];
export type SessionT = z.infer<typeof Session>;
export type ParticipantT = z.infer<typeof Participant>;
export type TodoT = z.infer<typeof Todo>;
export type HistoryPageT = z.infer<typeof HistoryPage>;

/** A non-2xx answer. `code` is the ErrorBody code when the body is one, else undefined. */
export class ApiError extends CheckFailure {
  constructor(
    readonly what: string,
    readonly status: number,
    readonly code: string | undefined,
    readonly response: HttpResponse,
  ) {
    super(`${what} answered ${status}${code ? ` ${code}` : ''}`, `${what} to succeed`, `${status} ${response.text.slice(0, 300)}`);
  }
}

/** Validates `value` with `schema` (see verify.ts); kept here because every sync client call uses it. */
export { parseBody };

export interface SyncRequest {
  method: string;
  /** Path below the node's HTTP base (`/api/sessions`). */
  path: string;
  body?: string | object;
  headers?: Record<string, string>;
  /** Omit the bearer token (401 checks); or send another token. */
  token?: string | null;
  timeoutMs?: number;
}

export interface SyncApiOptions {
  node?: CaseContext['node'];
  /** Per-request deadline, default 5000 ms. */
  timeoutMs?: number;
}

export class SyncApi {
  constructor(
    readonly ctx: CaseContext,
    readonly agent: SyncAgent,
    private readonly opts: SyncApiOptions = {},
  ) {}

  /** Any request as this agent; never throws on a status, only on no answer. */
  raw(req: SyncRequest): Promise<HttpResponse> {
    const node = this.opts.node ?? this.ctx.node;
    const headers: Record<string, string> = { accept: 'application/json', ...(req.headers ?? {}) };
    const token = req.token === undefined ? this.agent.token : req.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    return httpRequest(this.ctx, {
      method: req.method,
      url: joinUrl(node.http, req.path),
      headers,
      body: req.body,
      timeoutMs: req.timeoutMs ?? this.opts.timeoutMs,
    });
  }

  /** Sends and returns the validated 2xx body; non-2xx → ApiError. */
  async call<S extends z.ZodType>(schema: S | null, req: SyncRequest, what = `${req.method} ${req.path}`): Promise<z.infer<S>> {
    const res = await this.raw(req);
    if (res.status < 200 || res.status > 299) throw new ApiError(what, res.status, errorCode(res), res);
    if (schema === null) return undefined as z.infer<S>;
    return parseBody(schema, res.json, what);
  }

  hubInfo(): Promise<HubInfo> {
    return this.call(HubInfo, { method: 'GET', path: '/api/hub' });
  }

  /** POST /broadcasting/auth as Laravel's auth endpoint takes it: form-encoded, bearer token. */
  authorize(socketId: string, channel: string, token?: string | null): Promise<HttpResponse> {
    return this.raw({
      method: 'POST',
      path: '/broadcasting/auth',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ socket_id: socketId, channel_name: channel }).toString(),
      token,
    });
  }

  createSession(body: { project_id: number; issue_id: number; coordinator_type: string }, idempotencyKey?: string): Promise<SessionT> {
    return this.call(Session, { method: 'POST', path: '/api/sessions', body, headers: keyHeader(idempotencyKey) });
  }

  join(sessionId: number, agentType: string, idempotencyKey?: string): Promise<ParticipantT> {
    return this.call(Participant, {
      method: 'POST',
      path: `/api/sessions/${sessionId}/participants`,
      body: { agent_type: agentType },
      headers: keyHeader(idempotencyKey),
    });
  }

  async heartbeat(sessionId: number, pid: number): Promise<void> {
    await this.call(null, { method: 'POST', path: `/api/sessions/${sessionId}/participants/${pid}/heartbeat` });
  }

  async leave(sessionId: number, pid: number): Promise<void> {
    await this.call(null, { method: 'DELETE', path: `/api/sessions/${sessionId}/participants/${pid}` });
  }

  createTodo(sessionId: number, body: { title: string; description?: string }, idempotencyKey?: string): Promise<TodoT> {
    return this.call(Todo, { method: 'POST', path: `/api/sessions/${sessionId}/todos`, body, headers: keyHeader(idempotencyKey) });
  }

  patchTodo(
    sessionId: number,
    todoId: number,
    body: { title?: string; description?: string; status?: TodoT['status']; expected_version: number },
    idempotencyKey?: string,
  ): Promise<TodoT> {
    return this.call(Todo, {
      method: 'PATCH',
      path: `/api/sessions/${sessionId}/todos/${todoId}`,
      body,
      headers: keyHeader(idempotencyKey),
    });
  }

  async listTodos(sessionId: number): Promise<TodoT[]> {
    return (await this.call(TodoList, { method: 'GET', path: `/api/sessions/${sessionId}/todos` })).todos;
  }

  /** One history page: `GET /api/channels/{channel}/events?after_seq&limit`. */
  events(channel: string, q: { afterSeq?: number; limit?: number } = {}): Promise<HistoryPageT> {
    const qs = new URLSearchParams();
    if (q.afterSeq !== undefined) qs.set('after_seq', String(q.afterSeq));
    if (q.limit !== undefined) qs.set('limit', String(q.limit));
    const query = qs.size ? `?${qs.toString()}` : '';
    return this.call(HistoryPage, { method: 'GET', path: `/api/channels/${encodeURIComponent(channel)}/events${query}` });
  }

  /** Every event after `afterSeq`, following pages until one comes back empty (bounded by `maxPages`). */
  async allEvents(channel: string, afterSeq = 0, opts: { limit?: number; maxPages?: number } = {}): Promise<HistoryPageT> {
    const events: HistoryPageT['events'] = [];
    let cursor = afterSeq;
    let lastSeq = 0;
    for (let page = 0; page < (opts.maxPages ?? 100); page++) {
      const p = await this.events(channel, { afterSeq: cursor, limit: opts.limit });
      lastSeq = p.last_seq;
      events.push(...p.events);
      const tail = p.events.at(-1);
      if (!tail || tail.seq >= p.last_seq) break;
      if (tail.seq <= cursor) {
        throw new CheckFailure(
          `history of ${channel} did not advance past after_seq=${cursor}`,
          `events with seq > ${cursor}`,
          `last event seq ${tail.seq}`,
        );
      }
      cursor = tail.seq;
    }
    return { channel, events, last_seq: lastSeq };
  }
}

/** Asserts `promise` rejects with an ApiError of `status` (and `code`), validating the ErrorBody. */
export async function expectApiError(
  ctx: CaseContext,
  promise: Promise<unknown>,
  status: number,
  code?: string,
  what = 'request',
): Promise<ApiError> {
  let err: unknown;
  try {
    await promise;
  } catch (e) {
    err = e;
  }
  if (!(err instanceof ApiError)) {
    if (err !== undefined) throw err;
    ctx.fail(`${what} succeeded`, { expected: `${status}${code ? ` ${code}` : ''}`, actual: '2xx' });
  }
  checkErrorResponse(ctx, err.response, status, code, what);
  return err;
}

/** Checks a raw response is `status` with a JSON ErrorBody (and `code`). */
export function checkErrorResponse(ctx: CaseContext, res: HttpResponse, status: number, code: string | undefined, what: string): void {
  const got = errorCode(res);
  if (res.status !== status || (code !== undefined && got !== code)) {
    ctx.fail(`${what} answered ${res.status}${got ? ` ${got}` : ''}`, {
      expected: `${status}${code ? ` ${code}` : ''}`,
      actual: `${res.status} ${res.text.slice(0, 300)}`,
    });
  }
  parseBody(ErrorBody, res.json, `${what} error body`);
}

export function errorCode(res: HttpResponse): string | undefined {
  const parsed = ErrorBody.safeParse(res.json);
  return parsed.success ? parsed.data.error.code : undefined;
}

function keyHeader(key: string | undefined): Record<string, string> {
  return key === undefined ? {} : { 'idempotency-key': key };
}

/** The target's agents; cases that need `n` of them skip with a reason when the target has fewer. */
export function syncAgents(ctx: CaseContext, n = 1): SyncAgent[] {
  const agents = ctx.target.agents;
  if (agents.length < n) ctx.skip(`target lists ${agents.length} agent(s); this case needs ${n}`);
  return agents.slice(0, Math.max(n, agents.length));
}

/** A project every one of `agents` may see, or skip. */
export function sharedProject(ctx: CaseContext, agents: SyncAgent[]): number {
  const first = agents[0]?.projects ?? [];
  const p = first.find((id) => agents.every((a) => a.projects.includes(id)));
  if (p === undefined) ctx.skip('the target has no project shared by the agents this case needs');
  return p;
}

/**
 * Opens a Pusher socket (or uses `socket`), authorizes `channel` through `POST /broadcasting/auth` as
 * `agent`, and subscribes with the signature the hub returned.
 */
export async function subscribeSync(
  ctx: CaseContext,
  agent: SyncAgent,
  channel: string,
  opts: { socket?: PusherSocket; node?: CaseContext['node'] } = {},
): Promise<PusherSocket> {
  const socket = opts.socket ?? (await openPusherSocket(ctx, opts.node ? { node: opts.node } : {}));
  const api = new SyncApi(ctx, agent, opts.node ? { node: opts.node } : {});
  const res = await api.authorize(socket.socketId, channel);
  if (res.status !== 200) throw new ApiError(`POST /broadcasting/auth for ${channel}`, res.status, errorCode(res), res);
  const { auth } = parseBody(BroadcastingAuthResponse, res.json, 'POST /broadcasting/auth');
  await socket.subscribe(channel, { auth });
  return socket;
}
