/**
 * The one JUnit XML builder: suites of test cases in, a document out. Counts (tests, failures, skipped)
 * are taken from the cases themselves, so a suite's attributes can never disagree with its content.
 * Conformance, certify (and load, should it emit JUnit) describe their results as JunitSuites.
 */

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

export type JunitResult =
  { kind: 'pass' } | { kind: 'failure'; message: string; type: string; text: string } | { kind: 'skipped'; message: string };

export interface JunitCase {
  name: string;
  classname: string;
  timeS: number;
  result: JunitResult;
  systemOut?: string;
}

export interface JunitSuite {
  name: string;
  timeS: number;
  /** ISO time without the trailing Z, as JUnit readers expect. */
  timestamp?: string;
  properties?: Record<string, string>;
  cases: JunitCase[];
}

export interface JunitCounts {
  tests: number;
  failures: number;
  skipped: number;
}

export function junitCounts(cases: readonly JunitCase[]): JunitCounts {
  return {
    tests: cases.length,
    failures: cases.filter((c) => c.result.kind === 'failure').length,
    skipped: cases.filter((c) => c.result.kind === 'skipped').length,
  };
}

const counts = (c: JunitCounts) => `tests="${c.tests}" failures="${c.failures}" errors="0" skipped="${c.skipped}"`;

function testcase(c: JunitCase): string {
  const open = `    <testcase name="${xmlEscape(c.name)}" classname="${xmlEscape(c.classname)}" time="${c.timeS.toFixed(3)}"`;
  const body: string[] = [];
  if (c.result.kind === 'failure')
    body.push(
      `      <failure message="${xmlEscape(c.result.message)}" type="${xmlEscape(c.result.type)}">${xmlEscape(c.result.text)}</failure>`,
    );
  if (c.result.kind === 'skipped') body.push(`      <skipped message="${xmlEscape(c.result.message)}"/>`);
  if (c.systemOut !== undefined) body.push(`      <system-out>${xmlEscape(c.systemOut)}</system-out>`);
  return body.length ? `${open}>\n${body.join('\n')}\n    </testcase>` : `${open}/>`;
}

function suite(s: JunitSuite): string {
  const props =
    s.properties && Object.keys(s.properties).length
      ? [
          `    <properties>${Object.entries(s.properties)
            .map(([k, v]) => `<property name="${xmlEscape(k)}" value="${xmlEscape(v)}"/>`)
            .join('')}</properties>`,
        ]
      : [];
  return [
    `  <testsuite name="${xmlEscape(s.name)}" ${counts(junitCounts(s.cases))} time="${s.timeS.toFixed(3)}"${s.timestamp ? ` timestamp="${xmlEscape(s.timestamp)}"` : ''}>`,
    ...props,
    ...s.cases.map(testcase),
    '  </testsuite>',
  ].join('\n');
}

/** A whole document: `<testsuites>` whose totals are the sum of its suites'. */
export function junitDocument(name: string, timeS: number, suites: readonly JunitSuite[]): string {
  const total = junitCounts(suites.flatMap((s) => s.cases));
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlEscape(name)}" ${counts(total)} time="${timeS.toFixed(3)}">`,
    ...suites.map(suite),
    '</testsuites>',
    '',
  ].join('\n');
}
