/**
 * Mutants: deliberately broken hubs that each violate one requirement, so the suite can be shown to
 * fail (mutation testing of the conformance suite). A mutant is data — which requirement it breaks,
 * which selectors prove it, and how to start it — so the self-test and `npm run mutants` share one list.
 */
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
  start(): Promise<RunningMutant>;
}
