/** Evaluates a scenario's SLO thresholds; every breach names the threshold and both numbers. */
import type { Thresholds } from './scenarios/types.ts';
import type { ScenarioResult, ThresholdResult } from './report-types.ts';

type Measured = Pick<ScenarioResult, 'latency' | 'delivery' | 'throughput' | 'memory' | 'conflicts' | 'windowS'>;

export function evaluateThresholds(t: Thresholds, m: Measured): ThresholdResult[] {
  const out: ThresholdResult[] = [];
  if (t.p99Ms !== undefined) {
    const actual = m.latency.count > 0 ? m.latency.p99 : null;
    out.push({
      name: 'p99Ms',
      label: 'p99 propagation',
      comparator: '<',
      limit: t.p99Ms,
      actual,
      unit: 'ms',
      ok: actual !== null && actual < t.p99Ms,
    });
  }
  if (t.minReach !== undefined) {
    const actual = m.delivery.reach;
    out.push({
      name: 'minReach',
      label: 'reach (received ÷ expected)',
      comparator: '>=',
      limit: t.minReach,
      actual,
      unit: '',
      ok: m.delivery.expected > 0 && actual >= t.minReach,
    });
  }
  if (t.maxPublishErrors !== undefined) {
    const actual = m.delivery.publishErrors;
    out.push({
      name: 'maxPublishErrors',
      label: `publishes the hub refused or never answered${actual > 0 && m.delivery.publishErrorSamples[0] ? ` (${m.delivery.publishErrorSamples[0]})` : ''}`,
      comparator: '<=',
      limit: t.maxPublishErrors,
      actual,
      unit: '',
      ok: actual <= t.maxPublishErrors,
    });
  }
  if (t.minRate !== undefined) {
    // Sustained = accepted in the window and delivered: a hub that refuses or drops does not count.
    const acceptedShare = m.throughput.sent > 0 ? Math.max(0, 1 - m.delivery.publishErrors / m.throughput.sent) : 1;
    const actual = round(m.throughput.sentPerS * acceptedShare * Math.min(1, m.delivery.reach));
    out.push({
      name: 'minRate',
      label: 'sustained delivered rate',
      comparator: '>=',
      limit: t.minRate,
      actual,
      unit: 'events/s',
      ok: actual >= t.minRate,
    });
  }
  if (t.maxMbPer1000 !== undefined) {
    const actual = m.memory ? m.memory.mbPer1000 : null;
    out.push({
      name: 'maxMbPer1000',
      label: 'hub memory per 1000 connections',
      comparator: '<',
      limit: t.maxMbPer1000,
      actual,
      unit: 'MB',
      ok: actual !== null && actual < t.maxMbPer1000,
    });
  }
  if (t.conflictP99Ms !== undefined) {
    const actual = m.conflicts && m.conflicts.latency.count > 0 ? m.conflicts.latency.p99 : null;
    out.push({
      name: 'conflictP99Ms',
      label: 'p99 conflict resolution',
      comparator: '<',
      limit: t.conflictP99Ms,
      actual,
      unit: 'ms',
      ok: actual !== null && actual < t.conflictP99Ms,
    });
  }
  return out;
}

export function describeBreach(scenario: string, r: ThresholdResult): string {
  const actual = r.actual === null ? 'not measured' : `${r.actual}${r.unit ? ` ${r.unit}` : ''}`;
  const want = `${r.comparator} ${r.limit}${r.unit ? ` ${r.unit}` : ''}`;
  return `${scenario}: ${r.name} breached — ${r.label} ${actual}, required ${want}`;
}

const round = (x: number): number => Math.round(x * 10) / 10;
