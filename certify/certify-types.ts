/**
 * The certification report: one matrix of requirements and SLOs with a verdict each, the hub's identity,
 * the harness version, seeds and durations. `certify.json` is this object; the JUnit and HTML files are
 * drawn from it and from the two underlying reports.
 */
import type { HubInfo } from '../spec/schemas/sync.ts';
import type { Level } from '../spec/requirements/types.ts';
import type { Outcome } from '../conformance/types.ts';
import type { Summary } from '../conformance/progress.ts';
import type { ScenarioStatus, ThresholdResult } from '../load/report-types.ts';

export const CERTIFY_REPORT_FORMAT = 'hubproof-certify/1';

export interface RequirementRow {
  id: string;
  level: Level;
  section: string;
  text: string;
  /** The worst outcome among the requirement's cases. */
  outcome: Outcome;
  cases: string[];
  /** The case that decided the outcome (the first with the worst outcome). */
  worstCase: string;
  /** First failure's (or skip's) one-line reason. */
  reason?: string;
  replay?: string;
  /** SLO rows (`presence/p99Ms`) that certify this requirement's figures, when the load run measured any. */
  slos?: string[];
}

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
  /** Why unmeasured (driver saturated, scenario could not run). */
  note?: string;
}

export type CertifyVerdict = 'certified' | 'not-certified' | 'inconclusive';

export interface CertifyReport {
  format: typeof CERTIFY_REPORT_FORMAT;
  /** certified (exit 0), not-certified (a MUST failed or an SLO breached: exit 1), inconclusive (figures untrustworthy: exit 2). */
  verdict: CertifyVerdict;
  exitCode: 0 | 1 | 2;
  /** One line per reason the hub is not certified (or why the run is inconclusive). */
  reasons: string[];
  /**
   * MUST requirements whose cases were skipped because of the target's shape (no restart command, a single
   * node…): not failed, but not covered by this certificate either. Listed so nobody reads them as passed.
   */
  notCovered: string[];
  harness: { name: string; version: string; node: string; platform: string };
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
  summary: {
    cases: Summary;
    must: { total: number; passed: number; failed: number; other: number };
    should: { total: number; passed: number; missed: number; other: number };
    slo: { total: number; held: number; breached: number; unmeasured: number };
  };
  requirements: RequirementRow[];
  slos: SloRow[];
  load: {
    verdict: ScenarioStatus;
    scenarios: Array<{ name: string; status: ScenarioStatus; windowS: number }>;
    breaches: string[];
    invalid: string[];
    skipped: Array<{ name: string; reason: string }>;
    errors: Array<{ name: string; message: string }>;
  };
  warnings: string[];
}
