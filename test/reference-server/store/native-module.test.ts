/**
 * An install that skipped better-sqlite3's build (npm --ignore-scripts, or allowScripts denying it) has no
 * native module: the reference hub says which command builds it, instead of the bindings package's list
 * of paths. The module is replaced here by one that fails as better-sqlite3 does without its build; the
 * package test (test/package/installed-package.test.ts) sees the same line from a real install.
 */
import { describe, expect, it, vi } from 'vitest';

vi.mock('better-sqlite3', () => ({
  default: class {
    constructor() {
      throw new Error(
        'Could not locate the bindings file. Tried:\n → /p/node_modules/better-sqlite3/build/better_sqlite3.node\n → /p/node_modules/better-sqlite3/build/Release/better_sqlite3.node',
      );
    }
  },
}));

const { openDatabase, openSnapshotDatabase, SQLITE_NATIVE_FIX } = await import('../../../reference-server/store/db.ts');

describe('the hub database without better-sqlite3 native module', () => {
  it('fails with HUBPROOF_ERR_SQLITE_NATIVE and the command that builds it', () => {
    for (const open of [() => openDatabase(':memory:'), () => openSnapshotDatabase(undefined)]) {
      let err: unknown;
      try {
        open();
      } catch (e) {
        err = e;
      }
      expect(err).toMatchObject({ code: 'HUBPROOF_ERR_SQLITE_NATIVE' });
      expect((err as Error).message).toContain(SQLITE_NATIVE_FIX);
      expect((err as Error).message).toContain('npm rebuild better-sqlite3');
      expect((err as Error).message).not.toContain('\n');
    }
  });
});
