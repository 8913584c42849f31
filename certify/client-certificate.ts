/**
 * The certificate of a client library (`hubproof certify --client`): the matrix of the client profile's
 * requirements from one `hubproof client` run, with the verdict rules hubs get. A client has no load run
 * and no SLO: what a client must do is judged case by case against hubproof's scripted hub.
 */
import type { CertifyReport } from '../reports/model/certify-report.ts';
import { requirementRows } from '../reports/model/requirement-rows.ts';
import type { RunReport } from '../reports/model/run-report.ts';
import { matrixSummary, notCovered, verdictOf } from '../reports/model/verdict.ts';
import { CERTIFY_REPORT_FORMAT, CERTIFY_SCHEMA_VERSION } from '../reports/model/certify-report.ts';

/** What `hub` names on a client's certificate: the hub was hubproof's, one scripted server per case. */
export const SCRIPTED_HUB_NAME = 'hubproof scripted hub';

export interface ClientCertifyParts {
  /** The `hubproof client` run (its `client` set). */
  conformance: RunReport;
  profile: string;
  options: { strict: boolean; selectors: string[] };
  startedAt: Date;
}

export function clientCertifyReport({ conformance, profile, options, startedAt }: ClientCertifyParts): CertifyReport {
  if (!conformance.client) throw new Error('clientCertifyReport: the run judged no client');
  const requirements = requirementRows(conformance.results);
  return {
    format: CERTIFY_REPORT_FORMAT,
    schemaVersion: CERTIFY_SCHEMA_VERSION,
    ...verdictOf(requirements, [], { strict: options.strict, rules: conformance.rules, findings: conformance.findings }),
    notCovered: notCovered(requirements),
    harness: { ...conformance.harness, node: process.version, platform: `${process.platform}-${process.arch}` },
    client: { ...conformance.client, profile },
    hub: { name: SCRIPTED_HUB_NAME, embedded: true, profiles: [], nodes: [] },
    options: { ...options, scenarios: [], loadDurationS: null },
    seeds: { conformance: conformance.seed, numRuns: conformance.numRuns },
    startedAt: startedAt.toISOString(),
    durationsMs: { total: conformance.durationMs, conformance: conformance.durationMs, load: 0 },
    summary: { cases: conformance.summary, ...matrixSummary(requirements, []) },
    findings: conformance.findings,
    groups: conformance.groups,
    requirements,
    slos: [],
    load: { verdict: 'pass', scenarios: [], breaches: [], invalid: [], skipped: [], errors: [] },
    warnings: conformance.warnings,
  };
}
