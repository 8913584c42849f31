/**
 * How each renderer shows the outcomes a real, imperfect hub produces — blocked, expected-fail, fixed —
 * and the run-level slots that lead a report: findings (a crash) and root-cause groups. The report is
 * built by hand: these slots are filled by the runner later; the rendering is fixed here.
 */
import { describe, expect, it } from 'vitest';
import { conformanceHtml } from '../../reports/conformance-html.ts';
import { progressLine, runEndText } from '../../reports/conformance-terminal.ts';
import { conformanceJunit } from '../../reports/junit.ts';
import { exitCodeOf, summarize, type CaseResult, type RunReport } from '../../reports/model/index.ts';
import { DEFAULT_TIMINGS } from '../../conformance/context.ts';

const dev = { key: 'pusher/http-auth/4', reason: 'replay window of 700 s', link: 'https://example.test/i/1' };
const ROWS: CaseResult[] = [
  {
    id: 'pusher/bad-input/4#1',
    requirement: 'pusher/bad-input/4',
    level: 'MUST',
    desc: 'Sends pusher:subscribe with data null',
    outcome: 'fail',
    reason: 'hub stopped answering during this case',
    expected: 'pusher:error',
    actual: 'connection refused',
    durationMs: 12,
    wire: [],
    replay: 'npx hubproof conform pusher/bad-input/4#1 --seed 1',
  },
  {
    id: 'pusher/bad-input/5#1',
    requirement: 'pusher/bad-input/5',
    level: 'MUST',
    desc: 'Sends a 2 MB frame',
    outcome: 'blocked',
    reason: 'hub down since pusher/bad-input/4#1',
    blockedBy: { kind: 'crash', id: 'crash#1' },
    durationMs: 0,
    wire: [],
  },
  {
    id: 'pusher/close-codes/4#1',
    requirement: 'pusher/close-codes/4',
    level: 'MUST',
    desc: 'Sends malformed JSON',
    outcome: 'blocked',
    reason: 'not judged: pusher/bad-input/1 failed first',
    blockedBy: { kind: 'requirement', id: 'pusher/bad-input/1', case: 'pusher/bad-input/1#1' },
    durationMs: 3,
    wire: [],
  },
  {
    id: 'pusher/http-auth/4#1',
    requirement: 'pusher/http-auth/4',
    level: 'MUST',
    desc: 'Signs requests 700 s in the past',
    outcome: 'expected-fail',
    reason: 'a request signed 700 s ago answered 200',
    expected: 'HTTP 401',
    actual: '200 {}',
    deviation: dev,
    durationMs: 4,
    wire: [],
  },
  {
    id: 'pusher/http-auth/6#1',
    requirement: 'pusher/http-auth/6',
    level: 'MUST',
    desc: 'Signs with another auth_key',
    outcome: 'fixed',
    deviation: { key: 'pusher/http-auth/6', reason: 'other key accepted' },
    durationMs: 4,
    wire: [],
  },
  {
    id: 'pusher/presence/6#2',
    requirement: 'pusher/presence/6',
    level: 'MUST',
    desc: 'Runs the presence model',
    outcome: 'pass',
    durationMs: 9,
    wire: [{ t: 1, dir: '>', conn: 'ws#1', text: '{}' }],
  },
  {
    id: 'pusher/presence/4#2',
    requirement: 'pusher/presence/4',
    level: 'MUST',
    desc: 'Runs the presence model',
    outcome: 'pass',
    durationMs: 9,
    wire: [],
    sameRunAs: 'pusher/presence/6#2',
  },
];

function report(failOnFixed = false): RunReport {
  const findings: RunReport['findings'] = [
    {
      id: 'crash#1',
      kind: 'crash',
      severity: 'fail',
      text: 'during pusher/bad-input/4#1 after > ws#3 {"event":"pusher:subscribe","data":null}',
      cases: ['pusher/bad-input/4#1'],
    },
    { id: 'limit#1', kind: 'limit', severity: 'info', text: 'channel names: 200, Pusher 164' },
  ];
  const rules = { failOnFixed };
  return {
    target: { name: 'imperfect', profiles: ['pusher'], nodes: [{ ws: 'ws://127.0.0.1:1', http: 'http://127.0.0.1:1' }], embedded: false },
    hub: undefined,
    harness: { name: 'hubproof', version: '0.0.0' },
    seed: 1,
    numRuns: 1,
    strict: false,
    selectors: [],
    timings: DEFAULT_TIMINGS,
    startedAt: '2025-01-01T00:00:00.000Z',
    durationMs: 1000,
    warnings: [],
    findings,
    groups: [
      {
        fingerprint: 'http-error-as-2xx',
        cause: 'HTTP API errors answered with status 200 (the body carries the real code)',
        cases: ['pusher/http-auth/4#1', 'pusher/http-auth/6#1'],
      },
    ],
    rules,
    results: ROWS,
    summary: summarize(ROWS),
    exitCode: exitCodeOf(ROWS, findings, rules),
  };
}

