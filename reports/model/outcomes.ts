/**
 * The outcome rules, in one place: what a case row can come out as, what a missed check becomes at each
 * level, how a requirement's rows roll up into its outcome, and which outcomes fail a run. Every
 * renderer and every verdict asks these functions; none decides on its own.
 */
import type { Level } from '../../spec/requirements/types.ts';

/**
 * - `pass`, `fail` (a MUST missed), `non-strict` (a SHOULD/MAY missed), `skipped` (always with a reason),
 *   `unimplemented` (capability or profile absent), `informational`: as in Autobahn|Testsuite.
 * - `blocked`: the case could not judge its requirement (another requirement it relies on was not met,
 *   an earlier check of the same case failed, or the hub was down); carries `blockedBy`; never fails a run.
 * - `expected-fail`: missed, but listed as a known deviation; does not fail the run.
 * - `fixed`: listed as a known deviation, yet passed; fails the run only when the rules say so.
 */
export type Outcome =
  'pass' | 'fail' | 'non-strict' | 'skipped' | 'unimplemented' | 'informational' | 'blocked' | 'expected-fail' | 'fixed';

/** Display order (summaries, cards). The first six always show; the rest only when they occur. */
export const OUTCOMES: readonly Outcome[] = [
  'pass',
  'fail',
  'non-strict',
  'skipped',
  'unimplemented',
  'informational',
  'blocked',
  'expected-fail',
  'fixed',
];
export const CORE_OUTCOMES: readonly Outcome[] = OUTCOMES.slice(0, 6);

/**
 * Worst first: a requirement's outcome is the worst of its rows'. A judged miss outranks a known one,
 * a known one outranks "not judged", and "not judged" outranks a pass, so a requirement reads `pass`
 * only when every row that ran passed.
 */
export const SEVERITY: readonly Outcome[] = [
  'fail',
  'non-strict',
  'expected-fail',
  'blocked',
  'fixed',
  'pass',
  'informational',
  'unimplemented',
  'skipped',
];

/** Outcomes that judged the requirement (rather than being gated, skipped or blocked). */
export const JUDGED: ReadonlySet<Outcome> = new Set<Outcome>(['pass', 'fail', 'non-strict', 'expected-fail', 'fixed']);

/** A check that found the hub wrong: `fail` for a MUST, `non-strict` for a SHOULD or MAY. */
export function missedOutcome(level: Level): 'fail' | 'non-strict' {
  return level === 'MUST' ? 'fail' : 'non-strict';
}

/** The hub was found wrong (known or not): these rows print Expected/Actual. */
export function isMiss(outcome: Outcome): boolean {
  return outcome === 'fail' || outcome === 'non-strict' || outcome === 'expected-fail';
}

/** The worst outcome among a requirement's rows (`skipped` when it has none). */
export function requirementOutcome(outcomes: Iterable<Outcome>): Outcome {
  const present = new Set(outcomes);
  return SEVERITY.find((o) => present.has(o)) ?? 'skipped';
}

/** Run-wide switches of the rules (known-deviation files add `failOnFixed`). */
export interface OutcomeRules {
  /** A `fixed` row fails the run, so a known-deviations file is kept honest. Default false. */
  failOnFixed: boolean;
}

export const DEFAULT_RULES: OutcomeRules = { failOnFixed: false };

/** Whether one row fails the run (exit 1): a MUST missed, or a listed deviation that passed under failOnFixed. */
export function failsRun(outcome: Outcome, rules: OutcomeRules = DEFAULT_RULES): boolean {
  return outcome === 'fail' || (outcome === 'fixed' && rules.failOnFixed);
}

/**
 * What a row becomes when a known-deviations file lists it: a miss becomes `expected-fail`, a pass
 * becomes `fixed`; anything that did not judge (skipped, blocked, …) stays what it was.
 */
export function listedOutcome(outcome: Outcome): Outcome {
  if (outcome === 'fail' || outcome === 'non-strict') return 'expected-fail';
  if (outcome === 'pass') return 'fixed';
  return outcome;
}
