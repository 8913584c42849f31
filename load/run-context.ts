/** What every scenario runner gets: the target, how the hub runs (for RSS and CPU attribution), progress output. */
import type { TargetFile } from '../spec/target.ts';
import type { DriverLimits, DriverMonitor } from './driver/driver-monitor.ts';
import type { Progress } from './progress.ts';
import type { Shard } from './driver/shard.ts';
import type { StormRestarts } from './storm/storm-restart.ts';

export interface RunContext {
  target: TargetFile;
  hubMode: 'child' | 'in-process' | 'external';
  /** The hub's pid when its RSS can be sampled (child, in-process, or declared in the target file). */
  hubPid?: number;
  monitor: DriverMonitor;
  /** When the driver counts as saturated. */
  driverLimits: DriverLimits;
  progress: Progress;
  /** This run is one shard of a test (`--shard I/N`). */
  shard?: Shard;
  /** Seconds to wait for the other shards (default 120), and what tells concurrent runs of one test apart. */
  shardWaitS?: number;
  runId?: string;
  /** How the hub can be restarted (the storm scenario): the embedded hub's outage or restart, if any. */
  restarts?: StormRestarts;
}
