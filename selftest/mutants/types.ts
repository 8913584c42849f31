/**
 * Mutants: deliberately broken hubs that each violate one requirement, so the suite can be shown to
 * fail (mutation testing of the conformance suite). A mutant is data — which requirement it breaks,
 * which selectors prove it, and how to start it — so the self-test and `npm run mutants` share one list.
 */
import type { RunOptions, RunReport } from '../../conformance/runner.ts';
import type { NodeControl } from '../../target/handle.ts';
import type { BrokenHub } from '../kit/broken-hub.ts';

/**
 * Its target points at the mutating relay; a complete target file, `restart.command` included. A
 * cluster's also kills and restarts its nodes (behind the relays), for the dead-node case.
 */
export type RunningMutant = BrokenHub & { nodeControl?: NodeControl };

export interface Mutant {
  /** Kebab-case, unique: `swap-events`. */
  name: string;
  /** The registry id of the requirement this hub violates; the suite must fail a case of exactly this id. */
  breaks: string;
  /** Narrow selectors that include `breaks` (kept small so the self-test runs in minutes). */
  selectors: string[];
  /** What the broken hub does wrong, one sentence. */
  describe: string;
  /** Run its selectors with --strict, so a SHOULD it breaks reads `non-strict` rather than `skipped`. */
  strict?: boolean;
  /**
   * The exact run it must produce, when the self-test pins it: every row that does not pass (`id` →
   * outcome, `blocked:<by>` for a blocked row), and the fingerprints of the root-cause groups, each with
   * its row ids. Rows not listed pass.
   */
  story?: { notPassing: Record<string, string>; groups: Record<string, readonly string[]> };
  /** Run options the mutant needs (a short --hub-down-wait for a hub that never comes back). */
  runOptions?: Pick<RunOptions, 'hubDownWaitMs' | 'strict' | 'concurrency'>;
  /** Beyond failing `breaks`: what else the run must say (the exact outcome set), as problems; none = told the truth. */
  judge?(report: RunReport): string[];
  /** How long a run against it may take when that is more than a minute (it waits out a hub timer). */
  slowMs?: number;
  start(): Promise<RunningMutant>;
}

/**
 * A fair mutant: a hub that differs from the reference only where the protocol leaves it free (the order
 * of object keys, the order of a set's members). It breaks nothing, so every case it reaches must pass;
 * a failure is the suite's false failure, never the hub's.
 */
export interface FairMutant {
  name: string;
  /** What it changes, one sentence. */
  describe: string;
  /** What it runs: everything it can reach. */
  selectors: string[];
  start(): Promise<RunningMutant>;
}
