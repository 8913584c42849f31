/** The certification verdict from the matrix rows: which outcomes certify, fail or leave it open. */
import { describe, expect, it } from 'vitest';
import type { RequirementRow, SloRow } from '../../certify/certify-types.ts';
import { matrixSummary, notCovered, verdictOf } from '../../certify/matrix.ts';

const req = (id: string, level: RequirementRow['level'], outcome: RequirementRow['outcome']): RequirementRow => ({
  id,
  level,
  section: id.split('/').slice(0, 2).join('/'),
  text: 'rule',
  outcome,
  cases: [`${id}#1`],
  worstCase: `${id}#1`,
  ...(outcome === 'pass' ? {} : { reason: `${id} went wrong` }),
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

describe('verdictOf', () => {
  it('certifies when every MUST passed and every SLO held, whatever SHOULDs and MAYs were skipped', () => {
    const v = verdictOf([req('pusher/auth/1', 'MUST', 'pass'), req('pusher/auth/9', 'SHOULD', 'skipped'), req('pusher/signin/4', 'MAY', 'unimplemented')], [slo('fanout/p99Ms', 'held')], false);
    expect(v).toEqual({ verdict: 'certified', exitCode: 0, reasons: [] });
  });

  it('fails on a MUST failure and on a breached SLO, naming both', () => {
    const v = verdictOf([req('pusher/auth/4', 'MUST', 'fail')], [slo('fanout/p99Ms', 'breached'), slo('presence/p99Ms', 'unmeasured')], false);
    expect(v.verdict).toBe('not-certified');
    expect(v.exitCode).toBe(1);
    expect(v.reasons).toEqual(['pusher/auth/4 (MUST) failed: pusher/auth/4 went wrong', 'SLO fanout/p99Ms breached: p99 propagation 80 ms, required < 50 ms']);
  });

  it('counts a SHOULD miss only under strict', () => {
    const rows = [req('pusher/auth/1', 'MUST', 'pass'), req('pusher/auth/9', 'SHOULD', 'non-strict')];
    expect(verdictOf(rows, [], false).exitCode).toBe(0);
    expect(verdictOf(rows, [], true)).toMatchObject({ exitCode: 1, reasons: ['pusher/auth/9 (SHOULD) missed under --strict: pusher/auth/9 went wrong'] });
  });

  it('is inconclusive (exit 2) when nothing failed but some SLO could not be measured', () => {
    const v = verdictOf([req('pusher/auth/1', 'MUST', 'pass')], [slo('fanout/p99Ms', 'held'), slo('connections/maxMbPer1000', 'unmeasured')], false);
    expect(v).toEqual({ verdict: 'inconclusive', exitCode: 2, reasons: ['SLO connections/maxMbPer1000 unmeasured: figures invalid: driver CPU 97%'] });
  });
});

describe('verdictOf with nothing run', () => {
  it('is inconclusive when every selected MUST was skipped', () => {
    const v = verdictOf([req('sync/cluster/1', 'MUST', 'skipped'), req('sync/delivery/2', 'MUST', 'skipped')], [slo('agents/p99Ms', 'held')], false);
    expect(v).toEqual({ verdict: 'inconclusive', exitCode: 2, reasons: ['none of the 2 selected MUST requirement(s) ran (all skipped or unimplemented)'] });
  });
});

describe('matrixSummary', () => {
  it('counts MUSTs, SHOULDs and SLOs by result', () => {
    const s = matrixSummary(
      [req('a/b/1', 'MUST', 'pass'), req('a/b/2', 'MUST', 'fail'), req('a/b/3', 'MUST', 'skipped'), req('a/b/4', 'SHOULD', 'non-strict'), req('a/b/5', 'SHOULD', 'pass')],
      [slo('f/p99Ms', 'held'), slo('g/p99Ms', 'breached'), slo('h/p99Ms', 'unmeasured')],
    );
    expect(s).toEqual({
      must: { total: 3, passed: 1, failed: 1, other: 1 },
      should: { total: 2, passed: 1, missed: 1, other: 0 },
      slo: { total: 3, held: 1, breached: 1, unmeasured: 1 },
    });
  });
});

describe('notCovered', () => {
  it('lists skipped MUSTs with their reason, not skipped SHOULDs or absent capabilities', () => {
    const rows = [req('sync/delivery/2', 'MUST', 'skipped'), req('pusher/auth/9', 'SHOULD', 'skipped'), req('pusher/webhooks/1', 'MUST', 'unimplemented'), req('pusher/auth/1', 'MUST', 'pass')];
    expect(notCovered(rows)).toEqual(['sync/delivery/2 (MUST) skipped: sync/delivery/2 went wrong']);
  });
});
