/**
 * Idempotency-Key handling, scoped per agent: a repeated request with the same key and the same
 * method, path and JSON body gets the stored status and body back and changes (and emits) nothing;
 * the same key with a different request is 422 idempotency_key_reused. Lookup and save run inside
 * the mutation's transaction, so a stored result always matches what was committed.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Database, Statement } from 'better-sqlite3';
import { HttpError } from '../http/router.ts';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export interface StoredResult {
  status: number;
  body: unknown;
}

/** The request's Idempotency-Key, validated; undefined when absent. */
export function idempotencyKey(req: IncomingMessage): string | undefined {
  const raw = req.headers[IDEMPOTENCY_HEADER];
  if (raw === undefined) return undefined;
  const key = Array.isArray(raw) ? raw.join(',') : raw;
  if (!KEY_PATTERN.test(key)) {
    throw new HttpError(400, 'validation_failed', 'header Idempotency-Key: must be 1-255 printable ASCII characters without spaces');
  }
  return key;
}

/** JSON with object keys sorted, so `{"a":1,"b":2}` and `{"b":2,"a":1}` are the same request. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

// implements: sync/idempotency/3
export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${canonicalJson(body)}`)
    .digest('hex');
}

export class IdempotencyStore {
  private readonly find: Statement<[string, string], { request_hash: string; status: number; body: string }>;
  private readonly insert: Statement<[string, string, string, number, string, number]>;

  constructor(db: Database) {
    this.find = db.prepare('SELECT request_hash, status, body FROM sync_idempotency WHERE agent_identifier = ? AND idempotency_key = ?');
    this.insert = db.prepare(
      'INSERT INTO sync_idempotency (agent_identifier, idempotency_key, request_hash, status, body, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
  }

  /** The stored result for this key, or undefined; 422 when the key was used for another request. */
  // implements: sync/idempotency/3, sync/idempotency/6
  lookup(agent: string, key: string, hash: string): StoredResult | undefined {
    const row = this.find.get(agent, key);
    if (!row) return undefined;
    if (row.request_hash !== hash) {
      throw new HttpError(
        422,
        'idempotency_key_reused',
        `Idempotency-Key "${key}" was already used with a different request; use a new key`,
      );
    }
    return { status: row.status, body: JSON.parse(row.body) as unknown };
  }

  save(agent: string, key: string, hash: string, result: StoredResult, now: number): void {
    this.insert.run(agent, key, hash, result.status, JSON.stringify(result.body), now);
  }
}
