/**
 * A caught mutant must also be caught for the right reason: the failure names what the hub did wrong,
 * not a side effect (a stale agent's "403 forbidden", a vacuous run), and model properties find it with
 * few runs whatever the seed.
 */
import { describe, expect, it } from 'vitest';
import { findMutant } from '../../selftest/mutants/index.ts';
import { runMutant } from '../../selftest/mutants/score-run.ts';
import { runConformance } from '../../conformance/runner.ts';

describe('mutant failures name the fault', () => {
  it('drop-last-delivery: sync/delivery/5 reports the lost tail against last_seq, not a refused request', async () => {
    const row = await runMutant(findMutant('drop-last-delivery'));
    const hit = row.report.results.find((r) => r.requirement === 'sync/delivery/5' && r.outcome === 'fail');
    expect(hit?.reason).toMatch(/^sync\/delivery\/5 \((loss|reach)\)/);
    expect(hit?.reason).not.toMatch(/403|forbidden/);
  }, 60_000);

  it('restart-loses-events: sync/delivery/2 says the acknowledged events were lost with the session', async () => {
    const row = await runMutant(findMutant('restart-loses-events'));
    const hit = row.report.results.find((r) => r.requirement === 'sync/delivery/2' && r.outcome === 'fail');
    expect(hit?.reason).toMatch(/^sync\/delivery\/2: events lost across restart: \d+ acknowledged events missing \(session\/\d+ gone/);
  }, 60_000);

  it('history-drops-fixed-seq: sync/history/1 names the seq the case caused and history left out', async () => {
    const row = await runMutant(findMutant('history-drops-fixed-seq'));
    // Other cases judge sync/history/1 too (their history checker rows); the history case itself names the seq.
    const hit = row.report.results.find((r) => r.id === 'sync/history/1#1' && r.outcome === 'fail');
    expect(hit?.reason).toContain('missing seq 3 the case caused');
  }, 60_000);
});

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
