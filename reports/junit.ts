/**
 * JUnit XML for CI dashboards: one <testsuite> per requirement section (`pusher/auth`), one <testcase>
 * per case (name = case id, classname = section). `fail` is a <failure>, `non-strict` passes with a
 * note in <system-out> (a SHOULD miss must not turn CI red), skipped/unimplemented are <skipped>.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RunReport } from '../conformance/runner.ts';
import type { CaseResult } from '../conformance/types.ts';

/** Escapes text for XML content and attribute values, dropping characters XML 1.0 forbids. */
export function xmlEscape(text: string): string {
  return text
    .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export function sectionOf(requirement: string): string {
  return requirement.split('/').slice(0, 2).join('/');
}

function failureText(r: CaseResult): string {
  const lines = [`Requirement: ${r.requirement} (${r.level})`, `Expected: ${r.expected ?? '(see requirement)'}`, `Actual: ${r.actual ?? r.reason ?? ''}`];
  if (r.counterexample !== undefined) lines.push(`Counterexample: ${JSON.stringify(r.counterexample)}`);
  if (r.replay) lines.push(`Replay: ${r.replay}`);
  return lines.join('\n');
}

function testcase(r: CaseResult, section: string): string {
  const open = `    <testcase name="${xmlEscape(r.id)}" classname="${xmlEscape(section)}" time="${(r.durationMs / 1000).toFixed(3)}"`;
  const desc = xmlEscape(r.desc);
  switch (r.outcome) {
    case 'pass':
      return `${open}>\n      <system-out>${desc}</system-out>\n    </testcase>`;
    case 'fail':
      return `${open}>\n      <failure message="${xmlEscape(`${r.reason ?? 'failed'} | Expected: ${r.expected ?? ''} | Actual: ${r.actual ?? ''}`)}" type="${xmlEscape(r.level)}">${xmlEscape(failureText(r))}</failure>\n      <system-out>${desc}</system-out>\n    </testcase>`;
    case 'non-strict':
      return `${open}>\n      <system-out>${xmlEscape(`NON-STRICT (${r.level} missed): ${r.desc}\n${failureText(r)}`)}</system-out>\n    </testcase>`;
    case 'informational':
      return `${open}>\n      <system-out>${xmlEscape(`INFORMATIONAL: ${r.reason ?? ''}`)}</system-out>\n    </testcase>`;
    default:
      return `${open}>\n      <skipped message="${xmlEscape(`${r.outcome}: ${r.reason ?? ''}`)}"/>\n    </testcase>`;
  }
}

export function conformanceJunit(report: RunReport): string {
  const sections = new Map<string, CaseResult[]>();
  for (const r of report.results) {
    const s = sectionOf(r.requirement);
    sections.set(s, [...(sections.get(s) ?? []), r]);
  }
  const suites = [...sections].map(([section, results]) => {
    const failures = results.filter((r) => r.outcome === 'fail').length;
    const skipped = results.filter((r) => r.outcome === 'skipped' || r.outcome === 'unimplemented').length;
    const time = results.reduce((t, r) => t + r.durationMs, 0) / 1000;
    return [
      `  <testsuite name="${xmlEscape(section)}" tests="${results.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${time.toFixed(3)}" timestamp="${xmlEscape(report.startedAt.replace(/Z$/, ''))}">`,
      `    <properties><property name="seed" value="${report.seed}"/><property name="harness" value="${xmlEscape(`${report.harness.name} ${report.harness.version}`)}"/></properties>`,
      ...results.map((r) => testcase(r, section)),
      '  </testsuite>',
    ].join('\n');
  });
  const s = report.summary;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlEscape(`hubproof conformance: ${report.target.name}`)}" tests="${s.total}" failures="${s.fail}" errors="0" skipped="${s.skipped + s.unimplemented}" time="${(report.durationMs / 1000).toFixed(3)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

export function writeJunit(report: RunReport, file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, conformanceJunit(report));
}
