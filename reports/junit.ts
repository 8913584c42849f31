/**
 * JUnit XML of a conformance run for CI dashboards: one <testsuite> per requirement section
 * (`pusher/auth`), one <testcase> per result row (name = row id, classname = section), and a leading
 * `run` suite for the run's findings (a crash is a <failure>). What fails CI is what fails the run
 * (failsRun): `fail` is a <failure>; `non-strict` passes with a note (a SHOULD miss must not turn CI
 * red); skipped, unimplemented, blocked and expected-fail are <skipped> with the reason; `fixed` passes
 * with a note, or fails when the rules say a fixed deviation fails the run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CaseResult } from './model/case-result.ts';
import { failsRun, type OutcomeRules } from './model/outcomes.ts';
import { sectionOf } from './model/requirement-rows.ts';
import type { RunFinding, RunReport } from './model/run-report.ts';
import { deviationText } from './lines.ts';
import { junitDocument, type JunitCase, type JunitSuite } from './junit-xml.ts';

export { xmlEscape } from './junit-xml.ts';

function failureText(r: CaseResult): string {
  const lines = [
    `Requirement: ${r.requirement} (${r.level})`,
    `Expected: ${r.expected ?? '(see requirement)'}`,
    `Actual: ${r.actual ?? r.reason ?? ''}`,
  ];
  if (r.counterexample !== undefined) lines.push(`Counterexample: ${JSON.stringify(r.counterexample)}`);
  if (r.replay) lines.push(`Replay: ${r.replay}`);
  return lines.join('\n');
}

export function caseOf(r: CaseResult, rules: OutcomeRules): JunitCase {
  const c = { name: r.id, classname: sectionOf(r.requirement), timeS: r.durationMs / 1000 };
  switch (r.outcome) {
    case 'pass':
      return { ...c, result: { kind: 'pass' }, systemOut: r.desc };
    case 'fail':
      return {
        ...c,
        result: {
          kind: 'failure',
          message: `${r.reason ?? 'failed'} | Expected: ${r.expected ?? ''} | Actual: ${r.actual ?? ''}`,
          type: r.level,
          text: failureText(r),
        },
        systemOut: r.desc,
      };
    case 'non-strict':
      return { ...c, result: { kind: 'pass' }, systemOut: `NON-STRICT (${r.level} missed): ${r.desc}\n${failureText(r)}` };
    case 'informational':
      return { ...c, result: { kind: 'pass' }, systemOut: `INFORMATIONAL: ${r.reason ?? ''}` };
    case 'expected-fail':
      return {
        ...c,
        result: { kind: 'skipped', message: `expected-fail: ${r.reason ?? ''} (${deviationText(r)})` },
        systemOut: `${r.desc}\n${failureText(r)}`,
      };
    case 'fixed': {
      const text = `FIXED: ${deviationText(r)}, but it passed: remove it from the list`;
      return failsRun(r.outcome, rules)
        ? { ...c, result: { kind: 'failure', message: text, type: 'fixed', text }, systemOut: r.desc }
        : { ...c, result: { kind: 'pass' }, systemOut: `${text}\n${r.desc}` };
    }
    default:
      // skipped, unimplemented, blocked: the reason says why it was not judged.
      return { ...c, result: { kind: 'skipped', message: `${r.outcome}: ${r.reason ?? ''}` } };
  }
}

/** The `run` suite: one testcase per finding, a failure for those that fail the run. */
export function findingSuite(findings: readonly RunFinding[], timestamp: string): JunitSuite[] {
  if (findings.length === 0) return [];
  const cases = findings.map((f): JunitCase => {
    const text = f.kind === 'crash' ? `hub crashed ${f.text}` : `${f.kind}: ${f.text}`;
    const c = { name: f.id, classname: 'run', timeS: 0 };
    return f.severity === 'fail'
      ? { ...c, result: { kind: 'failure', message: text, type: f.kind, text } }
      : { ...c, result: { kind: 'pass' }, systemOut: text };
  });
  return [{ name: 'run', timeS: 0, timestamp, cases }];
}

/** The conformance suites of a run (findings first), for this document and for certify's. */
export function conformanceSuites(report: RunReport): JunitSuite[] {
  const timestamp = report.startedAt.replace(/Z$/, '');
  const sections = new Map<string, CaseResult[]>();
  for (const r of report.results) {
    const s = sectionOf(r.requirement);
    sections.set(s, [...(sections.get(s) ?? []), r]);
  }
  const properties = { seed: String(report.seed), harness: `${report.harness.name} ${report.harness.version}` };
  return [
    ...findingSuite(report.findings, timestamp),
    ...[...sections].map(([name, results]) => ({
      name,
      timeS: results.reduce((t, r) => t + r.durationMs, 0) / 1000,
      timestamp,
      properties,
      cases: results.map((r) => caseOf(r, report.rules)),
    })),
  ];
}

export function conformanceJunit(report: RunReport): string {
  return junitDocument(`hubproof conformance: ${report.target.name}`, report.durationMs / 1000, conformanceSuites(report));
}

export function writeJunit(report: RunReport, file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, conformanceJunit(report));
}
