/**
 * The soak as the tests run it: scaled down to 0.5 s cycles of 4 clients and 3 s measured after the
 * warm-up (the fast hub's bound, 5.3 s), against the embedded hub's fast timers. Over 3 s, growth counts
 * only past the return margin (50 MB, 5 descriptors) spread over the window, so a fresh hub's heap
 * growing in its first seconds is settling, and the buffer mutant must leak fast to be seen: 8 MB per
 * closed connection. The driver's own limits are relaxed: tests share the machine, and no figure here
 * is about speed.
 */
import { runLoad } from '../../../load/run-load.ts';
import type { LoadReport, ScenarioResult } from '../../../load/report-types.ts';
import type { TargetFile } from '../../../spec/target.ts';

export const SCALED_SET = ['cycleS=0.5', 'warmupS=0', 'subscribersPerChannel=4', 'rate=40'];

export async function scaledSoak(target: TargetFile, embedded?: 'child' | 'in-process'): Promise<ScenarioResult> {
  return (await scaledSoakReport(target, embedded)).scenarios[0]!;
}

/** The whole load report of a scaled soak (for the published-schema check). */
export async function scaledSoakReport(target: TargetFile, embedded?: 'child' | 'in-process'): Promise<LoadReport> {
  const report = await runLoad({
    target,
    ...(embedded ? { embedded } : {}),
    scenarios: 'soak',
    overrides: { durationS: 3, set: SCALED_SET },
    progress: false,
    driverLimits: { maxMachineShare: 1.01, maxCpuShare: 1.01, maxLoopLagMs: 2000, maxSendLagMs: 2000 },
  });
  if (report.errors.length) throw new Error(`soak could not run: ${report.errors.map((e) => e.message).join('; ')}`);
  return report;
}

/** The thresholds a run breached, by name. */
export const breached = (s: ScenarioResult): string[] => s.thresholds.filter((t) => !t.ok).map((t) => t.name);

/** Everything a failing assertion should show: the breaches and the run's own lines. */
export const story = (s: ScenarioResult): string =>
  [...s.thresholds.map((t) => `${t.name} ${t.actual} ${t.ok ? 'ok' : 'BREACHED'}`), ...s.notes].join('\n');
