/**
 * A latency breach is confirmed before a certificate calls it one. certify measures each scenario for a
 * few seconds, where one pause of the machine (a noisy neighbour on a shared CI runner, a GC of the
 * machine's other work) moves a p99 the driver's own guards cannot see when it lands on the hub's core.
 * So a scenario that breached a latency threshold (unit `ms`) in a valid window is measured once more:
 * breached again, it is breached; held the second time, the figure is not steady and the SLO is
 * unmeasured (INCONCLUSIVE, exit 2), never held. A hub is therefore never certified more often than with
 * one window; it is only called NOT-CERTIFIED less often for a pause it did not repeat. Counts (reach,
 * publish errors, memory) are not re-measured: a lost event is a fact, not a timing.
 */
import type { LoadReport, ScenarioResult, ThresholdResult } from '../load/report-types.ts';

/** What a second window said of one SLO row (`fanout/p99Ms`). */
export interface SecondWindow {
  actual: number | null;
  /** held or breached in a valid second window; invalid: the second window's figures could not be trusted. */
  status: 'held' | 'breached' | 'invalid';
  /** Why the second window was invalid. */
  reason?: string;
}

const isTiming = (t: ThresholdResult): boolean => t.unit === 'ms';

/** Scenarios of a load run that breached a latency threshold in a valid window: those a second window re-measures. */
export function scenariosToConfirm(load: LoadReport): string[] {
  return load.scenarios.filter((s) => s.status === 'fail' && s.thresholds.some((t) => isTiming(t) && !t.ok)).map((s) => s.name);
}

/** The second window's verdict on each latency threshold the first one breached, by SLO row id. */
export function secondWindows(first: LoadReport, second: LoadReport): Map<string, SecondWindow> {
  const out = new Map<string, SecondWindow>();
  for (const s of first.scenarios) {
    const again: ScenarioResult | undefined = second.scenarios.find((x) => x.name === s.name);
    for (const t of s.thresholds.filter((x) => isTiming(x) && !x.ok)) {
      const id = `${s.name}/${t.name}`;
      const u = again?.thresholds.find((x) => x.name === t.name);
      if (!again || !u) {
        const error = second.errors.find((e) => e.name === s.name)?.message;
        out.set(id, { actual: null, status: 'invalid', reason: error ?? 'the scenario did not run again' });
      } else if (again.status === 'invalid')
        out.set(id, { actual: u.actual, status: 'invalid', reason: again.driver.reasons.join('; ') || 'the load generator saturated' });
      else out.set(id, { actual: u.actual, status: u.ok ? 'held' : 'breached' });
    }
  }
  return out;
}

/** The note of an SLO row a second window re-measured: `confirmed: 99 ms, then 87 ms in a second window`. */
export function secondWindowNote(first: number | null, second: SecondWindow, unit: string, limit: string): string {
  const f = (x: number | null) => (x === null ? 'not measured' : `${x}${unit ? ` ${unit}` : ''}`);
  if (second.status === 'breached') return `confirmed: ${f(first)}, then ${f(second.actual)} in a second window (required ${limit})`;
  if (second.status === 'held')
    return `not steady: ${f(first)} in the first window, ${f(second.actual)} in a second (required ${limit}); a pause of the machine or of the hub that did not repeat — rerun on a quieter machine`;
  return `not confirmed: ${f(first)} in the first window (required ${limit}), and a second window was invalid (${second.reason})`;
}
