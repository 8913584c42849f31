import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { medianRate, searchCapacity, type SearchOptions, type Stage, type Trial } from '../../../load/capacity/search.ts';

const DEFAULTS: SearchOptions = { startRate: 500, factor: 1.5, maxRate: 50_000, resolution: 0.1 };

/** A fake hub that holds every rate up to `capacity`; `blips` are the runs (1-based) that miss whatever the rate. */
function fakeHub(capacity: number, o: { blips?: number[]; generatorAbove?: number } = {}) {
  const tried: Array<[number, Stage]> = [];
  const run = async (rate: number, stage: Stage): Promise<Trial> => {
    tried.push([rate, stage]);
    if (o.blips?.includes(tried.length)) return { ok: false, generatorLimited: false, failure: 'reach 0.99933' };
    if (o.generatorAbove !== undefined && rate > o.generatorAbove) return { ok: false, generatorLimited: true, failure: 'driver CPU 95 %' };
    return rate <= capacity ? { ok: true, generatorLimited: false } : { ok: false, generatorLimited: false, failure: 'p99 71 ms ≥ 50 ms' };
  };
  return { run, tried };
}

describe('capacity search', () => {
  it('ramps ×factor, confirms the first miss, then bisects to the resolution', async () => {
    const hub = fakeHub(3000);
    const r = await searchCapacity(DEFAULTS, hub.run);
    expect(hub.tried).toEqual([
      [500, 'ramp'],
      [750, 'ramp'],
      [1125, 'ramp'],
      [1688, 'ramp'],
      [2532, 'ramp'],
      [3798, 'ramp'],
      [3798, 'retry'],
      [3101, 'bisect'],
      [3101, 'retry'],
      [2802, 'bisect'],
      [2948, 'bisect'],
    ]);
    expect(r).toMatchObject({ lastGoodRate: 2948, firstBadRate: 3101, heldOnRetry: [], lowerBound: false });
    expect(r.stoppedBecause).toBe('3101/s failed twice (p99 71 ms ≥ 50 ms); 2948/s held, 5.2 % below');
  });

  it('does not stop on one bad step: a step that fails once and passes on the retry held, and says so', async () => {
    // The 2026-12-07 run: one blip at 1125/s (reach 0.99933) ended the search at 750/s.
    const hub = fakeHub(6000, { blips: [3] });
    const r = await searchCapacity(DEFAULTS, hub.run);
    expect(hub.tried.slice(2, 5)).toEqual([
      [1125, 'ramp'],
      [1125, 'retry'],
      [1688, 'ramp'],
    ]);
    expect(r.heldOnRetry).toEqual([1125]);
    expect(r.lastGoodRate).toBeGreaterThan(6000 / 1.1);
    expect(r.lastGoodRate).toBeLessThanOrEqual(6000);
  });

  it('lands within the resolution below the true capacity, whatever it is', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 99, max: 49_999 }),
        fc.double({ min: 0.02, max: 0.5, noNaN: true }),
        async (capacity, resolution) => {
          const r = await searchCapacity({ ...DEFAULTS, resolution }, fakeHub(capacity).run);
          expect(r.lastGoodRate).not.toBeNull();
          expect(r.lastGoodRate!).toBeLessThanOrEqual(capacity);
          expect(r.firstBadRate!).toBeGreaterThan(capacity);
          // Rates are whole numbers: the last bisection may stop one event/s short of the ratio.
          expect(r.firstBadRate!).toBeLessThanOrEqual(Math.max(r.lastGoodRate! * (1 + resolution), r.lastGoodRate! + 1));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reports a lower bound when the load generator, not the hub, failed above the figure', async () => {
    const r = await searchCapacity(DEFAULTS, fakeHub(1e9, { generatorAbove: 2000 }).run);
    expect(r.lastGoodRate).toBeLessThanOrEqual(2000);
    expect(r.lastGoodRate).toBeGreaterThan(2000 / 1.1);
    expect(r.lowerBound).toBe(true);
    expect(r.stoppedBecause).toMatch(
      /^the load generator, not the hub, failed at \d+\/s twice \(driver CPU 95 %\): the hub's capacity is at least \d+\/s$/,
    );
  });

  it('tries maxRate itself and calls a search that held everything a lower bound', async () => {
    const hub = fakeHub(1e9);
    const r = await searchCapacity({ ...DEFAULTS, maxRate: 2000 }, hub.run);
    expect(hub.tried.map(([rate]) => rate)).toEqual([500, 750, 1125, 1688, 2000]);
    expect(r).toMatchObject({
      lastGoodRate: 2000,
      firstBadRate: null,
      lowerBound: true,
      stoppedBecause: 'held every step up to maxRate 2000/s',
    });
  });

  it('goes down from a first step that fails twice, to startRate ÷ factor⁴ at most', async () => {
    const slow = fakeHub(200);
    const r = await searchCapacity(DEFAULTS, slow.run);
    expect(slow.tried.slice(0, 4)).toEqual([
      [500, 'ramp'],
      [500, 'retry'],
      [333, 'down'],
      [333, 'retry'],
    ]);
    expect(r.lastGoodRate).toBeLessThanOrEqual(200);
    expect(r.lastGoodRate).toBeGreaterThan(200 / 1.1);
    const dead = await searchCapacity(DEFAULTS, fakeHub(0).run);
    expect(dead).toMatchObject({ lastGoodRate: null, firstBadRate: 99, lowerBound: false });
    expect(dead.stoppedBecause).toBe('no rate held, down to 99/s: p99 71 ms ≥ 50 ms');
  });

  it('refuses a search that cannot end', async () => {
    await expect(searchCapacity({ ...DEFAULTS, factor: 1 }, fakeHub(1).run)).rejects.toThrow(/stepFactor must be > 1/);
    await expect(searchCapacity({ ...DEFAULTS, resolution: 0 }, fakeHub(1).run)).rejects.toThrow(/resolution must be > 0/);
  });
});

