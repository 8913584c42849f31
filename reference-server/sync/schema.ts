/**
 * SQLite tables of the sync profile. Created idempotently at mount, so an existing data dir is reused
 * as it is (restart = same database). Times are stored as epoch milliseconds and rendered as RFC 3339.
 */
import type { Database } from 'better-sqlite3';

const STATEMENTS = [
  `CREATE TABLE IF NOT EXISTS sync_sessions (
     session_id INTEGER PRIMARY KEY AUTOINCREMENT,
     project_id INTEGER NOT NULL,
     issue_id INTEGER NOT NULL,
     coordinator_type TEXT NOT NULL,
     created_by TEXT NOT NULL,
     started_at INTEGER NOT NULL
   )`,
  // The first session naming an issue fixes the project (channel authorization of private-issue.{id}).
  `CREATE INDEX IF NOT EXISTS sync_sessions_issue ON sync_sessions (issue_id, session_id)`,
  `CREATE TABLE IF NOT EXISTS sync_participants (
     participant_id INTEGER PRIMARY KEY AUTOINCREMENT,
     session_id INTEGER NOT NULL REFERENCES sync_sessions (session_id),
     agent_identifier TEXT NOT NULL,
     agent_type TEXT NOT NULL,
     joined_at INTEGER NOT NULL,
     last_heartbeat_at INTEGER NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('active', 'left', 'stale'))
   )`,
  `CREATE INDEX IF NOT EXISTS sync_participants_session ON sync_participants (session_id, status)`,
  `CREATE INDEX IF NOT EXISTS sync_participants_heartbeat ON sync_participants (status, last_heartbeat_at)`,
  `CREATE TABLE IF NOT EXISTS sync_todos (
     todo_id INTEGER PRIMARY KEY AUTOINCREMENT,
     session_id INTEGER NOT NULL REFERENCES sync_sessions (session_id),
     title TEXT NOT NULL,
     description TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('open', 'done', 'cancelled')),
     version INTEGER NOT NULL,
     created_by TEXT NOT NULL,
     created_by_type TEXT NOT NULL,
     updated_by_type TEXT NOT NULL,
     created_at INTEGER NOT NULL
   )`,
  `CREATE INDEX IF NOT EXISTS sync_todos_session ON sync_todos (session_id, status)`,
  `CREATE TABLE IF NOT EXISTS sync_conflicts (
     conflict_id INTEGER PRIMARY KEY AUTOINCREMENT,
     session_id INTEGER NOT NULL,
     conflict_type TEXT NOT NULL,
     details TEXT NOT NULL,
     kept_todo_id INTEGER NOT NULL,
     cancelled_todo_id INTEGER,
     strategy TEXT NOT NULL,
     detected_at INTEGER NOT NULL
   )`,
  // implements: sync/delivery/2, sync/envelope/3, sync/idempotency/5
  // The event log: what was broadcast, per channel, gapless seq. Written in the same transaction as the
  // state change that caused it, before anything is broadcast or answered.
  `CREATE TABLE IF NOT EXISTS sync_events (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     channel TEXT NOT NULL,
     seq INTEGER NOT NULL,
     event_id TEXT NOT NULL,
     event TEXT NOT NULL,
     data TEXT NOT NULL,
     emitted_at TEXT NOT NULL,
     UNIQUE (channel, seq),
     UNIQUE (channel, event_id)
   )`,
  // implements: sync/idempotency/6
  // Stored results of mutating requests sent with an Idempotency-Key, scoped per agent.
  `CREATE TABLE IF NOT EXISTS sync_idempotency (
     agent_identifier TEXT NOT NULL,
     idempotency_key TEXT NOT NULL,
     request_hash TEXT NOT NULL,
     status INTEGER NOT NULL,
     body TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     PRIMARY KEY (agent_identifier, idempotency_key)
   )`,
];

export function migrateSync(db: Database): void {
  db.transaction(() => {
    for (const sql of STATEMENTS) db.exec(sql);
  })();
}