describe('terminal', () => {
  it('has a word and a symbol for each new outcome', () => {
    const words = ROWS.map((r) => progressLine(r, { plain: true }).split(' ')[0]);
    expect(words).toEqual(['FAIL', 'BLOCKED', 'BLOCKED', 'XFAIL', 'FIXED', 'PASS', 'PASS']);
    expect(progressLine(ROWS[1]!, { plain: false })).toMatch(/⊘.* pusher\/bad-input\/5#1 .* — hub down since pusher\/bad-input\/4#1/);
    expect(progressLine(ROWS[3]!, { plain: false })).toContain('x\x1b[0m pusher/http-auth/4#1');
    expect(progressLine(ROWS[4]!, { plain: true })).toContain(
      'listed as a known deviation (pusher/http-auth/6: other key accepted), but passed',
    );
  });

  it('leads with the crash, then root causes, failures, fixed, known deviations, blocked by blocker, then the counts', () => {
    const text = runEndText(report(), () => ({ text: 'a rule' }));
    const order = [
      'hub crashed 1 time(s): during pusher/bad-input/4#1 after > ws#3',
      'limit: channel names: 200, Pusher 164',
      'Root causes:',
      '  2 cases — HTTP API errors answered with status 200',
      'FAIL pusher/bad-input/4#1',
      'FIXED pusher/http-auth/6#1',
      'XFAIL pusher/http-auth/4#1',
      'Blocked (2), not judged:',
      'conformance: 2 passed',
    ];
    const at = order.map((s) => text.indexOf(s));
    expect(
      at.every((i) => i >= 0),
      text,
    ).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(text).toContain(
      '  Known:    listed as a known deviation (pusher/http-auth/4: replay window of 700 s, see https://example.test/i/1)',
    );
    // The blocked rows as a tree: each blocker once, the rows it blocked indented under it.
    expect(text).toContain('  blocked: hub down since crash#1\n    pusher/bad-input/5#1 — hub down since pusher/bad-input/4#1\n');
    expect(text).toContain(
      '  pusher/bad-input/1 (not run in this selection)\n    pusher/close-codes/4#1 — not judged: pusher/bad-input/1 failed first\n',
    );
    expect(text).toMatch(/^conformance: 2 passed, 1 failed, 0 skipped, 2 blocked, 1 expected-fail, 1 fixed$/m);
  });

  it('prints exactly what it printed before when none of the new outcomes occurs', () => {
    const plain = report();
    const r = { ...plain, findings: [], groups: [], results: [ROWS[5]!], summary: summarize([ROWS[5]!]) };
    expect(runEndText(r, () => undefined)).toBe(
      '\n1 cases · 0 non-strict · 0 unimplemented · 0 informational · seed 1 · 1.0 s\nconformance: 1 passed, 0 failed, 0 skipped\n',
    );
  });
});

describe('JUnit', () => {
  it('shows blocked and expected-fail as skipped with the reason, fixed as a pass with a note, and the crash as a failure of a leading run suite', () => {
    const xml = conformanceJunit(report());
    expect(xml.indexOf('<testsuite name="run"')).toBeLessThan(xml.indexOf('<testsuite name="pusher/bad-input"'));
    expect(xml).toContain(
      '<testcase name="crash#1" classname="run" time="0.000">\n      <failure message="hub crashed during pusher/bad-input/4#1',
    );
    expect(xml).toContain('<skipped message="blocked: hub down since pusher/bad-input/4#1"/>');
    expect(xml).toContain(
      '<skipped message="expected-fail: a request signed 700 s ago answered 200 (listed as a known deviation (pusher/http-auth/4: replay window of 700 s, see https://example.test/i/1))"/>',
    );
    expect(xml).toMatch(/<testcase name="pusher\/http-auth\/6#1"[^>]*>\n {6}<system-out>FIXED: listed as a known deviation/);
    // run: 1 failure (crash) + 1 info; sections: 1 fail, 2 blocked + 1 expected-fail skipped
    expect(xml).toMatch(/<testsuites name="hubproof conformance: imperfect" tests="9" failures="2" errors="0" skipped="3"/);
  });

  it('fails a fixed row when the rules say a fixed deviation fails the run', () => {
    const r = report(true);
    expect(r.exitCode).toBe(1);
    expect(conformanceJunit(r)).toMatch(/<testcase name="pusher\/http-auth\/6#1"[^>]*>\n {6}<failure message="FIXED: [^"]*" type="fixed">/);
  });
});

describe('HTML', () => {
  it('leads with the findings, lists root causes, badges every outcome, and points a shared run at its wire log', () => {
    const page = conformanceHtml(report());
    expect(page.indexOf('id="findings"')).toBeLessThan(page.indexOf('id="summary"'));
    expect(page).toContain('<div>hub crashed 1 time(s): during pusher/bad-input/4#1 after &gt; ws#3');
    expect(page).toContain('<b>2 cases — HTTP API errors answered with status 200 (the body carries the real code)</b>');
    for (const o of ['blocked', 'expected-fail', 'fixed']) expect(page).toContain(`<span class="badge o-${o}">${o}</span>`);
    expect(page).toMatch(/\.o-blocked \{ background: var\(--blocked\); \}/);
    expect(page).toContain('<h2>Known deviations</h2>');
    // The blocked tree, as in the terminal: the blocker once, its dependants under it.
    expect(page).toContain(
      '<pre id="blocked" class="mono">blocked: hub down since crash#1\n  pusher/bad-input/5#1 — hub down since pusher/bad-input/4#1\npusher/bad-input/1 (not run in this selection)\n  pusher/close-codes/4#1',
    );
    expect(page).toContain('but it passed: remove it from the list');
    expect(page).toContain('wire log with <a href="#case-pusher-presence-6-2" class="mono">pusher/presence/6#2</a> (same run)');
    // Cards for the new outcomes appear only when they occur.
    expect(page).toMatch(/<div class="n t-blocked">2<\/div><div class="l">blocked<\/div>/);
    expect(conformanceHtml({ ...report(), results: [ROWS[5]!], summary: summarize([ROWS[5]!]) })).not.toContain(
      '<div class="l">blocked</div>',
    );
  });
});
