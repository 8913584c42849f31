/**
 * handleSummary for every hubproof k6 script: the standard terminal summary (load/summary-table.ts) and the
 * report JSON, written to `-e OUT=FILE` (default `hubproof-k6-<scenario>.json` in the working directory:
 * k6 does not create folders). `-e OUT=-` prints the report as one JSON line on stdout instead, for runners
 * whose files vanish with them (k6-operator pods: collect it with `kubectl logs`).
 */
import { formatSummary } from '../../summary-table.ts';
import { buildK6Report, type K6Run, type SummaryData } from './report.ts';
import type { K6Target } from './target.ts';

export function summaryOutputs(d: SummaryData, t: K6Target, r: K6Run): Record<string, string> {
  const report = buildK6Report(d, t, r);
  const out = __ENV.OUT || `hubproof-k6-${r.scenario.name}.json`;
  const text = formatSummary(report);
  if (out === '-') return { stdout: `${text}${JSON.stringify(report)}\n` };
  return { stdout: `${text}JSON report: ${out}\n`, [out]: `${JSON.stringify(report, null, 2)}\n` };
}
