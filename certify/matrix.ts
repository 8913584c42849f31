/**
 * The certification matrix: one row per requirement the suite ran (its worst case's outcome) and one row
 * per SLO threshold of the load run, then the verdict. A breach inside a scenario whose figures are
 * invalid (the load generator saturated) is `unmeasured`, never `breached`: it says nothing about the hub.
 */
import type { RunReport } from '../conformance/runner.ts';
import type { CaseResult } from '../conformance/types.ts';
import type { LoadReport } from '../load/report-types.ts';
import { requirementOutcome } from '../reports/conformance-html.ts';
import { requirementById } from '../spec/requirements/index.ts';
import type { CertifyReport, CertifyVerdict, RequirementRow, SloRow } from './certify-types.ts';
import { sloRequirements } from './slo-requirements.ts';

export function requirementRows(run: RunReport): RequirementRow[] {
  const byReq = new Map<string, CaseResult[]>();
  for (const r of run.results) byReq.set(r.requirement, [...(byReq.get(r.requirement) ?? []), r]);
  return [...byReq].map(([id, results]) => {
    const outcome = requirementOutcome(results);
    const req = requirementById(id);
    const worst = results.find((r) => r.outcome === outcome)!;
    return {
      id,
      level: results[0]!.level,
      section: id.split('/').slice(0, 2).join('/'),
      text: req?.text ?? '(not in the registry)',
      outcome,
      cases: results.map((r) => r.id),
      worstCase: worst.id,
      ...(outcome !== 'pass' && worst.reason ? { reason: worst.reason } : {}),
      ...(worst.replay && (outcome === 'fail' || outcome === 'non-strict') ? { replay: worst.replay } : {}),
    };
  });
}

export function sloRows(load: LoadReport): SloRow[] {
  const rows: SloRow[] = [];
  for (const s of load.scenarios) {
    const invalid = s.status === 'invalid';
    const note = invalid ? `figures invalid: ${s.driver.reasons.join('; ') || 'the load generator saturated'}` : undefined;
    for (const t of s.thresholds) {
      const requirements = sloRequirements(s, t.name);
      rows.push({
        id: `${s.name}/${t.name}`,
        scenario: s.name,
        name: t.name,
        label: t.label,
        comparator: t.comparator,
        limit: t.limit,
        actual: t.actual,
        unit: t.unit,
        status: invalid ? 'unmeasured' : t.ok ? 'held' : 'breached',
        ...(requirements.length ? { requirements } : {}),
        ...(note ? { note } : {}),
      });
    }
  }
  // A scenario the hub refused to set up is a failure of the hub (as in `hubproof load`), not a gap in the figures.
  for (const e of load.errors) {
    rows.push({ id: `${e.name}/setup`, scenario: e.name, name: 'setup', label: 'scenario could run', comparator: '>=', limit: 1, actual: 0, unit: '', status: 'breached', note: e.message });
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

function formatSlo(r: SloRow): string {
  const actual = r.actual === null ? 'not measured' : `${r.actual}${r.unit ? ` ${r.unit}` : ''}`;
  return `${r.label} ${actual}, required ${r.comparator} ${r.limit}${r.unit ? ` ${r.unit}` : ''}`;
}

/**
 * certified → 0; a MUST failed, an SLO breached (or, with strict, a SHOULD missed) → 1; nothing failed but
 * an SLO is unmeasured or no selected MUST ran at all → 2 (inconclusive).
 */
export function verdictOf(
  requirements: readonly RequirementRow[],
  slos: readonly SloRow[],
  strict: boolean,
): Pick<CertifyReport, 'verdict' | 'exitCode' | 'reasons'> {
  const reasons: string[] = [];
  for (const r of requirements) {
    if (r.outcome === 'fail') reasons.push(`${r.id} (${r.level}) failed: ${r.reason ?? 'see the report'}`);
    else if (strict && r.outcome === 'non-strict') reasons.push(`${r.id} (${r.level}) missed under --strict: ${r.reason ?? 'see the report'}`);
  }
  for (const s of slos) if (s.status === 'breached') reasons.push(`SLO ${s.id} breached: ${s.note ?? formatSlo(s)}`);
  if (reasons.length) return { verdict: 'not-certified', exitCode: 1, reasons };
  const open = slos.filter((s) => s.status === 'unmeasured').map((s) => `SLO ${s.id} unmeasured: ${s.note ?? 'no figures'}`);
  const must = requirements.filter((r) => r.level === 'MUST');
  // Nothing failed because nothing ran is not a certificate.
  if (must.length > 0 && !must.some((r) => r.outcome === 'pass')) open.push(`none of the ${must.length} selected MUST requirement(s) ran (all skipped or unimplemented)`);
  if (open.length) {
    const verdict: CertifyVerdict = 'inconclusive';
    return { verdict, exitCode: 2, reasons: open };
  }
  return { verdict: 'certified', exitCode: 0, reasons: [] };
}

/** `sync/delivery/2 (MUST) skipped: target has no restart command` for every MUST that did not run. */
export function notCovered(requirements: readonly RequirementRow[]): string[] {
  return requirements.filter((r) => r.level === 'MUST' && r.outcome === 'skipped').map((r) => `${r.id} (MUST) skipped: ${r.reason ?? 'no reason given'}`);
}

export function matrixSummary(requirements: readonly RequirementRow[], slos: readonly SloRow[]): Omit<CertifyReport['summary'], 'cases'> {
  const must = requirements.filter((r) => r.level === 'MUST');
  const should = requirements.filter((r) => r.level === 'SHOULD');
  return {
    must: {
      total: must.length,
      passed: must.filter((r) => r.outcome === 'pass').length,
      failed: must.filter((r) => r.outcome === 'fail').length,
      other: must.filter((r) => r.outcome !== 'pass' && r.outcome !== 'fail').length,
    },
    should: {
      total: should.length,
      passed: should.filter((r) => r.outcome === 'pass').length,
      missed: should.filter((r) => r.outcome === 'non-strict' || r.outcome === 'fail').length,
      other: should.filter((r) => !['pass', 'non-strict', 'fail'].includes(r.outcome)).length,
    },
    slo: {
      total: slos.length,
      held: slos.filter((s) => s.status === 'held').length,
      breached: slos.filter((s) => s.status === 'breached').length,
      unmeasured: slos.filter((s) => s.status === 'unmeasured').length,
    },
  };
}
