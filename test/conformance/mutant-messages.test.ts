/**
 * Model properties find a mutant with few runs whatever the seed. (That a caught mutant is caught for the
 * right reason is judged in mutants.test.ts, on the same run as the catch.)
 */
import { describe, expect, it } from 'vitest';
import { findMutant } from '../../selftest/mutants/index.ts';
import { runConformance } from '../../conformance/runner.ts';

describe('the presence model property (pusher/presence/6#2)', () => {
  it('catches member_removed per connection within 3 runs for seeds 1..5', async () => {
    const mutant = await findMutant('member-removed-per-connection').start();
    try {
      const missed: number[] = [];
      for (let seed = 1; seed <= 5; seed++) {
        const report = await runConformance({
          target: mutant.target,
          selectors: ['pusher/presence/6#2'],
          seed,
          numRuns: 3,
          progress: null,
        });
        if (report.results[0]?.outcome !== 'fail') missed.push(seed);
      }
      expect(missed).toEqual([]);
    } finally {
      await mutant.close();
    }
  }, 90_000);
});
