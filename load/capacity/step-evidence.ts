/**
 * One capacity step's record and verdict, from the figures of its measured phase: everything needed to
 * tell "the hub lost events" from "the driver did not publish them" from "the driver was the limit".
 */
import type { phaseFigures } from '../phase-figures.ts';
import type { CapacityStep } from '../report-types.ts';
import type { Stage, Trial } from './search.ts';

export type PhaseFigures = ReturnType<typeof phaseFigures>;

export function capacityStep(
  f: PhaseFigures,
  rate: number,
  stage: Stage,
  p99LimitMs: number,
  run?: number,
): { step: CapacityStep; trial: Trial } {
  const d = f.delivery;
  const causes: string[] = [];
  const generatorLimited = f.driver.saturated;
  if (generatorLimited) causes.push(`load generator saturated: ${f.driver.reasons.join('; ')}`);
  if (d.publishErrors > 0)
    causes.push(`${d.publishErrors} publishes refused or unanswered${d.publishErrorSamples[0] ? ` (${d.publishErrorSamples[0]})` : ''}`);
  if (d.lost > 0) causes.push(`lost ${d.lost} of ${d.expected} deliveries (reach ${d.reach.toFixed(5)})`);
  if (f.latency.count === 0) causes.push('nothing delivered');
  else if (f.latency.p99 >= p99LimitMs) causes.push(`p99 ${f.latency.p99} ms ≥ ${p99LimitMs} ms`);
  const ok = causes.length === 0;
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
    ok,
    ...(ok ? {} : { failure: causes.join('; ') }),
  };
  return { step, trial: { ok, generatorLimited, ...(ok ? {} : { failure: causes.join('; ') }) } };
}

/** The progress line of a step: rate, stage, figures, and what it means for the search. */
export function stepLine(name: string, s: CapacityStep): string {
  const hub = s.hubCpuPct === null ? '' : `, hub ${Math.round(s.hubCpuPct)}%`;
  const verdict = s.ok ? (s.stage === 'retry' ? ' — held on retry' : ' — held') : ` — missed: ${s.failure}`;
  return `${name}: ${s.rate}/s${s.stage && s.stage !== 'ramp' ? ` (${s.stage})` : ''} → p99 ${s.p99Ms} ms, reach ${s.reach === 1 ? '1' : s.reach.toFixed(5)}, driver ${Math.round(s.driverCpuShare * 100)}%${hub}${verdict}`;
}
