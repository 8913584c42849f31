/**
 * The conformance suite's contract. A case names the requirements it proves, says what the harness
 * does (`desc`, imperative), and checks. Cases never throw raw errors at the runner on a hub's bad
 * answer: they fail through the verify helpers (conformance/verify.ts), `ctx.fail` or `ctx.expect`,
 * and every wait has a deadline.
 */
import type { HubInfo } from '../spec/schemas/sync.ts';
import type { TargetFile } from '../spec/target.ts';
import type { NodeControl } from '../target/handle.ts';
import type { RootCause, WireEntry } from '../reports/model/case-result.ts';

export type { Outcome } from '../reports/model/outcomes.ts';
export type { CaseResult, RootCause, WireEntry } from '../reports/model/case-result.ts';

/** Which requirements a failed check speaks for, beyond the case's first. */
export interface CheckScope {
  /** The requirement this check proves (default: the case's first). */
  requirement?: string;
  /**
   * Requirements this check judged in full, so those that did not fail here passed (the history checker
   * judges every anomaly kind at once). Default: only `requirement`.
   */
  judged?: readonly string[];
  /** Further failures the same check found, each on its own requirement. */
  more?: readonly CheckFailure[];
  /**
   * The hub behaviour the failing check observed, named where it was observed (the HTTP client knows
   * "an error answered 200", the socket "a connection refused with 4200"), so the report can group the
   * rows one behaviour failed. See conformance/root-cause.ts.
   */
  rootCause?: RootCause;
}

/** Thrown by the verify helpers, `ctx.fail` and `ctx.expect`; the runner turns it into `fail` (or `non-strict` for SHOULD). */
export class CheckFailure extends Error {
  readonly requirement?: string;
  readonly judged?: readonly string[];
  readonly more?: readonly CheckFailure[];
  readonly rootCause?: RootCause;
  constructor(
    message: string,
    readonly expected?: string,
    readonly actual?: string,
    readonly counterexample?: unknown,
    scope: CheckScope = {},
  ) {
    super(message);
    if (scope.requirement !== undefined) this.requirement = scope.requirement;
    if (scope.judged !== undefined) this.judged = scope.judged;
    if (scope.more !== undefined) this.more = scope.more;
    if (scope.rootCause !== undefined) this.rootCause = scope.rootCause;
  }

  get scope(): CheckScope {
    return { requirement: this.requirement, judged: this.judged, more: this.more, rootCause: this.rootCause };
  }
}

/**
 * The check could not judge its requirement because the hub did not meet another one it relies on
 * (`dependency`, which must be among the requirement's `dependsOn`, directly or through others): the
 * row reads `blocked` by it, never `fail`. `message` says what was missing ("the hub never pinged").
 */
export class DependencyUnmet extends CheckFailure {
  constructor(
    readonly dependency: string,
    message: string,
    scope: Pick<CheckScope, 'requirement' | 'rootCause'> = {},
  ) {
    super(message, undefined, undefined, undefined, scope);
  }
}

/** Thrown by `ctx.skip` / `ctx.unimplemented` / `ctx.informational`. */
export class CaseOutcome extends Error {
  constructor(
    readonly outcome: 'skipped' | 'unimplemented' | 'informational',
    readonly reason: string,
  ) {
    super(reason);
  }
}

