/** The outcome rules: requirement roll-up, what fails a run, what a known-deviations entry does to a row, the counts. */
import { describe, expect, it } from 'vitest';
import {
  exitCodeOf,
  failsRun,
  listedOutcome,
  missedOutcome,
  OUTCOMES,
  requirementOutcome,
  requirementRows,
  sectionRows,
  summarize,
  withDeviation,
  type CaseResult,
  type Outcome,
  type RunFinding,
} from '../../../reports/model/index.ts';

const row = (id: string, outcome: Outcome, extra: Partial<CaseResult> = {}): CaseResult => ({
  id,
  requirement: id.split('#')[0]!,
  level: 'MUST',
  desc: 'd',
  outcome,
  durationMs: 1,
  wire: [],
  ...extra,
});

describe('requirementOutcome', () => {
  it('is the worst row: a judged miss, then a known one, then not judged, then fixed, then pass', () => {
    expect(requirementOutcome(['pass', 'fail', 'expected-fail'])).toBe('fail');
    expect(requirementOutcome(['pass', 'non-strict'])).toBe('non-strict');
    expect(requirementOutcome(['pass', 'blocked', 'expected-fail'])).toBe('expected-fail');
    expect(requirementOutcome(['pass', 'blocked'])).toBe('blocked');
    expect(requirementOutcome(['pass', 'fixed'])).toBe('fixed');
    expect(requirementOutcome(['pass', 'skipped', 'unimplemented'])).toBe('pass');
    expect(requirementOutcome(['skipped', 'informational'])).toBe('informational');
    expect(requirementOutcome([])).toBe('skipped');
  });
});

describe('failsRun and exitCodeOf', () => {
  it('only a MUST miss (and a fixed row under failOnFixed, and a failing finding) fails the run', () => {
    const failing = OUTCOMES.filter((o) => failsRun(o));
    expect(failing).toEqual(['fail']);
    expect(OUTCOMES.filter((o) => failsRun(o, { failOnFixed: true }))).toEqual(['fail', 'fixed']);
    expect(
      exitCodeOf([row('a/b/1#1', 'blocked'), row('a/b/2#1', 'expected-fail'), row('a/b/3#1', 'non-strict'), row('a/b/4#1', 'fixed')]),
    ).toBe(0);
    expect(exitCodeOf([row('a/b/4#1', 'fixed')], [], { failOnFixed: true })).toBe(1);
    const crash: RunFinding = { id: 'crash#1', kind: 'crash', severity: 'fail', text: 'during a/b/1#1' };
    expect(exitCodeOf([row('a/b/1#1', 'pass')], [crash])).toBe(1);
    expect(exitCodeOf([row('a/b/1#1', 'pass')], [{ ...crash, kind: 'limit', severity: 'info' }])).toBe(0);
  });

  it('a missed check is fail for a MUST and non-strict for a SHOULD or MAY', () => {
    expect([missedOutcome('MUST'), missedOutcome('SHOULD'), missedOutcome('MAY')]).toEqual(['fail', 'non-strict', 'non-strict']);
  });
});

describe('known deviations', () => {
  const dev = { key: 'pusher/http-auth/4', reason: 'replay window' };
  it('turn a miss into expected-fail and a pass into fixed; leave what did not judge alone', () => {
    expect(OUTCOMES.map((o) => [o, listedOutcome(o)])).toEqual([
      ['pass', 'fixed'],
      ['fail', 'expected-fail'],
      ['non-strict', 'expected-fail'],
      ['skipped', 'skipped'],
      ['unimplemented', 'unimplemented'],
      ['informational', 'informational'],
      ['blocked', 'blocked'],
      ['expected-fail', 'expected-fail'],
      ['fixed', 'fixed'],
    ]);
    expect(withDeviation(row('pusher/http-auth/4#1', 'fail', { reason: 'accepted' }), dev)).toMatchObject({
      outcome: 'expected-fail',
      reason: 'accepted',
      deviation: dev,
    });
    const blocked = row('pusher/http-auth/4#1', 'blocked');
    expect(withDeviation(blocked, dev)).toBe(blocked);
  });
});

describe('summarize', () => {
  it('counts every outcome, the new ones included', () => {
    const s = summarize([
      row('a/b/1#1', 'pass'),
      row('a/b/1#2', 'blocked'),
      row('a/b/2#1', 'expected-fail'),
      row('a/b/3#1', 'fixed'),
      row('a/b/3#2', 'fail'),
    ]);
    expect(s).toMatchObject({ total: 5, pass: 1, fail: 1, blocked: 1, 'expected-fail': 1, fixed: 1, skipped: 0 });
  });
});

describe('requirement and section rows', () => {
  it('carry the deciding row, its blocker or deviation, and roll sections up without letting blocked MUSTs pass', () => {
    const blockedBy = { kind: 'requirement' as const, id: 'a/b/1', case: 'a/b/1#1' };
    const rows = requirementRows(
      [
        row('a/b/1#1', 'fail', { reason: 'wrong', replay: 'npx hubproof conform a/b/1#1' }),
        row('a/b/2#1', 'pass'),
        row('a/b/2#2', 'blocked', { reason: 'not judged', blockedBy }),
      ],
      () => ({ text: 'rule' }),
    );
    expect(rows).toEqual([
      {
        id: 'a/b/1',
        level: 'MUST',
        section: 'a/b',
        text: 'rule',
        outcome: 'fail',
        cases: ['a/b/1#1'],
        worstCase: 'a/b/1#1',
        reason: 'wrong',
        replay: 'npx hubproof conform a/b/1#1',
      },
      {
        id: 'a/b/2',
        level: 'MUST',
        section: 'a/b',
        text: 'rule',
        outcome: 'blocked',
        cases: ['a/b/2#1', 'a/b/2#2'],
        worstCase: 'a/b/2#2',
        reason: 'not judged',
        blockedBy,
      },
    ]);
    const [s] = sectionRows(rows.slice(1));
    expect(s).toMatchObject({ section: 'a/b', outcome: 'blocked', MUST: { total: 1, passed: 0, missed: 0, notRun: false } });
    expect(sectionRows(rows)[0]!.outcome).toBe('fail');
  });
});
