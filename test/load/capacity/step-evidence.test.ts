import { describe, expect, it } from 'vitest';
import { accounting } from '../../../load/measure/sequence-tracker.ts';
import { capacityStep, disturbedAbove, stepLine, type PhaseFigures } from '../../../load/capacity/step-evidence.ts';
import { roundRatios } from '../../../load/capacity/side-by-side.ts';
import { capacitySpread } from '../../../load/capacity/spread.ts';
import { capacitySentence } from '../../../load/capacity/capacity-lines.ts';
import { stepSeconds } from '../../../load/capacity/run-capacity.ts';

/** The figures of one measured step, as phaseFigures returns them (only what the step record reads). */
function figures(o: {
  p99?: number;
  expected?: number;
  received?: number;
  publishErrors?: number;
  saturated?: boolean;
  machineShare?: number;
}): PhaseFigures {
  const expected = o.expected ?? 45_000;
  return {
    latency: { unit: 'ms', count: o.received ?? expected, p50: 1.2, p90: 3, p99: o.p99 ?? 7.2, p999: 9, max: 12, mean: 1.5, curve: [] },
    delivery: {
      ...accounting(expected, o.received ?? expected, 0, 0),
      publishErrors: o.publishErrors ?? 0,
      publishErrorSamples: o.publishErrors ? ['POST /apps/1/events → no answer 3000 ms after the last send'] : [],
      connectFailures: 0,
      connectErrorSamples: [],
      unexpected: 0,
      disconnects: 0,
      closeReasons: [],
    },
    throughput: { targetRate: 1125, sent: 4500, sentPerS: 1125, deliveredPerS: 11_250, maxInFlight: 3 },
    driver: {
      cores: 2,
      cpuPct: 50,
      cpuShare: 0.25,
      mainLoopLagP99Ms: 2,
      workerLoopLagP99Ms: 3,
      sendLagP99Ms: 1,
      saturated: o.saturated ?? false,
      reasons: o.saturated ? ['driver CPU 96% of 2 cores > 90%'] : [],
      hubInProcess: false,
      machineShare: o.machineShare ?? 0.5,
    },
    hub: { pid: 1, cpuPct: 44 },
    windowS: 4,
  } as unknown as PhaseFigures;
}

describe('a capacity step record', () => {
  it('carries its evidence: expected, received, lost, duplicated, publish errors, driver and hub CPU', () => {
    const { step, trial } = capacityStep(figures({ received: 44_970 }), 1125, 'ramp', 50);
    expect(step).toMatchObject({
      rate: 1125,
      stage: 'ramp',
      seconds: 4,
      expected: 45_000,
      received: 44_970,
      lost: 30,
      duplicated: 0,
      publishErrors: 0,
      sent: 4500,
      driverCpuShare: 0.25,
      hubCpuPct: 44,
      machineShare: 0.5,
      othersCpuPct: 6,
      ok: false,
      failure: 'lost 30 of 45000 deliveries (reach 0.99933)',
    });
    expect(trial).toEqual({ ok: false, generatorLimited: false, failure: step.failure });
    expect(stepLine('capacity', step)).toBe(
      'capacity: 1125/s → p99 7.2 ms, reach 0.99933, driver 25%, hub 44% — missed: lost 30 of 45000 deliveries (reach 0.99933)',
    );
  });

  it('tells publishes the hub never accepted from deliveries it lost', () => {
    // 30 publishes unanswered: left out of expected by the rig, so nothing is lost, and the step misses for that.
    const { step } = capacityStep(figures({ expected: 42_000, publishErrors: 30 }), 1125, 'retry', 50);
    expect(step).toMatchObject({ lost: 0, reach: 1, publishErrors: 30, ok: false });
    expect(step.failure).toBe('30 publishes refused or unanswered (POST /apps/1/events → no answer 3000 ms after the last send)');
  });

  it('names the load generator as the limit when the driver saturated, so the search reports a lower bound', () => {
    const { step, trial } = capacityStep(figures({ saturated: true, p99: 80 }), 5697, 'bisect', 50);
    expect(trial.generatorLimited).toBe(true);
    expect(step.failure).toBe('load generator saturated: driver CPU 96% of 2 cores > 90%; p99 80 ms ≥ 50 ms');
  });

  it('makes a miss while other processes kept the machine busy no verdict, and says how busy', () => {
    // 2 cores at 85 %: 170 % of a core, 44 % the hub's, 50 % the driver's, 76 % someone else's.
    const { step, trial } = capacityStep(figures({ p99: 140, machineShare: 0.85 }), 2532, 'ramp', 50);
    expect(step).toMatchObject({ othersCpuPct: 76, disturbed: true, ok: false });
    expect(trial).toMatchObject({ ok: false, disturbed: true, generatorLimited: false });
    expect(step.failure).toBe('p99 140 ms ≥ 50 ms; other processes used 76 % of a core besides hub and driver');
    expect(stepLine('capacity', step)).toMatch(/— missed \(disturbed: measured again\): p99 140 ms/);
    // The same busy machine under a step that held: the hub held it anyway.
    expect(capacityStep(figures({ machineShare: 0.85 }), 2532, 'ramp', 50).trial).toEqual({ ok: true, generatorLimited: false });
  });

  it('holds a step under every limit', () => {
    const { step, trial } = capacityStep(figures({}), 750, 'ramp', 50);
    expect(trial).toEqual({ ok: true, generatorLimited: false });
    expect(step.failure).toBeUndefined();
  });
});

