/**
 * JUnit XML of a certification: the conformance testsuites (one per requirement section, from
 * reports/junit.ts) plus one `slo` testsuite with a testcase per load threshold. A breached SLO is a
 * <failure>; an unmeasured one (invalid figures) is <skipped> with the reason.
 */
import type { RunReport } from '../conformance/runner.ts';
import { conformanceJunit, xmlEscape } from '../reports/junit.ts';
import type { CertifyReport, SloRow } from './certify-types.ts';

function sloCase(r: SloRow): string {
  const open = `    <testcase name="${xmlEscape(r.id)}" classname="slo" time="0"`;
  const actual = r.actual === null ? 'not measured' : `${r.actual}${r.unit ? ` ${r.unit}` : ''}`;
  const certifies = r.requirements?.length ? `; certifies ${r.requirements.join(', ')}` : '';
  const text = `${r.label}: ${actual}, required ${r.comparator} ${r.limit}${r.unit ? ` ${r.unit}` : ''}${r.note ? ` (${r.note})` : ''}${certifies}`;
  if (r.status === 'breached') return `${open}>\n      <failure message="${xmlEscape(text)}" type="SLO">${xmlEscape(text)}</failure>\n    </testcase>`;
  if (r.status === 'unmeasured') return `${open}>\n      <skipped message="${xmlEscape(text)}"/>\n    </testcase>`;
  return `${open}>\n      <system-out>${xmlEscape(text)}</system-out>\n    </testcase>`;
}

function sloSuite(report: CertifyReport): string {
  const s = report.summary.slo;
  return [
    `  <testsuite name="slo" tests="${s.total}" failures="${s.breached}" errors="0" skipped="${s.unmeasured}" time="${(report.durationsMs.load / 1000).toFixed(3)}" timestamp="${xmlEscape(report.startedAt.replace(/Z$/, ''))}">`,
    ...report.slos.map(sloCase),
    '  </testsuite>',
  ].join('\n');
}

export function certifyJunit(report: CertifyReport, conformance: RunReport): string {
  // The conformance document's suites, re-rooted under one <testsuites> whose totals include the SLOs.
  const inner = /<testsuites[^>]*>\n([\s\S]*?)<\/testsuites>/.exec(conformanceJunit(conformance))?.[1] ?? '';
  const c = conformance.summary;
  const s = report.summary.slo;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlEscape(`hubproof certify: ${report.hub.name}`)}" tests="${c.total + s.total}" failures="${c.fail + s.breached}" errors="0" skipped="${c.skipped + c.unimplemented + s.unmeasured}" time="${(report.durationsMs.total / 1000).toFixed(3)}">`,
    `${inner}${sloSuite(report)}`,
    '</testsuites>',
    '',
  ].join('\n');
}
