/** The certification verdict from the matrix rows: which outcomes certify, fail, leave it open or certify with known deviations. */
import { describe, expect, it } from 'vitest';
import {
  matrixSummary,
  notCovered,
  verdictLabel,
  verdictOf,
  type RequirementRow,
  type RunFinding,
  type SloRow,
} from '../../../reports/model/index.ts';

const req = (
  id: string,
  level: RequirementRow['level'],
  outcome: RequirementRow['outcome'],
  extra: Partial<RequirementRow> = {},
): RequirementRow => ({
  id,
  level,
  section: id.split('/').slice(0, 2).join('/'),
  text: 'rule',
  outcome,
  cases: [`${id}#1`],
  worstCase: `${id}#1`,
  ...(outcome === 'pass' ? {} : { reason: `${id} went wrong` }),
  ...extra,
});
const slo = (id: string, status: SloRow['status']): SloRow => ({
  id,
  scenario: id.split('/')[0]!,
  name: id.split('/')[1]!,
  label: 'p99 propagation',
  comparator: '<',
  limit: 50,
  actual: status === 'held' ? 3 : 80,
  unit: 'ms',
  status,
  ...(status === 'unmeasured' ? { note: 'figures invalid: driver CPU 97%' } : {}),
});
const plain = { strict: false };

describe('verdictOf', () => {
  it('certifies when every MUST passed and every SLO held, whatever SHOULDs and MAYs were skipped', () => {
    const v = verdictOf(
      [req('pusher/auth/1', 'MUST', 'pass'), req('pusher/auth/9', 'SHOULD', 'skipped'), req('pusher/signin/4', 'MAY', 'unimplemented')],
      [slo('fanout/p99Ms', 'held')],
      plain,
    );
    expect(v).toEqual({ verdict: 'certified', exitCode: 0, reasons: [], deviations: [] });
  });

  it('fails on a MUST failure and on a breached SLO, naming both', () => {
    const v = verdictOf(
      [req('pusher/auth/4', 'MUST', 'fail')],
      [slo('fanout/p99Ms', 'breached'), slo('presence/p99Ms', 'unmeasured')],
      plain,
    );
    expect(v.verdict).toBe('not-certified');
    expect(v.exitCode).toBe(1);
    expect(v.reasons).toEqual([
      'pusher/auth/4 (MUST) failed: pusher/auth/4 went wrong',
      'SLO fanout/p99Ms breached: p99 propagation 80 ms, required < 50 ms',
    ]);
  });

  it('counts a SHOULD miss only under strict', () => {
    const rows = [req('pusher/auth/1', 'MUST', 'pass'), req('pusher/auth/9', 'SHOULD', 'non-strict')];
    expect(verdictOf(rows, [], plain).exitCode).toBe(0);
    expect(verdictOf(rows, [], { strict: true })).toMatchObject({
      exitCode: 1,
      reasons: ['pusher/auth/9 (SHOULD) missed under --strict: pusher/auth/9 went wrong'],
    });
  });

  it('is inconclusive (exit 2) when nothing failed but some SLO could not be measured', () => {
    const v = verdictOf(
      [req('pusher/auth/1', 'MUST', 'pass')],
      [slo('fanout/p99Ms', 'held'), slo('connections/maxMbPer1000', 'unmeasured')],
      plain,
    );
    expect(v).toEqual({
      verdict: 'inconclusive',
      exitCode: 2,
      reasons: ['SLO connections/maxMbPer1000 unmeasured: figures invalid: driver CPU 97%'],
      deviations: [],
    });
  });

  it('is inconclusive when every selected MUST was skipped', () => {
    const v = verdictOf(
      [req('sync/cluster/1', 'MUST', 'skipped'), req('sync/delivery/2', 'MUST', 'skipped')],
      [slo('agents/p99Ms', 'held')],
      plain,
    );
    expect(v).toEqual({
      verdict: 'inconclusive',
      exitCode: 2,
      reasons: ['none of the 2 selected MUST requirement(s) ran (all skipped or unimplemented)'],
      deviations: [],
    });
  });
});

