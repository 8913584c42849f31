/**
 * JUnit XML of a certification: the conformance run's suites (reports/junit.ts) plus one `slo`
 * testsuite with a testcase per load threshold, in one document built by the one JUnit builder. A
 * breached SLO is a <failure>; an unmeasured one (invalid figures) is <skipped> with the reason.
 */
import type { CertifyReport, SloRow } from './model/certify-report.ts';
import type { RunReport } from './model/run-report.ts';
import { sloFigure, subjectName } from './model/verdict.ts';
import { conformanceSuites } from './junit.ts';
import { junitDocument, type JunitCase, type JunitSuite } from './junit-xml.ts';

function sloCase(r: SloRow): JunitCase {
  const certifies = r.requirements?.length ? `; certifies ${r.requirements.join(', ')}` : '';
  const text = `${r.label}: ${sloFigure(r)}${r.note ? ` (${r.note})` : ''}${certifies}`;
  const c = { name: r.id, classname: 'slo', timeS: 0 };
  if (r.status === 'breached') return { ...c, result: { kind: 'failure', message: text, type: 'SLO', text } };
  if (r.status === 'unmeasured') return { ...c, result: { kind: 'skipped', message: text } };
  return { ...c, result: { kind: 'pass' }, systemOut: text };
}

function sloSuite(report: CertifyReport): JunitSuite {
  return {
    name: 'slo',
    timeS: report.durationsMs.load / 1000,
    timestamp: report.startedAt.replace(/Z$/, ''),
    cases: report.slos.map(sloCase),
  };
}

export function certifyJunit(report: CertifyReport, conformance: RunReport): string {
  // A client's certificate has no load run, so no `slo` suite (an empty one would read as a run that measured nothing).
  return junitDocument(`hubproof certify: ${subjectName(report)}`, report.durationsMs.total / 1000, [
    ...conformanceSuites(conformance),
    ...(report.client ? [] : [sloSuite(report)]),
  ]);
}
