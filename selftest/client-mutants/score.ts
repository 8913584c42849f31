/**
 * Mutation score of the client suite: runs a mutant client (index.ts) and checks the run tells exactly
 * its story: the requirement it breaks missed (fail or non-strict), every other row passed, and any row
 * that could not be judged blocked by that requirement. Shared by the self-test (each mutant's own
 * selectors) and `npm run mutants:client` (every mutant against the whole suite).
 */
import { runClientConformance } from '../../conformance/client/client-runner.ts';
import type { RunReport } from '../../reports/model/run-report.ts';
import { mutantDriver, type ClientMutant } from './index.ts';

export interface ClientMutantScore {
  mutant: string;
  breaks: string;
  caught: boolean;
  /** What the run got wrong about the story, one line each; empty when caught. */
  problems: string[];
  /** The first miss on `breaks`, one line. */
  reason?: string;
  durationMs: number;
  report: RunReport;
}

/** Problems with a run against a client that breaks `breaks` and nothing else. */
export function storyProblems(report: RunReport, breaks: string): string[] {
  const problems: string[] = [];
  const missed = (o: string) => o === 'fail' || o === 'non-strict';
  if (!report.results.some((r) => r.requirement === breaks && missed(r.outcome))) problems.push(`${breaks} not missed`);
  for (const r of report.results) {
    if (r.requirement === breaks || r.outcome === 'pass') continue;
    if (r.outcome === 'blocked' && r.blockedBy?.id === breaks) continue;
    problems.push(`${r.id} ${r.outcome}${r.blockedBy ? ` by ${r.blockedBy.id}` : ''}: ${r.reason ?? ''}`);
  }
  return problems;
}

export async function scoreClientMutant(m: ClientMutant, opts: { full?: boolean; concurrency?: number } = {}): Promise<ClientMutantScore> {
  const report = await runClientConformance({
    driver: mutantDriver(m.name),
    selectors: opts.full ? [] : m.selectors,
    strict: true,
    progress: null,
    ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
  });
  const problems = storyProblems(report, m.breaks);
  const hit = report.results.find((r) => r.requirement === m.breaks && (r.outcome === 'fail' || r.outcome === 'non-strict'));
  return {
    mutant: m.name,
    breaks: m.breaks,
    caught: problems.length === 0,
    problems,
    ...(hit?.reason ? { reason: hit.reason } : {}),
    durationMs: report.durationMs,
    report,
  };
}

export function formatClientScore(rows: readonly ClientMutantScore[]): string {
  const caught = rows.filter((r) => r.caught).length;
  const lines = rows.map(
    (r) =>
      `${r.caught ? 'caught ' : 'MISSED '} ${r.mutant.padEnd(26)} ${r.breaks.padEnd(30)} ${String(Math.round(r.durationMs / 100) / 10).padStart(5)} s  ${r.caught ? (r.reason ?? '') : r.problems.join('; ')}`,
  );
  return [`client mutants: ${caught}/${rows.length} caught on exactly the requirement they break`, ...lines].join('\n');
}