export interface Case {
  /**
   * The requirement the case proves first: it names the case (`<requirement>#<n>`, assigned in
   * cases/index.ts) and is charged with every check that names no other.
   */
  requirement: string;
  /**
   * Further requirements the same run proves, each getting a result row of its own (`<id>#<n>`). A
   * check names the one it proves (CheckScope); a row whose checks were not reached because an earlier
   * check failed is `blocked` by that failure, never failed or passed.
   */
  alsoProves?: readonly string[];
  desc: string;
  /**
   * Deadline for the whole case; the runner fails it with a timeout after this. Default 10 s. A function
   * derives it from the target's timings (a heartbeat case waits activity_timeout + pong timeout).
   */
  timeoutMs?: number | ((timings: EffectiveTimings, run: RunSettings) => number);
  /** Property cases get fast-check settings from the run (`ctx.fc`). */
  property?: boolean;
  /** Needs a cluster target (several nodes). */
  cluster?: boolean;
  /**
   * Why the case cannot share the hub with other cases (it restarts the hub, or judges a latency bound
   * other traffic would disturb): the runner runs it alone. Cases are independent by default: unique
   * channel, session and agent names, listings filtered to what the case created.
   */
  exclusive?: string;
  /**
   * Most of the case is waiting on a hub timer (a ping, a pong timeout, a stale or offline rule): it
   * starts first and runs beside the `--concurrency` busy cases instead of taking a slot.
   */
  timerBound?: boolean;
  run(ctx: CaseContext): Promise<void>;
}

/** What the run asks of every case beyond the hub's timings: how hard to try. */
export interface RunSettings {
  /** Tries of a race a case repeats (`--race-tries`); undefined: as many as fit the case's time budget. */
  raceTries?: number;
}

export interface FcSettings {
  seed: number;
  numRuns: number;
  /** Replay path, when rerunning one failure. */
  path?: string;
}

export interface CaseContext {
  target: TargetFile;
  /** Every requirement the case proves, its first one first (`[requirement, ...alsoProves]`). */
  requirements: readonly string[];
  /** The first node (`ws`, `http` base URLs); cluster cases use `target.nodes`. */
  node: TargetFile['nodes'][number];
  /**
   * Restarts the hub and resolves once it answers again at the same URLs. Present when the runner owns
   * the hub (embedded reference hub) or the target file has `restart.command`; persistence cases skip
   * with a reason otherwise.
   */
  restart?: () => Promise<void>;
  /**
   * Kills and restarts single nodes of a cluster: the embedded cluster's, or the target file's
   * `nodes[i].kill` / `nodes[i].restart` commands; the dead-node case skips with a reason otherwise.
   */
  nodeControl?: NodeControl;
  /** GET /api/hub when the target has it, else undefined (pure Pusher servers). */
  hub: HubInfo | undefined;
  /** Effective timings: hub info, then target overrides, then defaults. */
  timings: EffectiveTimings;
  /** The longest single wait on a hub timer a case sits through (`--max-timer-wait`); a longer timer skips its case (timer-guard.ts). */
  maxTimerWaitMs: number;
  /** How often a race case repeats its race (`--race-tries`); undefined: as many tries as fit its budget. */
  raceTries: number | undefined;
  fc: FcSettings;
  /** Aborted when the case's deadline passes; pass it to every wait. */
  signal: AbortSignal;
  /** Appends to the wire log. */
  log(dir: WireEntry['dir'], conn: string, text: string): void;
  note(text: string): void;
  /** A condition with nothing to show (harness sanity, probes); checks of values use conformance/verify.ts. */
  expect(condition: unknown, message: string): asserts condition;
  /** A bespoke check's failure, its Expected/Actual computed by the case; `requirement` when it is not the case's first. */
  fail(
    message: string,
    detail?: { expected?: unknown; actual?: unknown; counterexample?: unknown; requirement?: string; rootCause?: RootCause },
  ): never;
  skip(reason: string): never;
  unimplemented(reason: string): never;
  informational(reason: string): never;
  /** Registers cleanup (close sockets, stop proxies); runs after the case, even on failure. */
  defer(fn: () => void | Promise<void>): void;
}

export interface EffectiveTimings {
  activityTimeoutS: number;
  pongTimeoutMs: number;
  heartbeatTimeoutMs: number;
  staleGraceMs: number;
  conflictBudgetMs: number;
  conflictThreshold: number;
  idleAfterMs: number;
  offlineAfterMs: number;
}
