/** The lines `hubproof certify` prints when it is done: findings first, the verdict, why, what is not covered. */
import type { CertifyReport } from './model/certify-report.ts';
import { notCoveredCount, subjectName, verdictLabel } from './model/verdict.ts';
import { findingLines, groupLine } from './lines.ts';

export function certifyText(r: CertifyReport, files: { json: string; junit: string; html: string }): string {
  const s = r.summary;
  const should =
    r.options.strict || s.should.total === 0
      ? `${s.should.passed}/${s.should.total} SHOULD passed`
      : `${s.should.total} SHOULD not run (--strict runs them)`;
  const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  // A client's certificate has no load run: its counts end at the SHOULDs, and it has no seed (no properties).
  const head = r.client ? `${subjectName(r)} (driver ${r.client.driver}, profile ${r.client.profile})` : `${r.hub.name}`;
  const counts = `${s.must.passed}/${s.must.total} MUST passed · ${should}${r.client ? '' : ` · ${s.slo.held}/${s.slo.total} SLOs held`}`;
  const timing = r.client
    ? `  ${secs(r.durationsMs.total)} against ${r.hub.name} (one per case)`
    : `  ${secs(r.durationsMs.total)} (conformance ${secs(r.durationsMs.conformance)}, load ${secs(r.durationsMs.load)}), seed ${r.seeds.conformance}`;
  return [
    '',
    ...findingLines(r.findings),
    `certify: ${verdictLabel(r)} — ${head}: ${counts}`,
    timing,
    ...(r.exitCode === 1 ? r.reasons.map((x) => `  ✗ ${x}`) : []),
    ...r.groups.map((g) => `  root cause: ${groupLine(g)}`),
    ...(r.deviations.length ? [`  known deviations: ${r.deviations.length}`, ...r.deviations.map((x) => `  x ${x}`)] : []),
    ...(r.notCovered.length
      ? [`  not covered (skipped or blocked, not failed): ${notCoveredCount(r)}`, ...r.notCovered.map((x) => `  - ${x}`)]
      : []),
    `Report: ${files.html}  (also ${files.json}, ${files.junit})`,
    '',
  ].join('\n');
}
