/**
 * The client suite is able to fail, and fair: every mutant client (pusher-js with one rule broken, or one
 * of the conformant base's fixes left out) is caught on exactly the requirement it breaks within its
 * selectors: that row missed, every other row passed or blocked by it. `npm run mutants:client` runs
 * each against the whole suite.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { CLIENT_MUTANTS } from '../../../selftest/client-mutants/index.ts';
import { formatClientScore, scoreClientMutant, storyProblems, type ClientMutantScore } from '../../../selftest/client-mutants/score.ts';
import { PUSHER_CLIENT_REQUIREMENTS } from '../../../spec/requirements/index.ts';
import { matchesSelector } from '../../../spec/requirements/types.ts';
import type { RunReport } from '../../../reports/model/run-report.ts';

describe('client mutants', () => {
  it('each name a client requirement their selectors cover, and every fix of the base has its mutant', () => {
    expect(new Set(CLIENT_MUTANTS.map((m) => m.name)).size).toBe(CLIENT_MUTANTS.length);
    for (const m of CLIENT_MUTANTS) {
      expect(
        PUSHER_CLIENT_REQUIREMENTS.some((r) => r.id === m.breaks),
        m.name,
      ).toBe(true);
      expect(
        m.selectors.some((s) => matchesSelector(m.breaks, s)),
        m.name,
      ).toBe(true);
    }
    expect(CLIENT_MUTANTS.map((m) => m.name)).toEqual(expect.arrayContaining(['jitter', 'public-client-events', 'malformed-frames']));
  });

  it('judge a story by the one requirement broken: another miss, or a row blocked by something else, is a problem', () => {
    const row = (id: string, outcome: string, blockedBy?: string) => ({
      id: `${id}#1`,
      requirement: id,
      outcome,
      ...(blockedBy ? { blockedBy: { kind: 'requirement', id: blockedBy } } : {}),
    });
    const report = (rows: object[]) => ({ results: rows }) as unknown as RunReport;
    expect(storyProblems(report([row('a/b/1', 'fail'), row('a/b/2', 'blocked', 'a/b/1'), row('a/b/3', 'pass')]), 'a/b/1')).toEqual([]);
    expect(storyProblems(report([row('a/b/1', 'pass')]), 'a/b/1')).toEqual(['a/b/1 not missed']);
    expect(storyProblems(report([row('a/b/1', 'fail'), row('a/b/3', 'fail')]), 'a/b/1')).toEqual(['a/b/3#1 fail: ']);
    expect(storyProblems(report([row('a/b/1', 'non-strict'), row('a/b/2', 'blocked', 'a/b/9')]), 'a/b/1')).toEqual([
      'a/b/2#1 blocked by a/b/9: ',
    ]);
  });
});

describe('the client suite against each mutant client', () => {
  const rows: ClientMutantScore[] = [];
  afterAll(() => {
    if (rows.length) console.log(`\n${formatClientScore(rows)}\n`);
  });
  for (const m of CLIENT_MUTANTS) {
    it(`catches ${m.name} on ${m.breaks} and nothing else`, async () => {
      const score = await scoreClientMutant(m, { concurrency: 3 });
      rows.push(score);
      expect(score.problems).toEqual([]);
    }, 60_000);
  }
});
