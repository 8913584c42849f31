/**
 * The conformance suite's contract. A case names the requirement it proves, says what the harness does
 * (`desc`, imperative), and checks. Cases never throw raw errors at the runner on a hub's bad answer:
 * they call `ctx.fail` / `ctx.expect`, and every wait has a deadline.
 */
import type { HubInfo } from '../spec/schemas/sync.ts';
import type { TargetFile } from '../spec/target.ts';
import type { Requirement } from '../spec/requirements/types.ts';

export type Outcome = 'pass' | 'fail' | 'non-strict' | 'skipped' | 'unimplemented' | 'informational';

/** One line of a case's wire log. `t` is ms since the case started. */
export interface WireEntry {
  t: number;
  /** `>` sent, `<` received on a WebSocket; `http>` / `http<` for HTTP; `close`, `note`, `fault` otherwise. */
  dir: '>' | '<' | 'http>' | 'http<' | 'close' | 'open' | 'note' | 'fault';
  /** Which connection (e.g. `ws#2`) or request. */
  conn: string;
  text: string;
}

export interface CaseResult {
  id: string;
  requirement: string;
  level: Requirement['level'];
  desc: string;
  outcome: Outcome;
  /** Why skipped / unimplemented / informational, or the failure's one-line summary. */
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
  wire: WireEntry[];
}

/** Thrown by `ctx.fail`/`ctx.expect`; the runner turns it into `fail` (or `non-strict` for SHOULD). */
export class CheckFailure extends Error {
  constructor(
    message: string,
    readonly expected?: string,
    readonly actual?: string,
    readonly counterexample?: unknown,
  ) {
    super(message);
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
  /** Unique case id: `<requirement>#<n>` assigned by the registry of cases (see cases/index.ts). */
  requirement: string;
  desc: string;
  /**
   * Deadline for the whole case; the runner fails it with a timeout after this. Default 10 s. A function
   * derives it from the target's timings (a heartbeat case waits activity_timeout + pong timeout).
   */
  timeoutMs?: number | ((timings: EffectiveTimings) => number);
  /** Property cases get fast-check settings from the run (`ctx.fc`). */
  property?: boolean;
  /** Needs a cluster target (several nodes). */
  cluster?: boolean;
  run(ctx: CaseContext): Promise<void>;
}

export interface FcSettings {
  seed: number;
  numRuns: number;
  /** Replay path, when rerunning one failure. */
  path?: string;
}

export interface CaseContext {
  target: TargetFile;
  /** The first node (`ws`, `http` base URLs); cluster cases use `target.nodes`. */
  node: TargetFile['nodes'][number];
  /**
   * Restarts the hub and resolves once it answers again at the same URLs. Present when the runner owns
   * the hub (embedded reference hub) or the target file has `restart.command`; persistence cases skip
   * with a reason otherwise.
   */
  restart?: () => Promise<void>;
  /** GET /api/hub when the target has it, else undefined (pure Pusher servers). */
  hub: HubInfo | undefined;
  /** Effective timings: hub info, then target overrides, then defaults. */
  timings: EffectiveTimings;
  fc: FcSettings;
  /** Aborted when the case's deadline passes; pass it to every wait. */
  signal: AbortSignal;
  /** Appends to the wire log. */
  log(dir: WireEntry['dir'], conn: string, text: string): void;
  note(text: string): void;
  expect(condition: unknown, message: string, detail?: { expected?: unknown; actual?: unknown }): asserts condition;
  fail(message: string, detail?: { expected?: unknown; actual?: unknown; counterexample?: unknown }): never;
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
