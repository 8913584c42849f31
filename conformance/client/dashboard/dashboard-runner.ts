/**
 * `hubproof client --driver dashboard`: runs the presence-client cases against a dashboard page in
 * Chromium, one scripted stream and one browser context per case, a few at a time, and returns the
 * client runner's RunReport (outcomes, root-cause groups, `--expect`, replay commands, every renderer).
 * Without Chromium or playwright-core every case is skipped with what is missing and how to install it:
 * the harness's missing browser is never the page's failure.
 */
import type { Browser } from 'playwright-core';
import { launchChromium, chromiumUnavailable } from '../../../load/browser/chromium.ts';
import { runEndText } from '../../../reports/conformance-terminal.ts';
import { withDeviation } from '../../../reports/model/case-result.ts';
import { DEFAULT_RULES } from '../../../reports/model/outcomes.ts';
import { exitCodeOf, summarize, type RunReport } from '../../../reports/model/run-report.ts';
import { HubproofError } from '../../../spec/errors.ts';
import { PRESENCE_CLIENT_REQUIREMENTS } from '../../../spec/requirements/index.ts';
import { DEFAULT_TIMINGS } from '../../context.ts';
import { OrderedProgress } from '../../ordered-progress.ts';
import { tellStory } from '../../story.ts';
import type { CaseResult } from '../../types.ts';
import { selectClientCases, type DeviationList, type SelectedClientCase } from '../client-runner.ts';
import { runScriptedCase } from '../run-client-case.ts';
import { DASHBOARD_CASES } from './cases/index.ts';
import { DEFAULT_DASHBOARD_CASE_TIMEOUT_MS, type DashboardCase } from './dashboard-case.ts';
import { createDashboardContext } from './dashboard-context.ts';
import type { PageTransform } from './dashboard-page.ts';
import { checkPageSource, type PageSource } from './page-source.ts';

import pkg from '../../../package.json' with { type: 'json' };

/** Pages at once unless --concurrency says otherwise (each a browser context and a small server). */
export const DEFAULT_DASHBOARD_CONCURRENCY = 4;

export interface DashboardRunOptions {
  page: PageSource;
  /** Flags that reproduce the page choice in a replay command (`--client-url URL`; none for the default page). */
  replayFlags?: string[];
  /** Rewrites the page's scripts as they load (the self-test's mutants). */
  transform?: PageTransform;
  /** Names the page in the report instead of the page source (a mutant's name). */
  name?: string;
  /** What the report's `client` names (default `dashboard page` and the page source). */
  library?: { name: string; version: string };
  selectors?: string[];
  strict?: boolean;
  concurrency?: number;
  deviations?: DeviationList;
  failOnFixed?: boolean;
  progress?: { write(s: string): unknown } | null;
  plain?: boolean;
  onResult?: (r: CaseResult) => void;
  /** A browser to use (tests share one across runs); launched and closed by the run otherwise. */
  browser?: Browser;
}

export function selectDashboardCases(selectors: string[] = []): SelectedClientCase<DashboardCase>[] {
  return selectClientCases({ selectors, cases: DASHBOARD_CASES, requirements: PRESENCE_CLIENT_REQUIREMENTS });
}

export function dashboardReplayCommand(id: string, replayFlags: readonly string[] = []): string {
  return ['npx hubproof client', id, '--driver dashboard', ...replayFlags].join(' ');
}

export async function runDashboardConformance(o: DashboardRunOptions): Promise<RunReport> {
  const selected = selectDashboardCases(o.selectors);
  const out = o.progress === undefined ? process.stderr : o.progress;
  const plain = o.plain ?? (Boolean(process.env.CI) || !(out as { isTTY?: boolean } | null)?.isTTY);
  const write = (s: string) => void out?.write(s);
  const strict = o.strict ?? false;
  const startedAt = new Date();
  const t0 = performance.now();
  await checkPageSource(o.page);
  const name = o.name ?? (o.library ? `${o.library.name} ${o.library.version}` : `dashboard page ${o.page.label}`);
  const unavailable = o.browser ? undefined : chromiumUnavailable();
  let browser = o.browser;
  let notCovered = unavailable;
  if (!browser && !notCovered) {
    try {
      browser = await launchChromium();
    } catch (err) {
      if (!(err instanceof HubproofError) || err.code !== 'HUBPROOF_ERR_BROWSER_UNAVAILABLE') throw err;
      notCovered = err.message;
    }
  }
  write(`hubproof client: ${selected.length} case(s) against the ${name} in Chromium${strict ? ', strict' : ''}\n`);
  if (notCovered) write(`not covered: ${notCovered}\n`);

  const progress = new OrderedProgress(selected.length, { write, plain, onResult: o.onResult });
  const rows = new Array<CaseResult[]>(selected.length);
  const runOne = async (index: number) => {
    const sel = selected[index]!;
    progress.started(sel.id);
    const result = notCovered
      ? sel.reqRows.map((row): CaseResult => ({
          id: row.id,
          requirement: row.req.id,
          level: row.req.level,
          desc: sel.case.desc,
          outcome: 'skipped',
          reason: `not covered: ${notCovered}`,
          durationMs: 0,
          wire: [],
        }))
      : await runScriptedCase(
          sel.reqRows,
          { ...sel.case, timeoutMs: sel.case.timeoutMs ?? DEFAULT_DASHBOARD_CASE_TIMEOUT_MS },
          {
            strict,
            replay: (id) => dashboardReplayCommand(id, o.replayFlags),
            harness: (init) => createDashboardContext(init, { browser: browser!, page: o.page, transform: o.transform }),
          },
        );
    progress.stopped(sel.id);
    rows[index] = result.map((r) => {
      const d = o.deviations?.get(r.id) ?? o.deviations?.get(r.requirement);
      return d ? withDeviation(r, d) : r;
    });
    progress.done(index, rows[index]!);
  };
  const queue = selected.map((_, i) => i);
  const worker = async () => {
    for (let index = queue.shift(); index !== undefined; index = queue.shift()) await runOne(index);
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, o.concurrency ?? DEFAULT_DASHBOARD_CONCURRENCY) }, worker));
  } finally {
    progress.finish();
    if (browser && !o.browser) await browser.close().catch(() => undefined);
  }

  const told = tellStory(rows.flat());
  const rules = { ...DEFAULT_RULES, failOnFixed: o.failOnFixed ?? false };
  const report: RunReport = {
    target: { name, profiles: [], nodes: [], embedded: false },
    client: { driver: 'dashboard', library: o.library?.name ?? 'dashboard page', version: o.library?.version ?? o.name ?? o.page.label },
    hub: undefined,
    harness: { name: 'hubproof', version: pkg.version },
    seed: 0,
    numRuns: 0,
    strict,
    selectors: o.selectors ?? [],
    timings: DEFAULT_TIMINGS,
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - t0),
    warnings: notCovered ? [`not covered: ${notCovered}`] : [],
    findings: [],
    groups: told.groups,
    rules,
    results: told.results,
    summary: summarize(told.results),
    exitCode: exitCodeOf(told.results, [], rules),
  };
  const reqText = new Map(PRESENCE_CLIENT_REQUIREMENTS.map((r) => [r.id, r]));
  write(runEndText(report, (id) => reqText.get(id)));
  return report;
}
