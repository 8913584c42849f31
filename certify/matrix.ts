/**
 * The certification matrix: one row per requirement the suite ran (its worst row's outcome) and one row
 * per SLO threshold of the load run, folded with the verdict rules of reports/model into the report.
 * A breach inside a scenario whose figures are invalid (the load generator saturated) is `unmeasured`,
 * never `breached`: it says nothing about the hub.
 */
import type { LoadReport } from '../load/report-types.ts';
import { CERTIFY_REPORT_FORMAT, CERTIFY_SCHEMA_VERSION, type CertifyReport, type SloRow } from '../reports/model/certify-report.ts';
import { requirementRows, type RequirementRow } from '../reports/model/requirement-rows.ts';
import type { RunReport } from '../reports/model/run-report.ts';
import { matrixSummary, notCovered, scenariosNotCovered, sloStatus, verdictOf } from '../reports/model/verdict.ts';
import { sloRequirements } from './slo-requirements.ts';
import { secondWindowNote, type SecondWindow } from './confirm-breaches.ts';

/**
 * One row per threshold. `seconds`: what a second window said of the latency breaches it re-measured
 * (certify/confirm-breaches.ts): a breach it repeated stays breached, one it did not is unmeasured.
 */
export function sloRows(load: LoadReport, seconds: ReadonlyMap<string, SecondWindow> = new Map()): SloRow[] {
  const rows: SloRow[] = [];
  for (const s of load.scenarios) {
    const invalid = s.status === 'invalid';
    const invalidNote = invalid ? `figures invalid: ${s.driver.reasons.join('; ') || 'the load generator saturated'}` : undefined;
    for (const t of s.thresholds) {
      const requirements = sloRequirements(s, t.name);
      const second = invalid ? undefined : seconds.get(`${s.name}/${t.name}`);
      const status = second ? (second.status === 'breached' ? 'breached' : 'unmeasured') : sloStatus(t.ok, !invalid);
      const note = second
        ? secondWindowNote(t.actual, second, t.unit, `${t.comparator} ${t.limit}${t.unit ? ` ${t.unit}` : ''}`)
        : invalidNote;
      rows.push({
        id: `${s.name}/${t.name}`,
        scenario: s.name,
        name: t.name,
        label: t.label,
        comparator: t.comparator,
        limit: t.limit,
        actual: t.actual,
        unit: t.unit,
        status,
        ...(requirements.length ? { requirements } : {}),
        ...(note ? { note } : {}),
        ...(second ? { secondWindow: { actual: second.actual, status: second.status } } : {}),
      });
    }
  }
  // A scenario the hub refused to set up is a failure of the hub (as in `hubproof load`), not a gap in the figures.
  for (const e of load.errors) {
    rows.push({
      id: `${e.name}/setup`,
      scenario: e.name,
      name: 'setup',
      label: 'scenario could run',
      comparator: '>=',
      limit: 1,
      actual: 0,
      unit: '',
      status: 'breached',
      note: e.message,
    });
  }
  return rows;
}

/**
 * Points each requirement row at the SLO rows that certify its figures (the conformance case checks
 * function only). Returns new rows; a requirement no SLO names is unchanged.
 */
export function linkSlos(requirements: readonly RequirementRow[], slos: readonly SloRow[]): RequirementRow[] {
  return requirements.map((r) => {
    const ids = slos.filter((s) => s.requirements?.includes(r.id)).map((s) => s.id);
    return ids.length ? { ...r, slos: ids } : r;
  });
}

export interface CertifyParts {
  conformance: RunReport;
  load: LoadReport;
  /** What a second window said of the latency breaches of `load` (none: nothing breached or nothing re-measured). */
  seconds?: ReadonlyMap<string, SecondWindow>;
  options: CertifyReport['options'];
  startedAt: Date;
  durationsMs: CertifyReport['durationsMs'];
}

/** The certificate of one conformance run and one load run: matrix, verdict and the facts around them. */
export function certifyReport({ conformance, load, seconds, options, startedAt, durationsMs }: CertifyParts): CertifyReport {
  const slos = sloRows(load, seconds);
  const requirements = linkSlos(requirementRows(conformance.results), slos);
  return {
    format: CERTIFY_REPORT_FORMAT,
    schemaVersion: CERTIFY_SCHEMA_VERSION,
    ...verdictOf(requirements, slos, { strict: options.strict, rules: conformance.rules, findings: conformance.findings }),
    notCovered: [...notCovered(requirements), ...scenariosNotCovered(load.skipped)],
    harness: { ...conformance.harness, node: process.version, platform: `${process.platform}-${process.arch}` },
    hub: {
      name: conformance.hub?.name ?? conformance.target.name,
      embedded: conformance.target.embedded,
      profiles: conformance.target.profiles,
      nodes: conformance.target.nodes.map((n) => ({ ws: n.ws, http: n.http })),
      ...(conformance.hub ? { info: conformance.hub } : {}),
    },
    options,
    seeds: { conformance: conformance.seed, numRuns: conformance.numRuns },
    startedAt: startedAt.toISOString(),
    durationsMs,
    summary: { cases: conformance.summary, ...matrixSummary(requirements, slos) },
    findings: conformance.findings,
    groups: conformance.groups,
    requirements,
    slos,
    load: {
      verdict: load.verdict,
      scenarios: load.scenarios.map((s) => ({ name: s.name, status: s.status, windowS: s.windowS })),
      breaches: load.breaches,
      invalid: load.invalid,
      skipped: load.skipped,
      errors: load.errors,
    },
    warnings: conformance.warnings,
  };
}
