/**
 * The shared publish property (sync/ordering/1, sync/delivery/5) must never pass vacuously: every
 * generated run has a subscriber connected while at least three events of its channel are produced, and
 * the order / loss mutants are caught whatever the seed, not only with the self-test's fixed one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anchorOf, publishPlan, type PublishPlan } from '../../../conformance/cases/sync/publish-property.ts';
import { findMutant } from '../../../selftest/mutants/index.ts';
import { runConformance } from '../../../conformance/runner.ts';

/** Creates on the subscriber's session in batches it is connected for (from its step to its last). */
function createsSeen(p: PublishPlan, sub: PublishPlan['subscribers'][number]): number {
  const steps = Math.ceil(p.ops.length / p.batch);
  const until = sub.until === null ? steps : Math.min(sub.until, steps);
  return p.ops.filter(
    (op, i) =>
      op.kind === 'create' &&
      op.session % p.sessions === sub.session % p.sessions &&
      Math.floor(i / p.batch) >= sub.from &&
      Math.floor(i / p.batch) < until,
  ).length;
}

describe('the publish plan generator', () => {
  it('gives every run a subscriber that stays connected through at least three creates on its channel', () => {
    for (const seed of [1, 2, 3, 12, 4242, 20251019]) {
      for (const p of fc.sample(publishPlan, { seed, numRuns: 200 })) {
        const steps = Math.ceil(p.ops.length / p.batch);
        expect(p.subscribers.length).toBeGreaterThanOrEqual(1);
        expect(Math.max(...p.subscribers.map((s) => createsSeen(p, s))), JSON.stringify(p)).toBeGreaterThanOrEqual(3);
        // Every subscriber opens at a step that exists and closes after it opened.
        for (const s of p.subscribers) {
          expect(s.from).toBeLessThan(steps);
          if (s.until !== null) expect(s.until).toBeGreaterThan(s.from);
        }
      }
    }
  });

  it('finds no anchor when no session gets three creates', () => {
    const ops = [
      { agent: 0, session: 0, kind: 'create' as const },
      { agent: 0, session: 1, kind: 'create' as const },
      { agent: 0, session: 0, kind: 'join' as const },
      { agent: 0, session: 0, kind: 'create' as const },
    ];
    expect(anchorOf({ sessions: 2, ops, batch: 1 })).toBeUndefined();
    expect(anchorOf({ sessions: 1, ops, batch: 2 })).toEqual({ session: 0, lastFrom: 0 });
  });
});

describe('the publish property against order and loss mutants', () => {
  const cases: Array<[string, string]> = [
    ['swap-events', 'sync/ordering/1'],
    ['drop-one-delivery', 'sync/delivery/5'],
  ];
  for (const [name, requirement] of cases) {
    it(`fails ${requirement} against ${name} for seeds 1..10`, async () => {
      const mutant = await findMutant(name).start();
      try {
        const missed: number[] = [];
        for (let seed = 1; seed <= 10; seed++) {
          // The publish property's own case (other cases prove these requirements too; they are not under test here).
          const report = await runConformance({
            target: mutant.target,
            selectors: [`${requirement}#1`],
            seed,
            numRuns: 10,
            progress: null,
          });
          const r = report.results.find((x) => x.id === `${requirement}#1`);
          if (r?.outcome !== 'fail' || !r.reason?.startsWith(`${requirement} (`)) missed.push(seed);
        }
        expect(missed).toEqual([]);
      } finally {
        await mutant.close();
      }
    }, 120_000);
  }
});