describe('medianRate', () => {
  it('takes the middle figure, the lower middle one for an even count, a search that held nothing counting lowest', () => {
    expect(medianRate([3798, 750, 5697, 3798, 5697])).toBe(3798);
    expect(medianRate([2000, 1000, 3000, 4000])).toBe(2000);
    expect(medianRate([null, 1000, 3000])).toBe(1000);
    expect(medianRate([null, null, 3000])).toBe(null);
    expect(medianRate([])).toBe(null);
  });
});

describe('capacity search on a busy machine', () => {
  /** A hub of capacity 3000 on a machine where the runs listed were disturbed by other work (and missed). */
  function busyMachine(disturbedRuns: number[]) {
    const tried: Array<[number, Stage]> = [];
    const run = async (rate: number, stage: Stage): Promise<Trial> => {
      tried.push([rate, stage]);
      if (disturbedRuns.includes(tried.length))
        return { ok: false, generatorLimited: false, disturbed: true, failure: 'p99 140 ms ≥ 50 ms; other processes 96 % of a core' };
      return rate <= 3000 ? { ok: true, generatorLimited: false } : { ok: false, generatorLimited: false, failure: 'p99 71 ms ≥ 50 ms' };
    };
    return { run, tried };
  }

  it('measures a step again when other work disturbed it, and does not count the disturbed run as a miss', async () => {
    const m = busyMachine([3, 4]);
    const r = await searchCapacity(DEFAULTS, m.run);
    expect(m.tried.slice(2, 6)).toEqual([
      [1125, 'ramp'],
      [1125, 'ramp'],
      [1125, 'ramp'],
      [1688, 'ramp'],
    ]);
    expect(r.heldOnRetry).toEqual([]);
    expect(r.lastGoodRate).toBe(2948);
  });

  it('calls the figure a lower bound when the machine stays busy with other work, re-measuring 4 times a search at most', async () => {
    const m = busyMachine([3, 4, 5, 6, 7, 8, 9, 10]);
    const r = await searchCapacity(DEFAULTS, m.run);
    // 1125/s five times (4 re-measurements), its retry once (none left), then on to bisect.
    expect(m.tried.slice(2, 9)).toEqual([
      [1125, 'ramp'],
      [1125, 'ramp'],
      [1125, 'ramp'],
      [1125, 'ramp'],
      [1125, 'ramp'],
      [1125, 'retry'],
      [919, 'bisect'],
    ]);
    expect(r.lowerBound).toBe(true);
    expect(r.lastGoodRate).toBeLessThan(1125);
    expect(r.stoppedBecause).toMatch(
      /^the load generator, not the hub, failed at \d+\/s twice \(.*the machine stayed busy with other work\)/,
    );
  });
});
