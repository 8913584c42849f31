/**
 * Request input for the JSON APIs of the sync and agent-presence profiles: bearer-token agents,
 * content-type checks (415), JSON parsing (400 invalid_json) and zod validation (400 validation_failed
 * naming the field). Everything here throws HttpError so the router answers `{error:{code,message}}`.
 */
import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import { safeEqual } from '../../spec/protocol/signing.ts';
import type { HubConfig } from '../config.ts';
import { HttpError, parseJsonBody } from '../http/router.ts';

export type Agent = HubConfig['agents'][number];

/** The token of `Authorization: Bearer <token>`, or undefined. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1];
}

/** The configured agent owning `token` (constant-time compare against every token). */
export function findAgent(agents: readonly Agent[], token: string | undefined): Agent | undefined {
  if (token === undefined) return undefined;
  let found: Agent | undefined;
  for (const agent of agents) if (safeEqual(agent.token, token) && !found) found = agent;
  return found;
}

/** 401 unless the request carries a known agent's bearer token. */
// implements: sync/auth/1, agent-presence/api/6
export function requireAgent(agents: readonly Agent[], req: IncomingMessage): Agent {
  const agent = findAgent(agents, bearerToken(req));
  if (!agent) {
    throw new HttpError(401, 'unauthenticated', 'send Authorization: Bearer <token> with an agent token from the hub config');
  }
  return agent;
}

export function mediaType(req: IncomingMessage): string | undefined {
  const header = req.headers['content-type'];
  if (typeof header !== 'string' || header.trim() === '') return undefined;
  return header.split(';')[0]!.trim().toLowerCase();
}

export function isJsonMediaType(type: string): boolean {
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/**
 * Parses a JSON request body. A declared non-JSON content type is 415 even with an empty body;
 * an undeclared type is tolerated only when there is no body (read as `{}`).
 */
// implements: sync/bad-input/2
export function readJson(req: IncomingMessage, body: string): unknown {
  const type = mediaType(req);
  if (type === undefined ? body.trim() !== '' : !isJsonMediaType(type)) {
    throw new HttpError(415, 'unsupported_media_type', `send the body as application/json (got ${type ?? 'no content-type'})`);
  }
  return parseJsonBody(body);
}

/** Validates with a zod schema; the message names the first failing field. */
// implements: sync/errors/4, sync/bad-input/4, agent-presence/bad-input/2
export function validate<S extends z.ZodType>(schema: S, value: unknown, where = 'body'): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = [where, ...issue.path.map(String)].join('.');
    const more = parsed.error.issues.length > 1 ? ` (+${parsed.error.issues.length - 1} more)` : '';
    throw new HttpError(400, 'validation_failed', `${field}: ${issue.message}${more}`);
  }
  return parsed.data;
}

/** Path ids are positive integers; anything else cannot name a stored row, so it is 404. */
// implements: sync/errors/2, sync/bad-input/4
export function pathId(value: string | undefined, what: string): number {
  if (value === undefined || !/^[1-9][0-9]{0,15}$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new HttpError(404, 'not_found', `${what} "${value ?? ''}" does not exist`);
  }
  return Number(value);
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
