/**
 * The certification verdict from the matrix: requirement rows, SLO rows and the run's findings. The
 * renderers print what these functions return and decide nothing themselves.
 */
import { describeBlocker } from './case-result.ts';
import type { CertifyReport, CertifyVerdict, MatrixSummary, SloRow, SloStatus } from './certify-report.ts';
import { DEFAULT_RULES, failsRun, JUDGED, type OutcomeRules } from './outcomes.ts';
import type { RequirementRow } from './requirement-rows.ts';
import type { RunFinding } from './run-report.ts';

/** A threshold's status: figures from a saturated generator say nothing about the hub. */
export function sloStatus(ok: boolean, figuresValid: boolean): SloStatus {
  if (!figuresValid) return 'unmeasured';
  return ok ? 'held' : 'breached';
}

/** `71.2 ms, required < 50 ms` */
export function sloFigure(r: SloRow): string {
  const actual = r.actual === null ? 'not measured' : `${r.actual}${r.unit ? ` ${r.unit}` : ''}`;
  return `${actual}, required ${r.comparator} ${r.limit}${r.unit ? ` ${r.unit}` : ''}`;
}

/** `p99 propagation 71.2 ms, required < 50 ms` */
export function formatSlo(r: SloRow): string {
  return `${r.label} ${sloFigure(r)}`;
}

export interface VerdictOptions {
  /** A SHOULD miss (and a SHOULD known deviation) counts like a MUST one. */
  strict: boolean;
  rules?: OutcomeRules;
  findings?: readonly RunFinding[];
}

/** Known deviations that keep a hub from `certified`: listed MUSTs (and SHOULDs under strict) that missed. */
export function deviationsOf(requirements: readonly RequirementRow[], strict: boolean): string[] {
  return requirements
    .filter((r) => r.outcome === 'expected-fail' && (r.level === 'MUST' || strict))
    .map(
      (r) =>
        `${r.id} (${r.level}) known deviation: ${r.deviation?.reason ?? r.reason ?? 'listed'}${r.deviation?.link ? ` (${r.deviation.link})` : ''}`,
    );
}

/**
 * not-certified (exit 1): a MUST failed, a SHOULD missed under strict, a listed deviation passed under
 * failOnFixed, an SLO breached or a finding is a failure (a crash). Else inconclusive (exit 2): an SLO
 * unmeasured, or no selected MUST was judged. Else conformant-with-deviations (exit 0) when a known
 * deviation missed; else certified (exit 0).
 */
export function verdictOf(
  requirements: readonly RequirementRow[],
  slos: readonly SloRow[],
  options: VerdictOptions,
): Pick<CertifyReport, 'verdict' | 'exitCode' | 'reasons' | 'deviations'> {
  const rules = options.rules ?? DEFAULT_RULES;
  const reasons: string[] = [];
  for (const f of options.findings ?? [])
    if (f.severity === 'fail') reasons.push(`${f.kind === 'crash' ? 'hub crashed' : f.kind} ${f.text}`);
  for (const r of requirements) {
    if (r.outcome === 'fixed' && failsRun(r.outcome, rules))
      reasons.push(`${r.id} (${r.level}) is listed as a known deviation but passed: remove it from the list`);
    else if (failsRun(r.outcome, rules)) reasons.push(`${r.id} (${r.level}) failed: ${r.reason ?? 'see the report'}`);
    else if (options.strict && r.outcome === 'non-strict')
      reasons.push(`${r.id} (${r.level}) missed under --strict: ${r.reason ?? 'see the report'}`);
  }
  for (const s of slos) if (s.status === 'breached') reasons.push(`SLO ${s.id} breached: ${s.note ?? formatSlo(s)}`);
  const deviations = deviationsOf(requirements, options.strict);
  if (reasons.length) return { verdict: 'not-certified', exitCode: 1, reasons, deviations };
  const open = slos.filter((s) => s.status === 'unmeasured').map((s) => `SLO ${s.id} unmeasured: ${s.note ?? 'no figures'}`);
  const must = requirements.filter((r) => r.level === 'MUST');
  // Nothing failed because nothing ran is not a certificate.
  if (must.length > 0 && !must.some((r) => JUDGED.has(r.outcome)))
    open.push(`none of the ${must.length} selected MUST requirement(s) ran (all skipped or unimplemented)`);
  if (open.length) return { verdict: 'inconclusive', exitCode: 2, reasons: open, deviations };
  const verdict: CertifyVerdict = deviations.length ? 'conformant-with-deviations' : 'certified';
  return { verdict, exitCode: 0, reasons: [], deviations };
}

