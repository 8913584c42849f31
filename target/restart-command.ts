/** A target file's `restart.command`, as the restart hook persistence and shutdown cases call. */
import { spawn } from 'node:child_process';
import type { TargetFile } from '../spec/target.ts';
import { waitUntilReachable } from './probe.ts';

/** How long the command may run, then how long the hub may take to answer again. */
const COMMAND_TIMEOUT_MS = 60_000;
const BACK_WITHIN_MS = 30_000;

/** Runs the command through the shell, then waits until the hub answers again; undefined without one. */
export function commandRestart(target: TargetFile): (() => Promise<void>) | undefined {
  const command = target.restart?.command;
  if (!command) return undefined;
  return async () => {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(command, { shell: true, stdio: 'ignore' });
      const timer = setTimeout(
        () => (child.kill('SIGKILL'), reject(new Error(`restart command did not finish within ${COMMAND_TIMEOUT_MS / 1000} s: ${command}`))),
        COMMAND_TIMEOUT_MS,
      );
      child.once('exit', (code) => (clearTimeout(timer), code === 0 ? resolve() : reject(new Error(`restart command exited ${code}: ${command}`))));
    });
    await waitUntilReachable(target, BACK_WITHIN_MS);
  };
}
