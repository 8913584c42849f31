/** `hubproof merge REPORT… [--json F] [--html DIR]`: one load report from several generators' reports of one test; exit 0/1/2 like `load`. */
import { parseArgs } from 'node:util';
import { HubproofError } from '../spec/errors.ts';
import { readLoadReport } from '../load/merge/read-report.ts';
import { mergeReports } from '../load/merge/merge-reports.ts';
import { exitCodeFor } from '../load/report-verdict.ts';
import { formatSummary } from '../load/summary-table.ts';
import { writeLoadHtml } from '../reports/load-html.ts';
import { writeLoadJson } from '../reports/load-json.ts';

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { json: { type: 'string' }, html: { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals.length === 0)
    throw new HubproofError('HUBPROOF_ERR_USAGE', 'give the reports to merge: hubproof merge shard-0.json shard-1.json …');
  const report = mergeReports(positionals.map((file) => ({ file, report: readLoadReport(file) })));
  process.stdout.write(formatSummary(report));
  if (values.json) {
    writeLoadJson(values.json, report);
    process.stdout.write(`JSON report: ${values.json}\n`);
  }
  if (values.html) process.stdout.write(`HTML report: ${writeLoadHtml(values.html, report)}\n`);
  return exitCodeFor(report);
}
