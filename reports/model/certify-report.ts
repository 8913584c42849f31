/**
 * The certification report: one matrix of requirements and SLOs with a verdict, the hub's identity, the
 * harness version, seeds and durations. `certify.json` is this object; the JUnit and HTML files are
 * drawn from it and from the two underlying reports.
 */
import { REPORT_SCHEMA_VERSIONS } from '../../spec/reports/versions.ts';
import type { HubInfo } from '../../spec/schemas/sync.ts';
import type { LoadReport, ScenarioStatus, ThresholdResult } from '../../load/report-types.ts';
import type { RequirementRow } from './requirement-rows.ts';
import type { ClientSubject, RootCauseGroup, RunFinding, Summary } from './run-report.ts';

export const CERTIFY_REPORT_FORMAT = 'hubproof-certify/1';
/** `MAJOR.MINOR` of the published schema (spec/generated/certify-report.schema.json). */
export const CERTIFY_SCHEMA_VERSION = REPORT_SCHEMA_VERSIONS.certify;

/** `held`: met in a valid scenario; `breached`: missed in a valid one; `unmeasured`: the figures cannot be trusted or were never taken. */
export type SloStatus = 'held' | 'breached' | 'unmeasured';

/** A load threshold as the certificate shows it: the load report's figure, scoped to its scenario. */
export interface SloRow extends Omit<ThresholdResult, 'ok'> {
  /** `fanout/p99Ms` */
  id: string;
  scenario: string;
  status: SloStatus;
  /**
   * Requirement ids whose figure this threshold certifies (`presence/p99Ms` → agent-presence/performance/1);
   * absent or empty when it certifies none. See certify/slo-requirements.ts.
   */
  requirements?: string[];
  /** Why unmeasured (driver saturated, scenario could not run, a breach a second window did not repeat), or a confirmed breach's two figures. */
  note?: string;
  /**
   * A latency breach is measured once more before it counts (certify/confirm-breaches.ts): what that second
   * window measured. `breached` again: the row is breached; `held` or `invalid`: the row is unmeasured.
   */
  secondWindow?: { actual: number | null; status: 'held' | 'breached' | 'invalid' };
}

/**
 * `certified` (exit 0); `conformant-with-deviations`: nothing failed, but MUSTs listed as known deviations
 * missed (exit 0, never called certified); `not-certified` (a MUST failed, an SLO breached, the hub
 * crashed: exit 1); `inconclusive` (figures untrustworthy or nothing ran: exit 2).
 */
export type CertifyVerdict = 'certified' | 'conformant-with-deviations' | 'not-certified' | 'inconclusive';

export interface MatrixSummary {
  /** `passed` counts pass and fixed; `deviations` expected-fail; `other` skipped, unimplemented, informational. */
  must: { total: number; passed: number; failed: number; deviations: number; blocked: number; other: number };
  should: { total: number; passed: number; missed: number; other: number };
  slo: { total: number; held: number; breached: number; unmeasured: number };
}

export interface CertifyReport {
  format: typeof CERTIFY_REPORT_FORMAT;
  /** `MAJOR.MINOR` of the published schema this report follows. */
  schemaVersion: string;
  verdict: CertifyVerdict;
  exitCode: 0 | 1 | 2;
  /** One line per reason the hub is not certified (or why the run is inconclusive). */
  reasons: string[];
  /** One line per known deviation (a listed MUST, or SHOULD under --strict, that missed), with its reason. */
  deviations: string[];
  /**
   * MUST requirements that were skipped because of the target's shape (no restart command, a single
   * node…) or blocked, then load scenarios the harness lacked a tool for (`load scenario browser …`): not
   * failed, but not covered by this certificate either. Listed so nobody reads them as passed.
   */
  notCovered: string[];
  harness: { name: string; version: string; node: string; platform: string };
  /**
   * Set by `hubproof certify --client`: the client certified, judged against hubproof's scripted hub
   * (then `hub` names that hub, and the certificate has no load run and no SLOs).
   */
  client?: ClientSubject & { profile: string };
  hub: {
    name: string;
    /** The reference hub the harness started itself. */
    embedded: boolean;
    profiles: string[];
    nodes: Array<{ ws: string; http: string }>;
    /** GET /api/hub, when the hub answers it. */
    info?: HubInfo;
  };
  options: { strict: boolean; selectors: string[]; scenarios: string[]; loadDurationS: number | null };
  seeds: { conformance: number; numRuns: number };
  startedAt: string;
  durationsMs: { total: number; conformance: number; load: number };
  summary: MatrixSummary & { cases: Summary };
  /** The conformance run's findings and root-cause groups, leading the certificate as they lead the run. */
  findings: RunFinding[];
  groups: RootCauseGroup[];
  requirements: RequirementRow[];
  slos: SloRow[];
  load: {
    verdict: ScenarioStatus;
    scenarios: Array<{ name: string; status: ScenarioStatus; windowS: number }>;
    breaches: string[];
    invalid: string[];
    skipped: LoadReport['skipped'];
    errors: Array<{ name: string; message: string }>;
  };
  warnings: string[];
}
