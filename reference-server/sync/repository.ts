/**
 * Rows of the sync profile and their API shapes (spec/schemas/sync.ts: Session, Participant, Todo).
 * Prepared once; every call is synchronous, so the caller's transaction covers it.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { z } from 'zod';
import type { Participant, Session, Todo } from '../../spec/schemas/sync.ts';
import { iso } from './http-input.ts';

export interface SessionRow {
  session_id: number;
  project_id: number;
  issue_id: number;
  coordinator_type: string;
  created_by: string;
  started_at: number;
}
export interface ParticipantRow {
  participant_id: number;
  session_id: number;
  agent_identifier: string;
  agent_type: string;
  joined_at: number;
  last_heartbeat_at: number;
  status: 'active' | 'left' | 'stale';
}
export interface TodoRow {
  todo_id: number;
  session_id: number;
  title: string;
  description: string;
  status: 'open' | 'done' | 'cancelled';
  version: number;
  created_by: string;
  created_by_type: string;
  updated_by_type: string;
  created_at: number;
}

export const sessionJson = (r: SessionRow): z.infer<typeof Session> => ({
  session_id: r.session_id,
  project_id: r.project_id,
  issue_id: r.issue_id,
  coordinator_type: r.coordinator_type,
  started_at: iso(r.started_at),
});
export const participantJson = (r: ParticipantRow): z.infer<typeof Participant> => ({
  participant_id: r.participant_id,
  session_id: r.session_id,
  agent_identifier: r.agent_identifier,
  agent_type: r.agent_type,
  joined_at: iso(r.joined_at),
  last_heartbeat_at: iso(r.last_heartbeat_at),
  status: r.status,
});
export const todoJson = (r: TodoRow): z.infer<typeof Todo> => ({
  todo_id: r.todo_id,
  session_id: r.session_id,
  title: r.title,
  description: r.description,
  status: r.status,
  version: r.version,
  created_by: r.created_by,
  created_at: iso(r.created_at),
});

export class SyncRepository {
  readonly insertSession: Statement<[number, number, string, string, number]>;
  readonly session: Statement<[number], SessionRow>;
  /** The project of the first session naming an issue, which fixes who may see the issue channel. */
  readonly issueProject: Statement<[number], { project_id: number }>;
  readonly insertParticipant: Statement<[number, string, string, number, number]>;
  readonly participant: Statement<[number], ParticipantRow>;
  readonly participants: Statement<[number], ParticipantRow>;
  readonly activeCount: Statement<[number], { n: number }>;
  readonly isActiveParticipant: Statement<[number, string], { n: number }>;
  /** The agent_type the agent goes by in a session: its latest active participant, else its latest one. */
  readonly agentTypeIn: Statement<[number, string], { agent_type: string }>;
  readonly setParticipantStatus: Statement<[string, number]>;
  readonly touchHeartbeat: Statement<[number, number]>;
  readonly staleCandidates: Statement<[number], ParticipantRow>;
  readonly insertTodo: Statement<[number, string, string, string, string, string, number]>;
  readonly todo: Statement<[number], TodoRow>;
  readonly todos: Statement<[number], TodoRow>;
  readonly openTodosExcept: Statement<[number, number], TodoRow>;
  readonly updateTodo: Statement<[string, string, string, string, number]>;
  readonly insertConflict: Statement<[number, string, string, number, number | null, string, number]>;

  constructor(db: Database) {
    this.insertSession = db.prepare(
      'INSERT INTO sync_sessions (project_id, issue_id, coordinator_type, created_by, started_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.session = db.prepare('SELECT * FROM sync_sessions WHERE session_id = ?');
    this.issueProject = db.prepare('SELECT project_id FROM sync_sessions WHERE issue_id = ? ORDER BY session_id LIMIT 1');
    this.insertParticipant = db.prepare(
      `INSERT INTO sync_participants (session_id, agent_identifier, agent_type, joined_at, last_heartbeat_at, status)
       VALUES (?, ?, ?, ?, ?, 'active')`,
    );
    this.participant = db.prepare('SELECT * FROM sync_participants WHERE participant_id = ?');
    this.participants = db.prepare('SELECT * FROM sync_participants WHERE session_id = ? ORDER BY participant_id');
    this.activeCount = db.prepare("SELECT COUNT(*) AS n FROM sync_participants WHERE session_id = ? AND status = 'active'");
    this.isActiveParticipant = db.prepare(
      "SELECT COUNT(*) AS n FROM sync_participants WHERE session_id = ? AND agent_identifier = ? AND status = 'active'",
    );
    this.agentTypeIn = db.prepare(
      `SELECT agent_type FROM sync_participants WHERE session_id = ? AND agent_identifier = ?
       ORDER BY status = 'active' DESC, participant_id DESC LIMIT 1`,
    );
    this.setParticipantStatus = db.prepare('UPDATE sync_participants SET status = ? WHERE participant_id = ?');
    this.touchHeartbeat = db.prepare('UPDATE sync_participants SET last_heartbeat_at = ? WHERE participant_id = ?');
    this.staleCandidates = db.prepare(
      "SELECT * FROM sync_participants WHERE status = 'active' AND last_heartbeat_at <= ? ORDER BY participant_id",
    );
    this.insertTodo = db.prepare(
      `INSERT INTO sync_todos (session_id, title, description, status, version, created_by, created_by_type, updated_by_type, created_at)
       VALUES (?, ?, ?, 'open', 1, ?, ?, ?, ?)`,
    );
    this.todo = db.prepare('SELECT * FROM sync_todos WHERE todo_id = ?');
    this.todos = db.prepare('SELECT * FROM sync_todos WHERE session_id = ? ORDER BY todo_id');
    this.openTodosExcept = db.prepare(
      "SELECT * FROM sync_todos WHERE session_id = ? AND status = 'open' AND todo_id <> ? ORDER BY todo_id",
    );
    this.updateTodo = db.prepare(
      'UPDATE sync_todos SET title = ?, description = ?, status = ?, updated_by_type = ?, version = version + 1 WHERE todo_id = ?',
    );
    this.insertConflict = db.prepare(
      `INSERT INTO sync_conflicts (session_id, conflict_type, details, kept_todo_id, cancelled_todo_id, strategy, detected_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
  }
}
