/**
 * JSON output of a conformance run: one file with everything (`--json FILE`), or a directory with
 * `index.json` (the run report, results without wire logs) and one record per case under `cases/`
 * holding its wire log, for reports too large to open at once.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RunReport } from '../conformance/runner.ts';

export const CONFORMANCE_REPORT_FORMAT = 'hubproof-conformance/1';

/** File-system safe name for a case id: `pusher/auth/4#1` → `pusher_auth_4-1.json`. */
export function caseRecordName(id: string): string {
  return `${id
    .replace(/\//g, '_')
    .replace(/#/g, '-')
    .replace(/[^A-Za-z0-9_.-]/g, '_')}.json`;
}

export function conformanceJson(report: RunReport): object {
  return { format: CONFORMANCE_REPORT_FORMAT, ...report };
}

export function writeConformanceJson(report: RunReport, file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(conformanceJson(report), null, 2)}\n`);
}

/** Writes `dir/index.json` and `dir/cases/<id>.json`; returns the index path. */
export function writeConformanceJsonDir(report: RunReport, dir: string): string {
  mkdirSync(join(dir, 'cases'), { recursive: true });
  const results = report.results.map(({ wire, ...rest }) => {
    const record = `cases/${caseRecordName(rest.id)}`;
    writeFileSync(join(dir, record), `${JSON.stringify({ ...rest, wire }, null, 2)}\n`);
    return { ...rest, wireEntries: wire.length, record };
  });
  const index = join(dir, 'index.json');
  writeFileSync(index, `${JSON.stringify({ format: CONFORMANCE_REPORT_FORMAT, ...report, results }, null, 2)}\n`);
  return index;
}