describe('spread and ratios of repeated searches', () => {
  it('gives the median, the range and whether the searches agree to one step', () => {
    expect(capacitySpread([3798, 750, 5697, 3798, 5697], 0.1)).toMatchObject({
      median: 3798,
      min: 750,
      max: 5697,
      ratio: 7.6,
      withinOneStep: false,
    });
    expect(capacitySpread([3900, 4100, 4000], 0.1)).toMatchObject({ median: 4000, min: 3900, max: 4100, withinOneStep: true });
    expect(capacitySpread([null, 4000], 0.1)).toMatchObject({ median: null, min: null, max: 4000, withinOneStep: false });
  });

  it('says how far the searches lie from the median it quotes', () => {
    // Five idle searches of the reference hub on 2026-12-07.
    const spread = capacitySpread([4894, 5416, 5148, 4422, 4894], 0.1);
    const line = capacitySentence({ spread, resolution: 0.1, lowerBound: false } as Parameters<typeof capacitySentence>[0]);
    expect(line).toBe(
      '4894/s to within 10 %: median of 5 searches, range 4422–5416/s (×1.22, −10 % / +11 % of the median), NOT within one step (10 %) of each other',
    );
  });

  it('compares two hubs round by round, so drift between rounds cancels', () => {
    // The machine got slower in round 2: both figures fell, their ratio did not.
    expect(roundRatios([2000, 1500, 2100], [4000, 3000, 4000])).toEqual({ perRound: [0.5, 0.5, 0.53], median: 0.5, min: 0.5, max: 0.53 });
    expect(roundRatios([2000, null], [4000, 3000])).toMatchObject({ perRound: [0.5, null], median: null });
  });
});

describe('step length', () => {
  it('measures the steps that decide the figure (re-run, bisection, going down) for confirmStepS, the ramp for stepS', () => {
    const s = { stepS: 4, confirmStepS: 8 };
    expect(stepSeconds(s, 'ramp')).toBe(4);
    expect(['retry', 'bisect', 'down'].map((stage) => stepSeconds(s, stage as 'retry'))).toEqual([8, 8, 8]);
    expect(stepSeconds({ stepS: 4, confirmStepS: 0 }, 'bisect')).toBe(4);
  });
});

describe('disturbance limit', () => {
  it('is 25 % of a core over a hub of one process, and follows the other processes a multi-process hub keeps busy', () => {
    expect(disturbedAbove([])).toBe(25);
    expect(disturbedAbove([2, 5, 3, null])).toBe(25);
    // A second node and its Redis: 30-45 % besides node 1 and the driver in the steps that held.
    expect(disturbedAbove([30, 38, 45])).toBe(86);
    const { trial } = capacityStep(figures({ p99: 140, machineShare: 0.85 }), 2532, 'ramp', 50, undefined, [30, 38, 45]);
    expect(trial.disturbed).toBeUndefined();
  });
});
