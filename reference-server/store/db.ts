/**
 * The hub's SQLite database (better-sqlite3, WAL). `synchronous = FULL` so a 2xx means the event is on
 * disk: a SIGKILL right after the response loses nothing acknowledged.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { HubproofError } from '../../spec/errors.ts';

/**
 * better-sqlite3 loads its native module on the first `new Database`. An install that skipped its install
 * script (`--ignore-scripts`, an npm `allowScripts` entry set to false) or built it for another Node has
 * none that loads: say what to run instead of the bindings package's list of paths.
 */
export const SQLITE_NATIVE_FIX =
  'npm rebuild better-sqlite3 (where npm lists install scripts under allowScripts, first: npm install-scripts approve better-sqlite3)';

function open(file: string | Buffer): Database.Database {
  try {
    return new Database(file);
  } catch (err) {
    const message = (err as Error).message ?? '';
    if (/Could not locate the bindings file|NODE_MODULE_VERSION|invalid ELF header|better_sqlite3\.node/.test(message))
      throw new HubproofError(
        'HUBPROOF_ERR_SQLITE_NATIVE',
        `the reference hub needs better-sqlite3's native module, which this install has not built (${message.split('\n')[0]!.slice(0, 80)}); run: ${SQLITE_NATIVE_FIX}`,
      );
    throw err;
  }
}

// implements: sync/delivery/1, sync/delivery/2, agent-presence/persistence/1
export function openDatabase(dataDir: string): Database.Database {
  if (dataDir === ':memory:') return open(':memory:');
  mkdirSync(dataDir, { recursive: true });
  const db = open(join(dataDir, 'hub.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  return db;
}

/** A cluster node's in-memory copy of the shared state: empty, or the image from the last snapshot (base64). */
export function openSnapshotDatabase(image: string | undefined): Database.Database {
  return open(image === undefined ? ':memory:' : Buffer.from(image, 'base64'));
}
