import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConformance, selectCases } from '../../conformance/runner.ts';
import { checkProperty } from '../../conformance/property.ts';
import { expectBelow } from '../../conformance/verify.ts';
import { derived, req } from '../../spec/requirements/types.ts';
import type { TargetFile } from '../../spec/target.ts';
import { CheckFailure, type Case, type CaseResult } from '../../conformance/types.ts';
import { HubproofError } from '../../spec/errors.ts';

const REQS = [
  req('pusher/alpha/1', 'MUST', 'The alpha rule one must hold for the test.', 'test', derived('a fixture of this test')),
  req('pusher/alpha/2', 'SHOULD', 'The alpha rule two should hold for the test.', 'test', derived('a fixture of this test')),
  req('pusher/beta/1', 'MUST', 'The beta rule one must hold for the test.', 'test', derived('a fixture of this test'), {
    capability: 'client_events',
  }),
  req('sync/gamma/1', 'MUST', 'A sync rule the pusher-only target lacks.', 'test', derived('a fixture of this test')),
  req('pusher/delta/1', 'MUST', 'A rule whose case never answers.', 'test', derived('a fixture of this test')),
  req('pusher/prop/1', 'MUST', 'A property over small integers must hold.', 'test', derived('a fixture of this test')),
];

const CASES: Case[] = [
  { requirement: 'pusher/alpha/1', desc: 'Passes', run: async () => undefined },
  { requirement: 'pusher/alpha/1', desc: 'Fails a check', run: async (ctx) => ctx.fail('wrong answer', { expected: 'A', actual: 'B' }) },
  { requirement: 'pusher/alpha/2', desc: 'Misses a SHOULD', run: async (ctx) => ctx.fail('should miss', { expected: 'x', actual: 'y' }) },
  { requirement: 'pusher/beta/1', desc: 'Needs client events', run: async () => undefined },
  { requirement: 'sync/gamma/1', desc: 'Needs the sync profile', run: async () => undefined },
  { requirement: 'pusher/alpha/1', desc: 'Skips itself', run: async (ctx) => ctx.skip('no reason to run') },
  { requirement: 'pusher/delta/1', desc: 'Never answers', timeoutMs: 300, run: () => new Promise<void>(() => undefined) },
  {
    requirement: 'pusher/prop/1',
    desc: 'Checks that every integer is below 50',
    property: true,
    run: (ctx) => checkProperty(ctx, fc.integer({ min: 0, max: 100 }), async (n) => expectBelow(n, 50, `${n} is not below 50`)),
  },
];

let server: Server;
let target: TargetFile;
beforeAll(async () => {
  server = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  target = {
    name: 'tiny',
    profiles: ['pusher'],
    nodes: [{ ws: `ws://127.0.0.1:${port}`, http: `http://127.0.0.1:${port}` }],
    app: { id: '1', key: 'k', secret: 's' },
    agents: [],
    capabilities: { client_events: false },
  };
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});

const byDesc = (results: CaseResult[], desc: string) => results.find((r) => r.desc === desc)!;

describe('case selection', () => {
  it('selects by requirement prefix at any depth and by case id', () => {
    expect(selectCases({ cases: CASES, requirements: REQS, selectors: ['pusher/alpha'] }).map((c) => c.id)).toEqual([
      'pusher/alpha/1#1',
      'pusher/alpha/1#2',
      'pusher/alpha/2#1',
      'pusher/alpha/1#3',
    ]);
    expect(selectCases({ cases: CASES, requirements: REQS, selectors: ['pusher/alpha/1#2'] }).map((c) => c.id)).toEqual([
      'pusher/alpha/1#2',
    ]);
    expect(selectCases({ cases: CASES, requirements: REQS, selectors: ['sync'] }).map((c) => c.id)).toEqual(['sync/gamma/1#1']);
    expect(selectCases({ cases: CASES, requirements: REQS })).toHaveLength(CASES.length);
  });

  it('refuses a selector that matches nothing', () => {
    expect(() => selectCases({ cases: CASES, requirements: REQS, selectors: ['pusher/nope'] })).toThrow(HubproofError);
  });
});

