/**
 * The contract of a client conformance case: the shape of a hub case (`requirement`, `alsoProves`,
 * `desc` saying what the scripted hub does, a deadline, checks that fail through `ctx.fail`), with a
 * context that gives the case its own scripted hub and its own driver process instead of a target.
 */
import type { CaseContext } from '../types.ts';
import type { DriverSession } from './driver/driver-session.ts';
import type { ScriptedHub, ScriptedHubOptions } from './scripted-hub/scripted-hub.ts';

/** Default deadline of a client case. */
export const DEFAULT_CLIENT_CASE_TIMEOUT_MS = 15_000;

export interface ClientCase {
  /** The requirement the case proves first; names the case (`<requirement>#<n>`). */
  requirement: string;
  /** Further requirements the same run judges, each with a row of its own. */
  alsoProves?: readonly string[];
  /** What the scripted hub does, imperative ("Closes the connection with 4001 once the client is connected"). */
  desc: string;
  /** Deadline for the whole case (default DEFAULT_CLIENT_CASE_TIMEOUT_MS). */
  timeoutMs?: number;
  /**
   * Why the case runs with no other case beside it (it judges a spread of a few hundred ms that other
   * cases' load would blur): the runner runs it after the others, alone.
   */
  alone?: string;
  run(ctx: ClientCaseContext): Promise<void>;
}

export interface ClientCaseContext extends Pick<
  CaseContext,
  'requirements' | 'signal' | 'log' | 'note' | 'expect' | 'fail' | 'skip' | 'informational' | 'defer'
> {
  /** ms since the case started: the clock of the wire log, the scripted hub and the driver observations. */
  now(): number;
  /** A scripted hub (and its auth endpoint) for this case, closed after it. */
  startHub(options?: Pick<ScriptedHubOptions, 'activityTimeoutS' | 'establishDelayMs'>): Promise<ScriptedHub>;
  /** A driver process running the client under test, stopped after the case. */
  startDriver(): Promise<DriverSession>;
}
