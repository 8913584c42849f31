/** Known-deviation files: parsing (every malformed shape names its entry), applying, and the CLI flags end to end. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyDeviations, loadDeviations, parseDeviations } from '../../conformance/deviations.ts';
import type { CaseResult } from '../../reports/model/case-result.ts';
import { exitCodeOf } from '../../reports/model/run-report.ts';
import { HubproofError } from '../../spec/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'hubproof-expect-'));
const parse = (doc: unknown) => parseDeviations(typeof doc === 'string' ? doc : JSON.stringify(doc), 'dev.json');
const errorOf = (doc: unknown) => {
  try {
    parse(doc);
  } catch (err) {
    expect(err).toBeInstanceOf(HubproofError);
    expect((err as HubproofError).code).toBe('HUBPROOF_ERR_EXPECT_INVALID');
    return (err as Error).message;
  }
  throw new Error('parsed');
};
const row = (id: string, outcome: CaseResult['outcome'], level: CaseResult['level'] = 'MUST'): CaseResult => ({
  id,
  requirement: id.slice(0, id.indexOf('#')),
  level,
  desc: id,
  outcome,
  durationMs: 1,
  wire: [],
});

describe('parseDeviations', () => {
  it('reads requirement and case ids, objects and reason strings, and ignores $comment', () => {
    const list = loadDeviations(join(import.meta.dirname, '..', '..', 'docs', 'examples', 'known-deviations.json'));
    expect([...list.keys()]).toEqual(['pusher/http-auth/4', 'pusher/encrypted/3', 'pusher/close-codes/3#1']);
    expect(list.get('pusher/http-auth/4')).toEqual({
      key: 'pusher/http-auth/4',
      reason: expect.stringContaining('replay window'),
      link: 'https://github.com/example/hub/issues/12',
    });
    expect(list.get('pusher/close-codes/3#1')).toEqual({
      key: 'pusher/close-codes/3#1',
      reason: 'closes a silent connection with 1006, not a code in 4200-4299',
    });
  });

  it('names the bad entry of a malformed file', () => {
    expect(errorOf('{"pusher/http-auth/4": ')).toMatch(/^known-deviations file dev\.json: not JSON/);
    expect(errorOf(['pusher/http-auth/4'])).toMatch(/must be a JSON object/);
    expect(errorOf({ 'pusher/http-auth/99': { reason: 'x' } })).toMatch(/entry "pusher\/http-auth\/99": no such requirement/);
    expect(errorOf({ 'pusher/http-auth/4#9': { reason: 'x' } })).toMatch(/entry "pusher\/http-auth\/4#9": no such case/);
    expect(errorOf({ 'pusher/http-auth/4': {} })).toMatch(/entry "pusher\/http-auth\/4": missing "reason"/);
    expect(errorOf({ 'pusher/http-auth/4': { reason: '  ' } })).toMatch(/missing "reason"/);
    expect(errorOf({ 'pusher/http-auth/4': { reason: 'x', link: 'not a url' } })).toMatch(/"link" must be a URL/);
    expect(errorOf({ 'pusher/http-auth/4': { reason: 'x', reasn: 'y' } })).toMatch(/unknown field "reasn"/);
  });
});

describe('applyDeviations', () => {
  const list = parse({
    'pusher/http-auth/4': { reason: 'replay window' },
    'pusher/http-auth/6#1': { reason: 'other key' },
    'pusher/heartbeat/3': 'no pings',
  });
  const rows = [
    row('pusher/http-auth/4#1', 'fail'),
    row('pusher/http-auth/6#1', 'pass'),
    row('pusher/http-auth/7#1', 'fail'),
    row('pusher/heartbeat/3#1', 'non-strict', 'SHOULD'),
    row('pusher/http-auth/4#2', 'blocked'),
  ];

  it('makes listed misses expected-fail and listed passes fixed; others stay as judged', () => {
    const out = applyDeviations(rows, list);
    expect(out.map((r) => [r.id, r.outcome, r.deviation?.key])).toEqual([
      ['pusher/http-auth/4#1', 'expected-fail', 'pusher/http-auth/4'],
      ['pusher/http-auth/6#1', 'fixed', 'pusher/http-auth/6#1'],
      ['pusher/http-auth/7#1', 'fail', undefined],
      ['pusher/heartbeat/3#1', 'expected-fail', 'pusher/heartbeat/3'],
      ['pusher/http-auth/4#2', 'blocked', undefined],
    ]);
    // http-auth/7 is not listed: the run still fails on it; without it, only fixed under failOnFixed fails.
    expect(exitCodeOf(out)).toBe(1);
    const listedOnly = out.filter((r) => r.id !== 'pusher/http-auth/7#1');
    expect(exitCodeOf(listedOnly, [], { failOnFixed: false })).toBe(0);
    expect(exitCodeOf(listedOnly, [], { failOnFixed: true })).toBe(1);
  });
});

describe('conform --expect', () => {
  const hubproof = (...args: string[]) =>
    spawnSync(process.execPath, ['bin/hubproof.js', 'conform', ...args], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, CI: '1' },
    });

  it('exits 2 before running, naming the bad entry', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ 'pusher/connection/1': { link: 'https://x.test' } }));
    const r = hubproof('pusher/connection/1', '--expect', file);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(
      /^Error: known-deviations file .*bad\.json: entry "pusher\/connection\/1": missing "reason".*\[HUBPROOF_ERR_EXPECT_INVALID\]$/,
    );
    expect(hubproof('pusher/connection/1', '--fail-on-fixed').status).toBe(2);
  });

  it('reports a listed case that passes as fixed; --fail-on-fixed makes that fail the run', () => {
    const file = join(dir, 'fixed.json');
    writeFileSync(file, JSON.stringify({ 'pusher/connection/1': { reason: 'was broken in 1.0', link: 'https://example.test/i/3' } }));
    const json = join(dir, 'fixed-report.json');
    const loose = hubproof('pusher/connection/1', '--expect', file, '--json', json);
    expect(loose.status, loose.stderr).toBe(0);
    expect(loose.stderr + loose.stdout).toMatch(/FIXED pusher\/connection\/1#1/);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { results: CaseResult[] };
    expect(report.results[0]).toMatchObject({ outcome: 'fixed', deviation: { key: 'pusher/connection/1', reason: 'was broken in 1.0' } });
    expect(hubproof('pusher/connection/1', '--expect', file, '--fail-on-fixed').status).toBe(1);
  }, 90_000);
});

describe('a run against a hub with known deviations', () => {
  it('reads expected-fail for the listed failures, keeps them in their root-cause group, and exits 0', async () => {
    const { findMutant } = await import('../../selftest/mutants/index.ts');
    const { runConformance } = await import('../../conformance/runner.ts');
    const hub = await findMutant('http-errors-as-200').start();
    try {
      const deviations = parse({
        'pusher/http-auth/2': 'answers errors 200 (Soketi)',
        'pusher/http-auth/3': 'answers errors 200 (Soketi)',
        'pusher/http-auth/8': 'suspected, but it is fine',
      });
      const report = await runConformance({
        target: hub.target,
        selectors: ['pusher/http-auth/2', 'pusher/http-auth/3', 'pusher/http-auth/8'],
        seed: 1,
        numRuns: 1,
        progress: null,
        deviations,
      });
      expect(report.results.map((r) => [r.id, r.outcome])).toEqual([
        ['pusher/http-auth/2#1', 'expected-fail'],
        ['pusher/http-auth/3#1', 'expected-fail'],
        ['pusher/http-auth/8#1', 'fixed'],
      ]);
      expect(report.groups.map((g) => [g.fingerprint, g.cases])).toEqual([
        ['http-error-as-2xx:200:error-in-body', ['pusher/http-auth/2#1', 'pusher/http-auth/3#1']],
      ]);
      expect(report.exitCode).toBe(0);
    } finally {
      await hub.close();
    }
  }, 60_000);
});
