/**
 * The schema version of each JSON report hubproof writes, `MAJOR.MINOR`. A reader checks the major: a
 * new major removes or renames a field, or changes a field's meaning or unit; a new minor only adds
 * optional fields (README, "Report contracts"). The published JSON Schema of a report (spec/generated/
 * <kind>-report.schema.json) accepts every minor of its major. No zod here: the k6 scripts bundle this.
 */
export const REPORT_SCHEMA_VERSIONS = {
  /** `hubproof conform --json`; major 1 as in its `format` (`hubproof-conformance/1`). */
  conformance: '1.0',
  /** `hubproof load --json`, the k6 scripts' OUT file and `hubproof merge --json`; major 2 as `reportVersion` 2. */
  load: '2.0',
  /** `certify.json`; major 1 as in its `format` (`hubproof-certify/1`). */
  certify: '1.0',
} as const;

export type ReportKind = keyof typeof REPORT_SCHEMA_VERSIONS;

/** The major of a `MAJOR.MINOR` version: `'2.0'` → 2. */
export function majorOf(version: string): number {
  return Number(version.split('.')[0]);
}