describe('verdictOf with known deviations, blocked rows and findings', () => {
  const listed = { deviation: { key: 'pusher/http-auth/4', reason: 'replay window of 700 s', link: 'https://example.test/issue/1' } };

  it('never certifies while a MUST is expected-fail: conformant with known deviations, exit 0, each with its reason', () => {
    const v = verdictOf(
      [req('pusher/auth/1', 'MUST', 'pass'), req('pusher/http-auth/4', 'MUST', 'expected-fail', listed)],
      [slo('fanout/p99Ms', 'held')],
      plain,
    );
    expect(v).toEqual({
      verdict: 'conformant-with-deviations',
      exitCode: 0,
      reasons: [],
      deviations: ['pusher/http-auth/4 (MUST) known deviation: replay window of 700 s (https://example.test/issue/1)'],
    });
    expect(verdictLabel(v)).toBe('CONFORMANT WITH 1 KNOWN DEVIATION');
    expect(verdictLabel({ verdict: 'not-certified', deviations: [] })).toBe('NOT-CERTIFIED');
  });

  it('lists a SHOULD expected-fail as a deviation only under strict', () => {
    const rows = [req('pusher/auth/1', 'MUST', 'pass'), req('pusher/auth/9', 'SHOULD', 'expected-fail', listed)];
    expect(verdictOf(rows, [], plain).verdict).toBe('certified');
    expect(verdictOf(rows, [], { strict: true }).verdict).toBe('conformant-with-deviations');
  });

  it('a fixed deviation passes, and fails the run only when the rules say so', () => {
    const rows = [req('pusher/auth/1', 'MUST', 'fixed', listed)];
    expect(verdictOf(rows, [], plain).verdict).toBe('certified');
    expect(verdictOf(rows, [], { strict: false, rules: { failOnFixed: true } })).toMatchObject({
      verdict: 'not-certified',
      exitCode: 1,
      reasons: ['pusher/auth/1 (MUST) is listed as a known deviation but passed: remove it from the list'],
    });
  });

  it('a blocked MUST fails nothing, is not covered, and is not a pass', () => {
    const blocked = req('pusher/close-codes/4', 'MUST', 'blocked', {
      blockedBy: { kind: 'requirement', id: 'pusher/bad-input/1', case: 'pusher/bad-input/1#1' },
    });
    const rows = [req('pusher/bad-input/1', 'MUST', 'expected-fail', listed), blocked];
    expect(verdictOf(rows, [], plain)).toMatchObject({ verdict: 'conformant-with-deviations', exitCode: 0 });
    expect(notCovered(rows)).toEqual([
      'pusher/close-codes/4 (MUST) blocked by pusher/bad-input/1 (pusher/bad-input/1#1): pusher/close-codes/4 went wrong',
    ]);
    expect(verdictOf([blocked], [], plain)).toMatchObject({ verdict: 'inconclusive', exitCode: 2 });
  });

  it('a finding that is a failure (a crash) fails certification and leads the reasons', () => {
    const crash: RunFinding = {
      id: 'crash#1',
      kind: 'crash',
      severity: 'fail',
      text: 'during pusher/bad-input/4#1 after > ws#3 {"event":"pusher:subscribe","data":null}',
    };
    const limit: RunFinding = { id: 'limit#1', kind: 'limit', severity: 'info', text: 'channel names: 200, Pusher 164' };
    const v = verdictOf([req('pusher/auth/1', 'MUST', 'pass'), req('pusher/auth/4', 'MUST', 'fail')], [], {
      strict: false,
      findings: [limit, crash],
    });
    expect(v.reasons[0]).toBe('hub crashed during pusher/bad-input/4#1 after > ws#3 {"event":"pusher:subscribe","data":null}');
    expect(v.reasons).toHaveLength(2);
    expect(verdictOf([req('pusher/auth/1', 'MUST', 'pass')], [], { strict: false, findings: [limit] }).verdict).toBe('certified');
  });
});

describe('matrixSummary', () => {
  it('counts MUSTs, SHOULDs and SLOs by result', () => {
    const s = matrixSummary(
      [
        req('a/b/1', 'MUST', 'pass'),
        req('a/b/2', 'MUST', 'fail'),
        req('a/b/3', 'MUST', 'skipped'),
        req('a/b/4', 'SHOULD', 'non-strict'),
        req('a/b/5', 'SHOULD', 'pass'),
        req('a/b/6', 'MUST', 'expected-fail'),
        req('a/b/7', 'MUST', 'blocked'),
        req('a/b/8', 'MUST', 'fixed'),
      ],
      [slo('f/p99Ms', 'held'), slo('g/p99Ms', 'breached'), slo('h/p99Ms', 'unmeasured')],
    );
    expect(s).toEqual({
      must: { total: 6, passed: 2, failed: 1, deviations: 1, blocked: 1, other: 1 },
      should: { total: 2, passed: 1, missed: 1, other: 0 },
      slo: { total: 3, held: 1, breached: 1, unmeasured: 1 },
    });
  });
});

describe('notCovered', () => {
  it('lists skipped MUSTs with their reason, not skipped SHOULDs or absent capabilities', () => {
    const rows = [
      req('sync/delivery/2', 'MUST', 'skipped'),
      req('pusher/auth/9', 'SHOULD', 'skipped'),
      req('pusher/webhooks/1', 'MUST', 'unimplemented'),
      req('pusher/auth/1', 'MUST', 'pass'),
    ];
    expect(notCovered(rows)).toEqual(['sync/delivery/2 (MUST) skipped: sync/delivery/2 went wrong']);
  });
});
