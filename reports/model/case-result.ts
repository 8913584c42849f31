/**
 * One result row: one requirement judged by one run of one case. A case that proves several
 * requirements yields one row per requirement; the rows share the run (its duration, seed and replay),
 * and the first keeps the wire log.
 */
import type { Level } from '../../spec/requirements/types.ts';
import { listedOutcome, type Outcome } from './outcomes.ts';

/** One line of a case's wire log. `t` is ms since the case started. */
export interface WireEntry {
  t: number;
  /**
   * `>` sent, `<` received on a WebSocket; `http>` / `http<` for HTTP; `close`, `note`, `fault` otherwise.
   * Client conformance (`hubproof client`, where the harness is the hub): `app>` a command to the driver,
   * `app<` what the application under test observed.
   */
  dir: '>' | '<' | 'http>' | 'http<' | 'close' | 'open' | 'note' | 'fault' | 'app>' | 'app<';
  /** Which connection (e.g. `ws#2`) or request. */
  conn: string;
  text: string;
}

/**
 * Why a row was not judged: a requirement the case relies on that the hub did not meet (`case`: the
 * row that found it), or a hub crash (`id` of the crash finding in the run report, `case`: the case
 * during which the hub went down).
 */
export type BlockedBy = { kind: 'requirement'; id: string; case?: string } | { kind: 'crash'; id: string; case?: string };

/**
 * An observed hub behaviour behind a failure: `fingerprint` names the behaviour (`http-error-as-2xx:200`),
 * never one case's message text, so rows of many cases that share it form one root-cause group;
 * `cause` says it in one line ("HTTP API errors answered with status 200 (the body carries the real code)").
 */
export interface RootCause {
  fingerprint: string;
  cause: string;
}

/** The entry of a known-deviations file that matched a row. */
export interface Deviation {
  /** The listed key: a case id or a requirement id. */
  key: string;
  reason: string;
  link?: string;
}

export interface CaseResult {
  /** `<requirement>#<n>`: this row's id; replays its case. */
  id: string;
  requirement: string;
  level: Level;
  desc: string;
  outcome: Outcome;
  /** Why skipped / unimplemented / informational / blocked, or the failure's one-line summary. */
  reason?: string;
  expected?: string;
  actual?: string;
  durationMs: number;
  /** fast-check replay data for property cases. */
  seed?: number;
  path?: string;
  /** One command that reruns exactly this case against the same target. */
  replay?: string;
  /** Minimal offending slice of a recorded history, when a history check failed. */
  counterexample?: unknown;
  close?: { code: number; reason: string };
  /** Set when outcome is `blocked`. */
  blockedBy?: BlockedBy;
  /** The observed behaviour behind a miss or a block, when the check that saw it named one (root-cause groups). */
  rootCause?: RootCause;
  /** Set when outcome is `expected-fail` or `fixed`. */
  deviation?: Deviation;
  /** On every row but the first of a case that proves several requirements: the row holding the run's wire log. */
  sameRunAs?: string;
  wire: WireEntry[];
}

/** A row as a known-deviations entry leaves it: outcome per listedOutcome, the entry attached when it applied. */
export function withDeviation(r: CaseResult, deviation: Deviation): CaseResult {
  const outcome = listedOutcome(r.outcome);
  return outcome === r.outcome ? r : { ...r, outcome, deviation };
}

/** `blocked by pusher/bad-input/1 (pusher/bad-input/1#1)` / `blocked: hub down since crash#1 (pusher/bad-input/4#1)`. */
export function describeBlocker(b: BlockedBy): string {
  return b.kind === 'crash'
    ? `blocked: hub down since ${b.id}${b.case ? ` (${b.case})` : ''}`
    : `blocked by ${b.id}${b.case ? ` (${b.case})` : ''}`;
}
