/** Writes the load report as JSON (the same shape k6's handleSummary writes), creating the directory. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LoadReport } from '../load/report-types.ts';

export function loadReportJson(report: LoadReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export function writeLoadJson(path: string, report: LoadReport): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, loadReportJson(report));
}