describe('outcomes', () => {
  it('maps checks, gates and timeouts to outcomes', async () => {
    const report = await runConformance({
      target,
      targetPath: 'tiny.json',
      cases: CASES,
      requirements: REQS,
      progress: null,
      seed: 7,
      numRuns: 20,
    });
    const r = report.results;
    expect(byDesc(r, 'Passes').outcome).toBe('pass');
    const failed = byDesc(r, 'Fails a check');
    expect(failed).toMatchObject({ outcome: 'fail', expected: 'A', actual: 'B', id: 'pusher/alpha/1#2' });
    expect(failed.replay).toBe('npx hubproof conform pusher/alpha/1#2 --target tiny.json --seed 7');
    expect(byDesc(r, 'Misses a SHOULD')).toMatchObject({ outcome: 'skipped', reason: 'SHOULD; run with --strict' });
    expect(byDesc(r, 'Needs client events').outcome).toBe('unimplemented');
    expect(byDesc(r, 'Needs the sync profile')).toMatchObject({ outcome: 'unimplemented', reason: expect.stringContaining('sync') });
    expect(byDesc(r, 'Skips itself')).toMatchObject({ outcome: 'skipped', reason: 'no reason to run' });
    expect(byDesc(r, 'Never answers')).toMatchObject({ outcome: 'fail', reason: 'no answer within 300 ms' });
    expect(report.exitCode).toBe(1);
    expect(report.summary.fail).toBe(3);
  });

  it('runs SHOULD cases with strict and reports a miss as non-strict', async () => {
    const report = await runConformance({
      target,
      cases: CASES,
      requirements: REQS,
      progress: null,
      strict: true,
      selectors: ['pusher/alpha/2'],
    });
    expect(report.results[0]).toMatchObject({ outcome: 'non-strict', expected: 'x', actual: 'y' });
    expect(report.exitCode).toBe(0);
  });

  it('records seed, path and a shrunk counterexample for a failing property, and replays it', async () => {
    const report = await runConformance({
      target,
      cases: CASES,
      requirements: REQS,
      progress: null,
      seed: 42,
      numRuns: 50,
      selectors: ['pusher/prop'],
    });
    const r = report.results[0]!;
    expect(r.outcome).toBe('fail');
    expect(r.seed).toBe(42);
    expect(r.path).toMatch(/^\d+(:\d+)*$/);
    expect(r.counterexample).toBe(50);
    expect(r.replay).toBe(`npx hubproof conform pusher/prop/1#1 --target <target.json> --seed 42 --path ${r.path}`);
    const replay = await runConformance({
      target,
      cases: CASES,
      requirements: REQS,
      progress: null,
      seed: 42,
      path: r.path,
      selectors: ['pusher/prop/1#1'],
    });
    expect(replay.results[0]).toMatchObject({ outcome: 'fail', counterexample: 50 });
  });

  it('prints one progress line per case, the failures with Expected/Actual, and the counts', async () => {
    let text = '';
    await runConformance({
      target,
      cases: CASES,
      requirements: REQS,
      progress: { write: (s: string) => (text += s) },
      plain: true,
      seed: 1,
      selectors: ['pusher/alpha'],
    });
    expect(text).toMatch(/^PASS\s+pusher\/alpha\/1#1 {2}Passes/m);
    expect(text).toMatch(/^FAIL\s+pusher\/alpha\/1#2/m);
    expect(text).toContain('Requirement pusher/alpha/1 (MUST): The alpha rule one must hold for the test.');
    expect(text).toMatch(/^ {2}Expected: A$/m);
    expect(text).toMatch(/^ {2}Actual: {3}B$/m);
    expect(text).toMatch(/^conformance: 1 passed, 1 failed, 2 skipped$/m);
  });
});

describe('hubproof conform (CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hubproof-cli-'));
  const cli = (args: string[]) =>
    spawnSync(process.execPath, ['bin/hubproof.js', 'conform', ...args], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, CI: '1' },
    });

  it('exits 2 with one Error line when the target is unreachable', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const file = join(dir, 'down.json');
    writeFileSync(file, JSON.stringify({ ...target, nodes: [{ ws: `ws://127.0.0.1:${port}`, http: `http://127.0.0.1:${port}` }] }));
    const res = cli(['--target', file, 'pusher/connection']);
    expect(res.status).toBe(2);
    const lines = res.stderr.split('\n').filter((l) => l.trim() && !l.startsWith('npm warn'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Error: target "tiny" did not answer at .*ECONNREFUSED.*\[HUBPROOF_ERR_TARGET_UNREACHABLE\]$/);
  });

  it('exits 2 naming the bad field of an invalid target file', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ ...target, nodes: [{ ws: 'http://x', http: 'http://x' }] }));
    const res = cli(['--target', file]);
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/Error: target file .* is invalid at nodes\.0\.ws: must be a ws or wss URL/);
  });

  it('lists the selected cases with --dry-run, every row of a run that proves several requirements, counted as the run will, and exits 0', () => {
    const res = cli(['--dry-run', 'pusher/heartbeat', 'pusher/presence/4']);
    expect(res.status).toBe(0);
    const rows = res.stdout.trim().split('\n');
    const [, cases, runs] = /^(\d+) case\(s\) in (\d+) runs$/.exec(rows.at(-1)!) ?? [];
    expect(Number(cases)).toBe(rows.length - 1);
    expect(Number(runs)).toBe(Number(cases) - 1);
    const heartbeat = rows.filter((r) => r.startsWith('pusher/heartbeat/'));
    expect(heartbeat.length).toBeGreaterThan(1);
    for (const row of heartbeat) expect(row).toMatch(/^pusher\/heartbeat\/\d+#\d+\t(MUST|SHOULD|MAY)\t\S/);
    // presence/4 is proved by its own case and by the presence model's run (first row presence/6).
    expect(rows).toContainEqual(expect.stringMatching(/^pusher\/presence\/6#\d+\tMUST\t\S/));
    expect(rows).toContainEqual(expect.stringMatching(/^pusher\/presence\/4#\d+\tMUST\t\(same run as pusher\/presence\/6#\d+\)$/));
  });
});

describe('a case that proves several requirements', () => {
  const MULTI_REQS = [
    req('pusher/one/1', 'MUST', 'The first rule the shared run proves.', 'test', derived('a fixture of this test')),
    req('pusher/two/1', 'MUST', 'The second rule the shared run proves.', 'test', derived('a fixture of this test')),
    req('pusher/three/1', 'MUST', 'A third rule, proved last.', 'test', derived('a fixture of this test')),
  ];
  const shared = (fail: 'none' | 'first' | 'second'): Case => ({
    requirement: 'pusher/one/1',
    alsoProves: ['pusher/two/1', 'pusher/three/1'],
    desc: `Shared run (${fail})`,
    run: async (ctx) => {
      ctx.log('>', 'ws#1', 'one frame');
      if (fail === 'first') ctx.fail('first check failed', { expected: 'A', actual: 'B' });
      if (fail === 'second') ctx.fail('second check failed', { expected: 'C', actual: 'D', requirement: 'pusher/two/1' });
    },
  });
  const CASES_MULTI: Case[] = [
    { requirement: 'pusher/two/1', desc: 'Own case of the second rule', run: async () => undefined },
    shared('second'),
  ];

  it('numbers its extra rows after the cases that name the requirement first, and is selected by any of them', () => {
    const all = selectCases({ cases: CASES_MULTI, requirements: MULTI_REQS });
    expect(all.map((c) => c.reqRows.map((r) => r.id))).toEqual([
      ['pusher/two/1#1'],
      ['pusher/one/1#1', 'pusher/two/1#2', 'pusher/three/1#1'],
    ]);
    expect(selectCases({ cases: CASES_MULTI, requirements: MULTI_REQS, selectors: ['pusher/three'] }).map((c) => c.id)).toEqual([
      'pusher/one/1#1',
    ]);
    expect(selectCases({ cases: CASES_MULTI, requirements: MULTI_REQS, selectors: ['pusher/two/1#2'] }).map((c) => c.id)).toEqual([
      'pusher/one/1#1',
    ]);
  });

  it('is counted in the run header as the summary counts it, one case per row', async () => {
    let text = '';
    const report = await runConformance({
      target,
      cases: CASES_MULTI,
      requirements: MULTI_REQS,
      progress: { write: (s: string) => (text += s) },
      plain: true,
      seed: 3,
    });
    const header = /^hubproof conform: (\d+) case\(s\) in 2 runs against "tiny"/m.exec(text);
    expect(Number(header?.[1])).toBe(report.summary.total);
    expect(report.summary.total).toBe(4);
    expect(text).toMatch(new RegExp(`^${report.summary.total} cases · `, 'm'));
  });

  it('reports one row per requirement: the failing check on its own id, the rest blocked by it, the wire log on the failing row', async () => {
    const report = await runConformance({
      target,
      targetPath: 'tiny.json',
      cases: CASES_MULTI,
      requirements: MULTI_REQS,
      selectors: ['pusher/three/1'],
      progress: null,
      seed: 3,
    });
    expect(report.results.map((r) => [r.id, r.outcome])).toEqual([
      ['pusher/one/1#1', 'blocked'],
      ['pusher/two/1#2', 'fail'],
      ['pusher/three/1#1', 'blocked'],
    ]);
    const [one, two, three] = report.results;
    expect(two).toMatchObject({
      reason: 'second check failed',
      expected: 'C',
      actual: 'D',
      replay: 'npx hubproof conform pusher/two/1#2 --target tiny.json --seed 3',
    });
    expect(two!.wire.map((w) => w.text)).toEqual(['one frame']);
    expect(one).toMatchObject({
      blockedBy: { kind: 'requirement', id: 'pusher/two/1', case: 'pusher/two/1#2' },
      sameRunAs: 'pusher/two/1#2',
      wire: [],
    });
    expect(three!.reason).toMatch(/^not judged: pusher\/two\/1 failed first in this run/);
    expect(report.summary).toMatchObject({ total: 3, fail: 1, blocked: 2 });
    expect(report.exitCode).toBe(1);
  });

  it('in a property, blocks what the failing check judged alongside: the property stopped and shrank towards the failure', async () => {
    const prop: Case = {
      requirement: 'pusher/one/1',
      alsoProves: ['pusher/two/1'],
      desc: 'Property judging two rules at once',
      property: true,
      run: (ctx) =>
        checkProperty(ctx, fc.integer({ min: 0, max: 100 }), async (n) => {
          if (n >= 50)
            throw new CheckFailure(`${n} is too big`, '< 50', String(n), undefined, {
              requirement: 'pusher/two/1',
              judged: ['pusher/one/1', 'pusher/two/1'],
            });
        }),
    };
    const report = await runConformance({ target, cases: [prop], requirements: MULTI_REQS, progress: null, seed: 42, numRuns: 50 });
    expect(report.results.map((r) => [r.id, r.outcome])).toEqual([
      ['pusher/one/1#1', 'blocked'],
      ['pusher/two/1#1', 'fail'],
    ]);
    expect(report.results[1]).toMatchObject({ counterexample: 50, seed: 42, replay: expect.stringContaining('pusher/two/1#1') });
    expect(report.results[0]!.path).toBe(report.results[1]!.path);
  });

  it('passes every row of a passing run, and gates all rows together when one requirement needs what the target lacks', async () => {
    const report = await runConformance({ target, cases: [shared('none')], requirements: MULTI_REQS, progress: null, seed: 3 });
    expect(report.results.map((r) => r.outcome)).toEqual(['pass', 'pass', 'pass']);
    const needsClientEvents = [
      ...MULTI_REQS.slice(0, 2),
      req('pusher/three/1', 'MUST', 'A third rule, proved last.', 'test', derived('a fixture of this test'), {
        capability: 'client_events',
      }),
    ];
    const gated = await runConformance({ target, cases: [shared('first')], requirements: needsClientEvents, progress: null, seed: 3 });
    expect(gated.results.map((r) => [r.outcome, r.reason])).toEqual(
      Array(3).fill(['unimplemented', 'target declares capability client_events: false']),
    );
  });
});
