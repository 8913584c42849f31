/**
 * What a runner (conformance, load, certify) is given to reach a hub: the target file, plus what only
 * whoever started the hub knows. Runners never start hubs; the CLI does (cli/embedded-target.ts).
 */
import type { TargetFile } from '../spec/target.ts';

/**
 * How the CLI runs the embedded reference hub: inside the harness process, or as a process of its own
 * (`hubproof hub`), so its CPU and RSS are its own.
 */
export type EmbeddedMode = 'in-process' | 'child';

/** Kills and restarts one node of a clustered hub (`i` indexes the target's `nodes`). */
export interface NodeControl {
  /** Kills node `i` without a goodbye, as a crash would (SIGKILL); resolves once it is gone. */
  kill(i: number): Promise<void>;
  /** Brings node `i` back on the same URLs (started again after a kill); resolves once it answers. */
  restart(i: number): Promise<void>;
}

/** Restarts single nodes of a clustered hub after a crash; `can(i)`: node `i` has a restart of its own. */
export interface NodeRestart {
  can(i: number): boolean;
  restart(i: number): Promise<void>;
}

/**
 * Stops the hub, keeps it down for `downMs` (from the stop), starts it again on the same URLs and data;
 * resolves once it answers. `signal`: SIGTERM is a graceful stop (connections closed with 4200), SIGKILL
 * a crash.
 */
export type HubOutage = (o: { downMs: number; signal: 'SIGTERM' | 'SIGKILL' }) => Promise<void>;

export interface TargetHandle {
  target: TargetFile;
  /** Restarts the hub on the same URLs and data; absent = the target file's `restart.command`, if any. */
  restart?: () => Promise<void>;
  /** A restart with downtime (the embedded hub's); absent = the target file's restart commands, if any. */
  outage?: HubOutage;
  /** Set when the hub is the embedded reference hub: replay commands omit `--target`, reports say so. */
  embedded?: EmbeddedMode;
  /** Kills and restarts single nodes; absent = the target file's `nodes[i].kill` / `nodes[i].restart` commands, if any. */
  nodeControl?: NodeControl;
  /**
   * Set when a cluster was asked for (`--cluster N`) and the harness could not start one (no
   * redis-server): why the hub runs as one node. Cluster cases are skipped with it, so the report says
   * what to install rather than only "needs a cluster target".
   */
  singleNodeBecause?: string;
}
