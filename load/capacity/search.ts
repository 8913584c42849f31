/**
 * The capacity search, apart from any socket: which rate to try next, given what the tried ones did. Pure
 * (the step runner is passed in), so its rules are tested with a fake hub.
 *
 *   1. Ramp: from `startRate`, ×`factor` per step (the last step at `maxRate` exactly).
 *   2. A rate fails only when it fails again: a step that misses is run once more at once; a rate that
 *      passes on the retry held (and is reported as "held on retry").
 *   3. Bisect (geometric midpoint) between the highest rate that held and the lowest that failed twice,
 *      until they are within `resolution` of each other: the figure is the highest rate that held.
 *   4. A first step that fails twice sends the search down (÷ factor, no lower than `minRate`) until a
 *      rate holds, then it bisects as above.
 * When the lowest failed rate failed because of the load generator (driver or machine saturated), the
 * figure is a lower bound: the hub held it, and more was not measured.
 *   5. A step that missed while other processes kept the machine busy (neither the hub nor the driver) is
 *      no verdict: it is measured again, `maxReruns` times in a whole search at most; still disturbed,
 *      the miss counts as the load generator's (a lower bound), never as the hub's.
 */

export type Stage = 'ramp' | 'retry' | 'down' | 'bisect';

export interface SearchOptions {
  startRate: number;
  /** Ramp multiplier per step, > 1. */
  factor: number;
  maxRate: number;
  /** Stop bisecting once the lowest failed rate is at most the highest held rate × (1 + resolution). */
  resolution: number;
  /** Lowest rate tried when the first step fails (default startRate ÷ factor⁴). */
  minRate?: number;
  /** Re-measurements of steps that missed while the machine was busy with other work, per search (default 4). */
  maxReruns?: number;
}

/** What one run of a step concluded. */
export interface Trial {
  ok: boolean;
  /** The failure was the load generator's (driver or machine saturated): says nothing about the hub. */
  generatorLimited: boolean;
  /** Other processes kept the machine busy during the step: a miss says nothing yet. */
  disturbed?: boolean;
  /** Why it missed, one line (absent when ok). */
  failure?: string;
}

export type StepRunner = (rate: number, stage: Stage) => Promise<Trial>;

export interface SearchOutcome {
  /** The figure: the highest rate that held (null: none did). */
  lastGoodRate: number | null;
  /** The lowest rate that failed twice (null: none did). */
  firstBadRate: number | null;
  /** Rates that failed once and passed when run again. */
  heldOnRetry: number[];
  /** The figure is a lower bound: maxRate held, or the load generator, not the hub, failed above it. */
  lowerBound: boolean;
  stoppedBecause: string;
}

export function validateSearch(o: SearchOptions): void {
  if (!(o.factor > 1)) throw new TypeError(`capacity stepFactor must be > 1, got ${o.factor}`);
  if (!(o.resolution > 0)) throw new TypeError(`capacity resolution must be > 0, got ${o.resolution}`);
  if (!(o.startRate > 0) || !(o.maxRate >= o.startRate))
    throw new TypeError(`capacity needs 0 < stepStartRate ≤ maxRate, got ${o.startRate} and ${o.maxRate}`);
}

export async function searchCapacity(o: SearchOptions, run: StepRunner): Promise<SearchOutcome> {
  validateSearch(o);
  const heldOnRetry: number[] = [];
  let good: number | null = null;
  let bad: { rate: number; trial: Trial } | null = null;

  /** One verdict on `rate`: a miss on a machine busy with other work is measured again. */
  let reruns = o.maxReruns ?? 4;
  const measure = async (rate: number, stage: Stage): Promise<Trial> => {
    let t = await run(rate, stage);
    while (!t.ok && t.disturbed && reruns > 0) {
      reruns--;
      t = await run(rate, stage);
    }
    if (t.ok || !t.disturbed) return t;
    return { ...t, generatorLimited: true, failure: `${t.failure ?? 'missed'}; the machine stayed busy with other work` };
  };
  /** Runs `rate`, and once more if it missed: held when either run passed. */
  const judge = async (rate: number, stage: Stage): Promise<Trial> => {
    const first = await measure(rate, stage);
    if (first.ok) return first;
    const again = await measure(rate, 'retry');
    if (again.ok) heldOnRetry.push(rate);
    return again;
  };

  // 1. Ramp.
  for (let rate = Math.round(o.startRate); ; rate = Math.min(o.maxRate, Math.round(rate * o.factor))) {
    const t = await judge(rate, 'ramp');
    if (!t.ok) {
      bad = { rate, trial: t };
      break;
    }
    good = rate;
    if (rate >= o.maxRate) break;
  }
  if (!bad)
    return {
      lastGoodRate: good,
      firstBadRate: null,
      heldOnRetry,
      lowerBound: true,
      stoppedBecause: `held every step up to maxRate ${o.maxRate}/s`,
    };

  // 4. Down, when even the first step failed.
  const floor = Math.max(1, Math.round(o.minRate ?? o.startRate / o.factor ** 4));
  while (good === null) {
    const rate = Math.round(bad.rate / o.factor);
    if (rate < floor || rate >= bad.rate) break;
    const t = await judge(rate, 'down');
    if (t.ok) good = rate;
    else bad = { rate, trial: t };
  }
  if (good === null)
    return {
      lastGoodRate: null,
      firstBadRate: bad.rate,
      heldOnRetry,
      lowerBound: false,
      stoppedBecause: `no rate held, down to ${bad.rate}/s: ${bad.trial.failure ?? 'failed'}`,
    };

  // 3. Bisect.
  while (bad.rate > good * (1 + o.resolution)) {
    const mid = Math.round(Math.sqrt(good * bad.rate));
    if (mid <= good || mid >= bad.rate) break;
    const t = await judge(mid, 'bisect');
    if (t.ok) good = mid;
    else bad = { rate: mid, trial: t };
  }
  const within = `${Math.round((bad.rate / good - 1) * 1000) / 10} %`;
  return {
    lastGoodRate: good,
    firstBadRate: bad.rate,
    heldOnRetry,
    lowerBound: bad.trial.generatorLimited,
    stoppedBecause: bad.trial.generatorLimited
      ? `the load generator, not the hub, failed at ${bad.rate}/s twice (${bad.trial.failure ?? 'saturated'}): the hub's capacity is at least ${good}/s`
      : `${bad.rate}/s failed twice (${bad.trial.failure ?? 'failed'}); ${good}/s held, ${within} below`,
  };
}

/** The middle of the figures, a search that held nothing counting lowest (the lower middle one for an even count: a rate that held). */
export function medianRate(rates: ReadonlyArray<number | null>): number | null {
  if (rates.length === 0) return null;
  const xs = rates.map((x) => x ?? -Infinity).sort((a, b) => a - b);
  const m = xs[Math.floor((xs.length - 1) / 2)]!;
  return m === -Infinity ? null : m;
}
