/**
 * Reads a load report for `hubproof merge`: a JSON file as `hubproof load --json` or a k6 script's OUT
 * writes it, or a log holding one (`kubectl logs` of a k6 run with OUT=-, one JSON line; of `hubproof load
 * --json /dev/stdout`, the pretty-printed block). Anything else is refused with a reason.
 */
import { readFileSync } from 'node:fs';
import { HubproofError } from '../../spec/errors.ts';
import { LoadReport as LoadReportSchema } from '../../spec/reports/load-report.ts';
import { majorOf } from '../../spec/reports/versions.ts';
import { describeZodError } from '../../spec/target.ts';
import { LOAD_REPORT_VERSION, type LoadReport } from '../report-types.ts';

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // A log holding `hubproof load --json /dev/stdout`: the block from `{` + `"tool": "hubproof"` to the closing `}` line.
    const block = /^\{\n\s+"tool": "hubproof"[\s\S]*?\n\}$/m.exec(text);
    if (block) {
      try {
        return JSON.parse(block[0]);
      } catch {
        // Not that: try a report line.
      }
    }
    // A k6 log with OUT=-: the report is the last line that is a hubproof JSON object.
    const line = text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.startsWith('{') && l.includes('"tool":"hubproof"'))
      .at(-1);
    if (!line) return undefined;
    try {
      return JSON.parse(line);
    } catch {
      return undefined;
    }
  }
}

export function readLoadReport(file: string): LoadReport {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new HubproofError('HUBPROOF_ERR_MERGE', `cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const r = parse(text) as Partial<LoadReport> | undefined;
  if (!r || typeof r !== 'object' || r.tool !== 'hubproof')
    throw new HubproofError('HUBPROOF_ERR_MERGE', `${file} holds no hubproof report (neither JSON nor a log with a report line)`);
  if (r.kind !== 'load') throw new HubproofError('HUBPROOF_ERR_MERGE', `${file} is a hubproof ${String(r.kind)} report, not a load report`);
  if (!Array.isArray(r.scenarios)) throw new HubproofError('HUBPROOF_ERR_MERGE', `${file} is not a complete load report (no scenarios)`);
  // Older than version 2: mergeReports refuses it and says why.
  if ((r.reportVersion ?? 1) < LOAD_REPORT_VERSION) return r as LoadReport;
  // Version 2 reports written before schemaVersion existed are 2.0.
  const report = { ...r, schemaVersion: r.schemaVersion ?? `${LOAD_REPORT_VERSION}.0` };
  if (typeof report.schemaVersion === 'string' && majorOf(report.schemaVersion) !== LOAD_REPORT_VERSION)
    throw new HubproofError(
      'HUBPROOF_ERR_MERGE',
      `${file} is a load report of schema ${report.schemaVersion}; this hubproof reads ${LOAD_REPORT_VERSION}.x: merge it with the hubproof that wrote it`,
    );
  const parsed = LoadReportSchema.safeParse(report);
  if (!parsed.success)
    throw new HubproofError('HUBPROOF_ERR_MERGE', `${file} does not match the load report schema at ${describeZodError(parsed.error)}`);
  return report as LoadReport;
}
