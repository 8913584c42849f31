/**
 * How the storm restarts the hub: the embedded hub stopped and started again after `outageS` (its
 * `outage`), else the target file's `restart.command`, else every node's `nodes[i].restart.command` at
 * once (as conformance/revive.ts uses them), else the handle's own restart (an embedded cluster). Without
 * any, the scenario is skipped with the reason.
 */
import { commandRestart, nodeRestart } from '../../target/restart-command.ts';
import type { TargetHandle } from '../../target/handle.ts';
import type { Scenario } from '../scenarios/types.ts';

export type StormRestarts = Pick<TargetHandle, 'outage' | 'restart'>;

export interface StormRestart {
  how: string;
  outageAskedS: number | null;
  run(): Promise<void>;
}

export const NO_RESTART =
  'no way to restart the target: give the target file a restart.command (or nodes[i].restart.command), or run against the embedded hub';

export function stormRestart(handle: StormRestarts & Pick<TargetHandle, 'target'>, s: Scenario): StormRestart | undefined {
  if (handle.outage) {
    const outage = handle.outage;
    return {
      how: `the embedded hub stopped (${s.stopSignal}), down ${s.outageS} s, started again on the same port and data`,
      outageAskedS: s.outageS,
      run: () => outage({ downMs: s.outageS * 1000, signal: s.stopSignal }),
    };
  }
  const command = commandRestart(handle.target);
  if (command) return { how: `the target's restart.command (${handle.target.restart!.command})`, outageAskedS: null, run: command };
  const nodes = nodeRestart(handle.target, undefined);
  const all = handle.target.nodes.map((_, i) => i);
  if (nodes && all.every((i) => nodes.can(i)))
    return {
      how: `every node's restart.command at once (${all.length} node${all.length > 1 ? 's' : ''})`,
      outageAskedS: null,
      run: async () => void (await Promise.all(all.map((i) => nodes.restart(i)))),
    };
  if (handle.restart) return { how: 'the embedded hub restarted in place (no downtime asked)', outageAskedS: null, run: handle.restart };
  return undefined;
}
