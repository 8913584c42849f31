/** The agent-sync API calls the agents scenario makes, over the keep-alive client, tolerant of body shapes. */
import { randomUUID } from 'node:crypto';
import type { HttpClient, HttpResult } from './http-client.ts';

export class SyncApiError extends Error {
  override readonly name = 'SyncApiError';
}

export class SyncClient {
  constructor(private readonly http: HttpClient) {}

  private call(method: string, path: string, token: string, body?: unknown, idempotent = false): Promise<HttpResult> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
    if (idempotent) headers['idempotency-key'] = randomUUID();
    return this.http.request(method, path, { body: body === undefined ? undefined : JSON.stringify(body), headers });
  }

  private async json(method: string, path: string, token: string, body?: unknown): Promise<Record<string, unknown>> {
    const r = await this.call(method, path, token, body);
    if (r.status < 200 || r.status >= 300) throw new SyncApiError(`${method} ${path} → ${r.status || 'no answer'} ${r.body.slice(0, 200)}`);
    try {
      return JSON.parse(r.body) as Record<string, unknown>;
    } catch {
      throw new SyncApiError(`${method} ${path} answered ${r.status} with a body that is not JSON`);
    }
  }

  async hubInfo(token: string): Promise<{ maxParticipants?: number; heartbeatTimeoutMs?: number }> {
    const r = await this.call('GET', '/api/hub', token);
    if (r.status !== 200) return {};
    try {
      const info = JSON.parse(r.body) as { limits?: { max_participants?: number }; timings?: { heartbeat_timeout_ms?: number } };
      return { maxParticipants: info.limits?.max_participants, heartbeatTimeoutMs: info.timings?.heartbeat_timeout_ms };
    } catch {
      return {};
    }
  }

  async createSession(token: string, projectId: number, issueId: number): Promise<number> {
    const b = await this.json('POST', '/api/sessions', token, {
      project_id: projectId,
      issue_id: issueId,
      coordinator_type: 'hubproof-load',
    });
    return pickId(b, 'session_id', 'session');
  }

  async join(token: string, sessionId: number, agentType: string): Promise<number> {
    const b = await this.json('POST', `/api/sessions/${sessionId}/participants`, token, { agent_type: agentType });
    return pickId(b, 'participant_id', 'participant');
  }

  heartbeat(token: string, sessionId: number, participantId: number): Promise<HttpResult> {
    return this.call('POST', `/api/sessions/${sessionId}/participants/${participantId}/heartbeat`, token);
  }

  createTodo(token: string, sessionId: number, title: string, description: string): Promise<HttpResult> {
    return this.call('POST', `/api/sessions/${sessionId}/todos`, token, { title, description }, true);
  }
}

/** `{session_id}`, `{session:{session_id}}` or `{id}`. */
function pickId(body: Record<string, unknown>, key: string, wrapper: string): number {
  const inner = body[wrapper] as Record<string, unknown> | undefined;
  const v = body[key] ?? inner?.[key] ?? body.id;
  if (typeof v !== 'number') throw new SyncApiError(`response has no numeric ${key}: ${JSON.stringify(body).slice(0, 200)}`);
  return v;
}
