/**
 * JSON output of a conformance run: one file with everything (`--json FILE`), or a directory with
 * `index.json` (the run report, results without wire logs) and one record per case under `cases/`
 * holding its wire log, for reports too large to open at once.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RunReport } from '../conformance/runner.ts';
import { REPORT_SCHEMA_VERSIONS } from '../spec/reports/versions.ts';
import { reportJson, type ConformanceReportJson } from './report-contract.ts';

export const CONFORMANCE_REPORT_FORMAT = 'hubproof-conformance/1';
/** `MAJOR.MINOR` of the published schema (spec/generated/conformance-report.schema.json). */
export const CONFORMANCE_SCHEMA_VERSION = REPORT_SCHEMA_VERSIONS.conformance;

/** File-system safe name for a case id: `pusher/auth/4#1` → `pusher_auth_4-1.json`. */
export function caseRecordName(id: string): string {
  return `${id
    .replace(/\//g, '_')
    .replace(/#/g, '-')
    .replace(/[^A-Za-z0-9_.-]/g, '_')}.json`;
}

export function conformanceJson(report: RunReport): ConformanceReportJson {
  return { format: CONFORMANCE_REPORT_FORMAT, schemaVersion: CONFORMANCE_SCHEMA_VERSION, ...report };
}

/** Writes the report; one its published schema refuses is not written (reports/report-contract.ts). */
export function writeConformanceJson(report: RunReport, file: string): void {
  const text = reportJson('conformance', conformanceJson(report));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** Writes `dir/index.json` and `dir/cases/<id>.json`; returns the index path. */
export function writeConformanceJsonDir(report: RunReport, dir: string): string {
  const records = report.results.map((r) => ({ path: `cases/${caseRecordName(r.id)}`, text: reportJson('case-record', r) }));
  const results = report.results.map(({ wire, ...rest }, i) => ({ ...rest, wireEntries: wire.length, record: records[i]!.path }));
  const indexText = reportJson('conformance-index', { ...conformanceJson(report), results });
  mkdirSync(join(dir, 'cases'), { recursive: true });
  for (const r of records) writeFileSync(join(dir, r.path), r.text);
  const index = join(dir, 'index.json');
  writeFileSync(index, indexText);
  return index;
}
