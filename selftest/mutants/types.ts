/**
 * Mutants: deliberately broken hubs that each violate one requirement, so the suite can be shown to
 * fail (mutation testing of the conformance suite). A mutant is data — which requirement it breaks,
 * which selectors prove it, and how to start it — so the self-test and `npm run mutants` share one list.
 */
import type { RunOptions, RunReport } from '../../conformance/runner.ts';
import type { BrokenHub } from '../kit/broken-hub.ts';

/** Its target points at the mutating relay; a complete target file, `restart.command` included. */
export type RunningMutant = BrokenHub;

export interface Mutant {
  /** Kebab-case, unique: `swap-events`. */
  name: string;
  /** The registry id of the requirement this hub violates; the suite must fail a case of exactly this id. */
  breaks: string;
  /** Narrow selectors that include `breaks` (kept small so the self-test runs in minutes). */
  selectors: string[];
  /** What the broken hub does wrong, one sentence. */
  describe: string;
  /** Run options the mutant needs (a short --hub-down-wait for a hub that never comes back). */
  runOptions?: Pick<RunOptions, 'hubDownWaitMs' | 'strict' | 'concurrency'>;
  /** Beyond failing `breaks`: what else the run must say (the exact outcome set), as problems; none = told the truth. */
  judge?(report: RunReport): string[];
  /** How long a run against it may take when that is more than a minute (it waits out a hub timer). */
  slowMs?: number;
  start(): Promise<RunningMutant>;
}
