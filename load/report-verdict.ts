/**
 * The verdict of a load report, from its scenarios: a scenario whose generator saturated is invalid (its
 * figures say nothing about the hub), else it fails on any breached threshold. The report fails when a
 * valid scenario failed or one could not run, is invalid when some scenario is, else passes. Pure: the
 * Node driver, the k6 scripts' summary and `hubproof merge` all judge with it.
 */
import {
  LOAD_REPORT_VERSION,
  LOAD_SCHEMA_VERSION,
  type LoadReport,
  type ScenarioResult,
  type ScenarioStatus,
  type ThresholdResult,
} from './report-types.ts';
import { describeBreach } from './thresholds.ts';

/** A report with no scenarios yet, as every generator starts one. */
export function emptyReport(generator: LoadReport['generator'], target: LoadReport['target'], driver: LoadReport['driver']): LoadReport {
  return {
    tool: 'hubproof',
    kind: 'load',
    schemaVersion: LOAD_SCHEMA_VERSION,
    reportVersion: LOAD_REPORT_VERSION,
    generator,
    generatedAt: new Date().toISOString(),
    target,
    driver,
    scenarios: [],
    verdict: 'pass',
    breaches: [],
    invalid: [],
    skipped: [],
    errors: [],
  };
}

export function scenarioStatus(generatorSaturated: boolean, thresholds: ThresholdResult[]): ScenarioStatus {
  if (generatorSaturated) return 'invalid';
  return thresholds.every((t) => t.ok) ? 'pass' : 'fail';
}

/** One line per breach, one per invalid scenario. */
export function scenarioLines(s: ScenarioResult): { breaches: string[]; invalid: string[] } {
  return {
    breaches: s.thresholds.filter((t) => !t.ok).map((t) => describeBreach(s.name, t)),
    invalid:
      s.status === 'invalid' ? [`${s.name}: ${s.driver.reasons.join('; ') || s.notes[s.notes.length - 1] || 'figures invalid'}`] : [],
  };
}

/** Fills breaches, invalid and verdict from the scenarios and errors. */
export function judgeReport(report: LoadReport): LoadReport {
  report.breaches = [];
  report.invalid = [];
  for (const s of report.scenarios) {
    const l = scenarioLines(s);
    report.breaches.push(...l.breaches);
    report.invalid.push(...l.invalid);
  }
  // A breach inside an invalid scenario is not the hub's: it stays listed, but only valid scenarios fail the run.
  if (report.scenarios.some((s) => s.status === 'fail') || report.errors.length) report.verdict = 'fail';
  else if (report.invalid.length) report.verdict = 'invalid';
  else report.verdict = 'pass';
  return report;
}

/** 0 pass, 1 a threshold was breached or a scenario failed, 2 figures invalid (the generator saturated). */
export function exitCodeFor(report: Pick<LoadReport, 'verdict'>): number {
  return report.verdict === 'pass' ? 0 : report.verdict === 'fail' ? 1 : 2;
}
