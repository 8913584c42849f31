/**
 * Mutation score of the dashboard suite: runs every case against each mutant dashboard and checks the run
 * tells exactly its story (the client mutants' storyProblems: the broken rule missed, everything else
 * passed or blocked by it). `npx tsx selftest/dashboard-mutants/score.ts` prints the table.
 */
import type { Browser } from 'playwright-core';
import { runDashboardConformance } from '../../conformance/client/dashboard/dashboard-runner.ts';
import { pageFromFolder } from '../../conformance/client/dashboard/page-source.ts';
import { REFERENCE_DASHBOARD_DIR } from '../../cli/reference-dashboard.ts';
import { storyProblems, type ClientMutantScore } from '../client-mutants/score.ts';
import { DASHBOARD_MUTANTS, mutantTransform, type DashboardMutant } from './index.ts';

export async function scoreDashboardMutant(
  m: DashboardMutant,
  o: { browser?: Browser; concurrency?: number; selectors?: string[] } = {},
): Promise<ClientMutantScore> {
  const report = await runDashboardConformance({
    page: pageFromFolder(REFERENCE_DASHBOARD_DIR),
    transform: mutantTransform(m),
    name: `mutant dashboard ${m.name}`,
    strict: true,
    progress: null,
    ...(o.selectors ? { selectors: o.selectors } : {}),
    ...(o.browser ? { browser: o.browser } : {}),
    ...(o.concurrency !== undefined ? { concurrency: o.concurrency } : {}),
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

if (import.meta.url === `file://${process.argv[1]}`) {
  const { formatClientScore } = await import('../client-mutants/score.ts');
  const rows: ClientMutantScore[] = [];
  for (const m of DASHBOARD_MUTANTS) rows.push(await scoreDashboardMutant(m));
  process.stdout.write(`${formatClientScore(rows).replace(/^client mutants/, 'dashboard mutants')}\n`);
  process.exitCode = rows.every((r) => r.caught) ? 0 : 1;
}
