/**
 * The hub's SQLite database (better-sqlite3, WAL). `synchronous = FULL` so a 2xx means the event is on
 * disk: a SIGKILL right after the response loses nothing acknowledged.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

// implements: sync/delivery/1, sync/delivery/2, agent-presence/persistence/1
export function openDatabase(dataDir: string): Database.Database {
  if (dataDir === ':memory:') return new Database(':memory:');
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, 'hub.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  return db;
}

/** A cluster node's in-memory copy of the shared state: empty, or the image from the last snapshot (base64). */
export function openSnapshotDatabase(image: string | undefined): Database.Database {
  return image === undefined ? new Database(':memory:') : new Database(Buffer.from(image, 'base64'));
}
