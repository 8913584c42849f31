/**
 * Which requirement each load SLO certifies. Timing and memory requirements cannot be certified by a
 * light conformance case on a shared machine; their conformance cases check function (reach, growth)
 * and this table says which load threshold carries the figure, so the matrix can point from one to the
 * other. A threshold with no entry certifies no registered requirement (e.g. Pusher fan-out latency).
 */
import type { ScenarioResult } from '../load/report-types.ts';

/** `scenario kind/threshold name` → requirement ids. */
const BY_THRESHOLD: Readonly<Record<string, readonly string[]>> = {
  'presence/p99Ms': ['agent-presence/performance/1'],
  'presence/minRate': ['agent-presence/performance/1'],
  'presence/minReach': ['agent-presence/performance/1'],
  'agents/p99Ms': ['sync/propagation/1'],
  'agents/conflictP99Ms': ['sync/conflicts/5'],
};

/** The connections scenario measures dashboards only against an agent-presence hub (else Pusher sockets). */
function measuredDashboards(s: Pick<ScenarioResult, 'scenario' | 'notes'>): boolean {
  if (s.scenario.transport === 'dashboard') return true;
  if (s.scenario.transport === 'pusher') return false;
  return s.notes.some((n) => n.includes('/ws/broadcasts dashboards'));
}

/** Requirement ids the threshold `name` of scenario `s` certifies (empty when none). */
export function sloRequirements(s: Pick<ScenarioResult, 'kind' | 'scenario' | 'notes'>, name: string): string[] {
  if (s.kind === 'connections' && name === 'maxMbPer1000') return measuredDashboards(s) ? ['agent-presence/performance/2'] : [];
  return [...(BY_THRESHOLD[`${s.kind}/${name}`] ?? [])];
}
