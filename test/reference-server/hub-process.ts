/**
 * `hubproof hub` as a user runs it, for the CLI tests: a real child process through bin/hubproof.js
 * with its output collected, temporary directories, and cleanup of both after the file's tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const BIN = join(import.meta.dirname, '../../bin/hubproof.js');

/** Registers an afterAll that kills what is still running and removes the directories. */
export function hubProcesses() {
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  return {
    tempDir(): string {
      const d = mkdtempSync(join(tmpdir(), 'hubproof-cli-'));
      dirs.push(d);
      return d;
    },
    spawnHub(args: string[], env: NodeJS.ProcessEnv = process.env) {
      const child = spawn(process.execPath, [BIN, 'hub', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
      children.push(child);
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      return { child, exited, out: () => stdout, err: () => stderr };
    },
  };
}
