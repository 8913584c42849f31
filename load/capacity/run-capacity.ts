/**
 * The capacity scenario: the search of load/capacity/search.ts run against the hub, each step a measured
 * fanout phase over the same subscriber connections, `repeat` times (fresh connections each time). The
 * figure is the highest rate that held, or with repeats the median search's, reported with the range.
 */
import { finishScenario, phaseFigures } from '../phase-figures.ts';
import type { CapacityFigures, CapacitySearch, CapacityStep, ScenarioResult, ThresholdResult } from '../report-types.ts';
import type { RunContext } from '../run-context.ts';
import { connect, rigFor } from '../run-broadcast.ts';
import type { Scenario } from '../scenarios/types.ts';
import { DEFAULT_THRESHOLDS } from '../scenarios/types.ts';
import { searchCapacity, validateSearch, type Stage } from './search.ts';
import { capacityStep, stepLine, type PhaseFigures } from './step-evidence.ts';
import { capacitySpread } from './spread.ts';
import { waitForQuiet } from './quiet-machine.ts';

interface SearchRun {
  search: CapacitySearch;
  /** Figures of the step the figure comes from (its last run that held), else of the last step. */
  shown: PhaseFigures;
}

async function oneSearch(ctx: RunContext, s: Scenario, run: number | undefined, startedAt: string): Promise<SearchRun> {
  const limit = s.thresholds.p99Ms ?? DEFAULT_THRESHOLDS.p99Ms;
  const rig = rigFor(ctx, s, 'pusher');
  try {
    const ready = await connect(ctx, s, rig);
    const steps: CapacityStep[] = [];
    const figures = new Map<CapacityStep, PhaseFigures>();
    let disturbed = false;
    const outcome = await searchCapacity(
      { startRate: s.stepStartRate, factor: s.stepFactor, maxRate: s.maxRate, resolution: s.resolution },
      async (rate, stage) => {
        // Measured again because other work disturbed it: first let that work finish, if it will.
        const waited = disturbed ? await waitForQuiet(ctx.hubPid) : undefined;
        if (waited)
          ctx.progress.note(
            `${s.name}: the machine was busy with other work: waited ${waited.waitedS} s${waited.quiet ? '' : ', still busy'}`,
          );
        const phase = await rig.phase(rate, s.warmupS, stepSeconds(s, stage));
        ctx.progress.done();
        const f = phaseFigures(ctx, s, phase, ready, rig.connections, startedAt);
        const heldOthers = steps.filter((x) => x.ok).map((x) => x.othersCpuPct);
        const { step, trial } = capacityStep(f, rate, stage, limit, run, heldOthers);
        if (waited) step.waitedS = waited.waitedS;
        disturbed = trial.disturbed === true;
        steps.push(step);
        figures.set(step, f);
        ctx.progress.note(stepLine(s.name, step));
        return trial;
      },
    );
    const best = steps.filter((x) => x.ok && x.rate === outcome.lastGoodRate).at(-1) ?? steps.at(-1)!;
    return { search: { steps, ...outcome }, shown: figures.get(best)! };
  } finally {
    await rig.close();
  }
}

/** Seconds measured in a step: the ramp's stepS, confirmStepS for the steps that decide the figure. */
export function stepSeconds(s: Pick<Scenario, 'stepS' | 'confirmStepS'>, stage: Stage): number {
  return stage === 'ramp' || !(s.confirmStepS > 0) ? s.stepS : s.confirmStepS;
}

export async function runCapacity(ctx: RunContext, s: Scenario): Promise<ScenarioResult> {
  validateSearch({ startRate: s.stepStartRate, factor: s.stepFactor, maxRate: s.maxRate, resolution: s.resolution });
  const startedAt = new Date().toISOString();
  const repeat = Math.max(1, Math.round(s.repeat));
  const runs: SearchRun[] = [];
  for (let k = 0; k < repeat; k++) {
    if (repeat > 1) ctx.progress.note(`${s.name}: search ${k + 1} of ${repeat}`);
    runs.push(await oneSearch(ctx, s, repeat > 1 ? k : undefined, startedAt));
    if (repeat > 1) ctx.progress.note(`${s.name}: search ${k + 1} of ${repeat} → ${runs.at(-1)!.search.lastGoodRate ?? 'none'}/s`);
  }
  const spread =
    repeat > 1
      ? capacitySpread(
          runs.map((r) => r.search.lastGoodRate),
          s.resolution,
        )
      : undefined;
  // The median search stands for the set: its steps, its figure, its last good step's figures.
  const median = spread ? (runs.find((r) => r.search.lastGoodRate === spread.median) ?? runs[0]!) : runs[0]!;
  const capacity: CapacityFigures = {
    ...median.search,
    resolution: s.resolution,
    ...(spread ? { runs: runs.map((r) => r.search), spread } : {}),
  };
  return judgeCapacity(s, median.shown, capacity);
}

/** Notes, thresholds and status of a capacity result (pure: the CLI's side-by-side runs judge with it too). */
export function judgeCapacity(s: Scenario, shown: PhaseFigures, capacity: CapacityFigures): ScenarioResult {
  const figure = capacity.spread ? capacity.spread.median : capacity.lastGoodRate;
  const thresholds: ThresholdResult[] = [];
  if (s.thresholds.minRate !== undefined) {
    thresholds.push({
      name: 'minRate',
      label: `capacity (highest rate held at p99 < ${s.thresholds.p99Ms ?? DEFAULT_THRESHOLDS.p99Ms} ms with reach 1${capacity.spread ? `, median of ${capacity.spread.runs}` : ''})`,
      comparator: '>=',
      limit: s.thresholds.minRate,
      actual: figure,
      unit: 'events/s',
      ok: figure !== null && figure >= s.thresholds.minRate,
    });
  }
  const notes = [
    `figures below are the step the capacity figure comes from (${capacity.lastGoodRate ?? 'none'}/s); stopped: ${capacity.stoppedBecause}`,
  ];
  if (capacity.heldOnRetry?.length)
    notes.push(`missed once and held when run again: ${capacity.heldOnRetry.map((r) => `${r}/s`).join(', ')}`);
  const result = finishScenario({ ...shown, capacity }, notes, thresholds);
  // The search judged the driver step by step; only a search that held nothing because the generator
  // failed measured nothing about the hub.
  result.status = figure === null && capacity.lowerBound ? 'invalid' : thresholds.every((t) => t.ok) ? 'pass' : 'fail';
  return result;
}
