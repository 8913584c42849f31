/**
 * A target file's `restart.command`, as the restart hook persistence and shutdown cases call, and its
 * nodes' `kill` / `restart` commands, as the node control the dead-node case of a cluster calls.
 */
import { spawn } from 'node:child_process';
import type { TargetFile } from '../spec/target.ts';
import type { NodeControl, NodeRestart } from './handle.ts';
import { waitUntilReachable } from './probe.ts';
import { openRestartWitness, untilWelcomed } from './restart-witness.ts';

/** How long the command may run, how long the hub may take to act on it, then to answer again. */
const COMMAND_TIMEOUT_MS = 60_000;
const DOWN_WITHIN_MS = 10_000;
const BACK_WITHIN_MS = 30_000;

/** Runs `command` through the shell; rejects on a non-zero exit or after COMMAND_TIMEOUT_MS. */
function runCommand(what: string, command: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, { shell: true, stdio: 'ignore' });
    const timer = setTimeout(
      () => (child.kill('SIGKILL'), reject(new Error(`${what} command did not finish within ${COMMAND_TIMEOUT_MS / 1000} s: ${command}`))),
      COMMAND_TIMEOUT_MS,
    );
    child.once(
      'exit',
      (code) => (clearTimeout(timer), code === 0 ? resolve() : reject(new Error(`${what} command exited ${code}: ${command}`))),
    );
  });
}

/**
 * Runs the command through the shell, waits until the hub has acted on it (closed a connection opened
 * before it), then until it answers again; undefined without one.
 */
export function commandRestart(target: TargetFile): (() => Promise<void>) | undefined {
  const command = target.restart?.command;
  if (!command) return undefined;
  return async () => {
    const witness = await openRestartWitness(target);
    await runCommand('restart', command);
    await witness.gone(DOWN_WITHIN_MS);
    await waitUntilReachable(target, BACK_WITHIN_MS);
    // Accepting TCP is not enough: a hub still shutting down may accept and close at once.
    if (!(await untilWelcomed(target, BACK_WITHIN_MS)))
      throw new Error(
        `the hub accepted connections but sent no pusher:connection_established within ${BACK_WITHIN_MS / 1000} s of: ${command}`,
      );
  };
}

/**
 * Kill and restart of single nodes through `nodes[i].kill` / `nodes[i].restart`; undefined when no node
 * has both. A node without them throws when asked.
 */
export function commandNodeControl(target: TargetFile): NodeControl | undefined {
  if (!target.nodes.some((n) => n.kill && n.restart)) return undefined;
  const node = (i: number, what: 'kill' | 'restart') => {
    const command = target.nodes[i]?.[what]?.command;
    if (!command) throw new Error(`target node ${i} has no ${what}.command`);
    return command;
  };
  return {
    kill: (i) => runCommand(`node ${i} kill`, node(i, 'kill')),
    restart: (i) => restartNode(target, i, node(i, 'restart')),
  };
}

async function restartNode(target: TargetFile, i: number, command: string): Promise<void> {
  await runCommand(`node ${i} restart`, command);
  await waitUntilReachable({ ...target, nodes: [target.nodes[i]!] }, BACK_WITHIN_MS);
}

/**
 * How a run restarts one node that crashed: the handle's node control (the embedded cluster: every node),
 * else `nodes[i].restart.command` of the nodes that have one (no `kill` needed); undefined when neither.
 */
export function nodeRestart(target: TargetFile, control: NodeControl | undefined): NodeRestart | undefined {
  if (control) return { can: (i) => Number.isInteger(i) && i >= 0 && i < target.nodes.length, restart: (i) => control.restart(i) };
  if (!target.nodes.some((n) => n.restart?.command)) return undefined;
  return {
    can: (i) => Boolean(target.nodes[i]?.restart?.command),
    restart: (i) => {
      const command = target.nodes[i]?.restart?.command;
      if (!command) return Promise.reject(new Error(`target node ${i} has no restart.command`));
      return restartNode(target, i, command);
    },
  };
}
