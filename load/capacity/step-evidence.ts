/**
 * One capacity step's record and verdict, from the figures of its measured phase: everything needed to
 * tell "the hub lost events" from "the driver did not publish them" from "the driver was the limit".
 */
import type { phaseFigures } from '../phase-figures.ts';
import type { CapacityStep } from '../report-types.ts';
import type { Stage, Trial } from './search.ts';

export type PhaseFigures = ReturnType<typeof phaseFigures>;

/**
 * CPU of other processes, % of one core, above which a step that missed is no verdict. Against hubproof hub
 * on the 2-core build machine, steps with nothing else running measured 0-8 % besides hub and driver (up to
 * ~24 % at moments); steps disturbed by other work measured 30-117 %, and missed at a third of the rate.
 */
export const DISTURBED_CPU_PCT = 25;

/**
 * The other processes' CPU above which a step counts as disturbed, given what they used during the steps
 * that held before it: a hub of several processes (a second node, its Redis) shows as "other" CPU that
 * grows with the load, and must not read as someone else's work.
 */
export function disturbedAbove(heldOthers: ReadonlyArray<number | null | undefined>): number {
  const xs = heldOthers.filter((x): x is number => typeof x === 'number').sort((a, b) => a - b);
  const median = xs.length ? xs[Math.floor((xs.length - 1) / 2)]! : 0;
  return Math.max(DISTURBED_CPU_PCT, 2 * median + 10);
}

/** The machine's CPU besides the hub's and the driver's, % of one core (null: machine or hub CPU unknown). */
export function othersCpuPct(f: PhaseFigures): number | null {
  if (f.driver.machineShare === null || f.hub === undefined) return null;
  return Math.round(f.driver.machineShare * f.driver.cores * 100 - f.hub.cpuPct - f.driver.cpuPct);
}

export function capacityStep(
  f: PhaseFigures,
  rate: number,
  stage: Stage,
  p99LimitMs: number,
  run?: number,
  /** What other processes used during the steps that held before this one (see disturbedAbove). */
  heldOthers: ReadonlyArray<number | null | undefined> = [],
): { step: CapacityStep; trial: Trial } {
  const d = f.delivery;
  const causes: string[] = [];
  const generatorLimited = f.driver.saturated;
  const others = othersCpuPct(f);
  if (generatorLimited) causes.push(`load generator saturated: ${f.driver.reasons.join('; ')}`);
  if (d.publishErrors > 0)
    causes.push(`${d.publishErrors} publishes refused or unanswered${d.publishErrorSamples[0] ? ` (${d.publishErrorSamples[0]})` : ''}`);
  if (d.lost > 0) causes.push(`lost ${d.lost} of ${d.expected} deliveries (reach ${d.reach.toFixed(5)})`);
  if (f.latency.count === 0) causes.push('nothing delivered');
  else if (f.latency.p99 >= p99LimitMs) causes.push(`p99 ${f.latency.p99} ms ≥ ${p99LimitMs} ms`);
  const ok = causes.length === 0;
  const disturbed = !ok && others !== null && others > disturbedAbove(heldOthers);
  if (disturbed) causes.push(`other processes used ${others} % of a core besides hub and driver`);
  const step: CapacityStep = {
    rate,
    stage,
    ...(run !== undefined ? { run } : {}),
    seconds: f.windowS,
    p99Ms: f.latency.p99,
    p50Ms: f.latency.p50,
    reach: d.reach,
    deliveredPerS: f.throughput.deliveredPerS,
    sent: f.throughput.sent,
    expected: d.expected,
    received: d.received,
    lost: d.lost,
    duplicated: d.duplicated,
    outOfOrder: d.outOfOrder,
    publishErrors: d.publishErrors,
    publishErrorSamples: d.publishErrorSamples,
    ...(d.publishRetries ? { publishRetries: d.publishRetries } : {}),
    driverSaturated: f.driver.saturated,
    driverCpuShare: f.driver.cpuShare,
    driverLagMs: Math.max(f.driver.mainLoopLagP99Ms, f.driver.workerLoopLagP99Ms),
    machineShare: f.driver.machineShare,
    hubCpuPct: f.hub?.cpuPct ?? null,
    othersCpuPct: others,
    ...(disturbed ? { disturbed } : {}),
    ok,
    ...(ok ? {} : { failure: causes.join('; ') }),
  };
  return { step, trial: { ok, generatorLimited, ...(disturbed ? { disturbed } : {}), ...(ok ? {} : { failure: causes.join('; ') }) } };
}

/** The progress line of a step: rate, stage, figures, and what it means for the search. */
export function stepLine(name: string, s: CapacityStep): string {
  const hub = s.hubCpuPct === null ? '' : `, hub ${Math.round(s.hubCpuPct)}%`;
  const verdict = s.ok
    ? s.stage === 'retry'
      ? ' — held on retry'
      : ' — held'
    : ` — missed${s.disturbed ? ' (disturbed: measured again)' : ''}: ${s.failure}`;
  return `${name}: ${s.rate}/s${s.stage && s.stage !== 'ramp' ? ` (${s.stage})` : ''} → p99 ${s.p99Ms} ms, reach ${s.reach === 1 ? '1' : s.reach.toFixed(5)}, driver ${Math.round(s.driverCpuShare * 100)}%${hub}${verdict}`;
}
