/**
 * Writes the load report as JSON (the same shape k6's handleSummary writes), creating the directory; a
 * report its published schema refuses is not written (reports/report-contract.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LoadReport } from '../load/report-types.ts';
import { reportJson } from './report-contract.ts';

export function loadReportJson(report: LoadReport): string {
  return reportJson('load', report);
}

export function writeLoadJson(path: string, report: LoadReport): void {
  const text = loadReportJson(report);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}