/** `CERTIFIED`, `NOT-CERTIFIED`, `INCONCLUSIVE`, `CONFORMANT WITH 3 KNOWN DEVIATIONS`. */
export function verdictLabel(report: Pick<CertifyReport, 'verdict' | 'deviations'>): string {
  if (report.verdict !== 'conformant-with-deviations') return report.verdict.toUpperCase();
  const n = report.deviations.length;
  return `CONFORMANT WITH ${n} KNOWN DEVIATION${n === 1 ? '' : 'S'}`;
}

/** What the certificate certifies: the client (`pusher-js 8.6.0`) on a client's, else the hub's name. */
export function subjectName(r: Pick<CertifyReport, 'client' | 'hub'>): string {
  return r.client ? `${r.client.library} ${r.client.version}` : r.hub.name;
}

/** MUSTs that did not run (skipped for the target's shape) or could not be judged (blocked), with why. */
export function notCovered(requirements: readonly RequirementRow[]): string[] {
  return requirements
    .filter((r) => r.level === 'MUST' && (r.outcome === 'skipped' || r.outcome === 'blocked'))
    .map((r) =>
      r.outcome === 'blocked'
        ? `${r.id} (MUST) ${r.blockedBy ? describeBlocker(r.blockedBy) : 'blocked'}: ${r.reason ?? 'no reason given'}`
        : `${r.id} (MUST) skipped: ${r.reason ?? 'no reason given'}`,
    );
}

/**
 * Load scenarios the harness could not run for want of a tool of its own (Chromium, playwright-core):
 * their SLOs are not covered (never breached), each line naming what was missing and what installs it.
 */
export function scenariosNotCovered(skipped: CertifyReport['load']['skipped']): string[] {
  return skipped.filter((s) => s.tool !== undefined).map((s) => `load scenario ${s.name} (SLOs not measured): ${s.reason}`);
}

/** `12 MUST(s), 1 load scenario(s)` */
export function notCoveredCount(r: Pick<CertifyReport, 'notCovered' | 'load'>): string {
  const scenarios = scenariosNotCovered(r.load.skipped).length;
  const musts = r.notCovered.length - scenarios;
  return [musts ? `${musts} MUST(s)` : '', scenarios ? `${scenarios} load scenario(s)` : ''].filter(Boolean).join(', ');
}

export function matrixSummary(requirements: readonly RequirementRow[], slos: readonly SloRow[]): MatrixSummary {
  const must = requirements.filter((r) => r.level === 'MUST');
  const should = requirements.filter((r) => r.level === 'SHOULD');
  const passed = (o: string) => o === 'pass' || o === 'fixed';
  const count = (rs: RequirementRow[], ...os: string[]) => rs.filter((r) => os.includes(r.outcome)).length;
  return {
    must: {
      total: must.length,
      passed: must.filter((r) => passed(r.outcome)).length,
      failed: count(must, 'fail'),
      deviations: count(must, 'expected-fail'),
      blocked: count(must, 'blocked'),
      other: count(must, 'skipped', 'unimplemented', 'informational', 'non-strict'),
    },
    should: {
      total: should.length,
      passed: should.filter((r) => passed(r.outcome)).length,
      missed: count(should, 'non-strict', 'fail', 'expected-fail'),
      other: count(should, 'skipped', 'unimplemented', 'informational', 'blocked'),
    },
    slo: {
      total: slos.length,
      held: slos.filter((s) => s.status === 'held').length,
      breached: slos.filter((s) => s.status === 'breached').length,
      unmeasured: slos.filter((s) => s.status === 'unmeasured').length,
    },
  };
}
