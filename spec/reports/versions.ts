/**
 * The schema version of each JSON report hubproof writes, `MAJOR.MINOR`. A reader checks the major: a
 * new major removes or renames a field, or changes a field's meaning or unit; a new minor only adds
 * optional fields (README, "Report contracts"). The published JSON Schema of a report (spec/generated/
 * <kind>-report.schema.json) accepts every minor of its major. No zod here: the k6 scripts bundle this.
 */
export const REPORT_SCHEMA_VERSIONS = {
  /**
   * `hubproof conform --json` and `hubproof client --json`; major 1 as in its `format` (`hubproof-conformance/1`).
   * 1.1: `client` (the client library a `hubproof client` run judged), wire `dir` `app>` and `app<`.
   */
  conformance: '1.1',
  /**
   * `hubproof load --json`, the k6 scripts' OUT file and `hubproof merge --json`; major 2 as `reportVersion` 2.
   * 2.1: soak (kind, scenario `cycleS`, soak thresholds, `soak` figures), publish gate and retries
   * (`maxPublishErrors`, `publishRetries`, `publishRetrySamples`, `httpConnectionLimit`), the capacity
   * search's evidence (per-step stage, run and counts, `confirmStepS`, `resolution`, `repeat`, every search
   * and their spread), and a skipped scenario's missing `tool` and its `install` command.
   */
  load: '2.1',
  /**
   * `certify.json`; major 1 as in its `format` (`hubproof-certify/1`).
   * 1.1: `load.skipped[].tool` and `install` (a scenario skipped for a missing tool).
   * 1.2: `client` (a client library's certificate, `hubproof certify --client`); `slos[].secondWindow` (a
   * latency breach measured once more before it counts).
   */
  certify: '1.2',
} as const;

export type ReportKind = keyof typeof REPORT_SCHEMA_VERSIONS;

/** The major of a `MAJOR.MINOR` version: `'2.0'` → 2. */
export function majorOf(version: string): number {
  return Number(version.split('.')[0]);
}
