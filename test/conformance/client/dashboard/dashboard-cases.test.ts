/**
 * The dashboard suite in real Chromium: the reference hub's /dashboard page passes every presence-client
 * case (--strict), and each mutant dashboard (the page with one script rewritten) is caught on exactly
 * the rule it breaks within the cases that prove it (`npx tsx selftest/dashboard-mutants/score.ts` runs
 * each against the whole suite). Also: a hub's page by URL, and the run without Chromium (not covered,
 * never failed). One browser for the file; without Chromium the browser tests skip and say why.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFERENCE_DASHBOARD_DIR } from '../../../../cli/reference-dashboard.ts';
import { runDashboardConformance, selectDashboardCases } from '../../../../conformance/client/dashboard/dashboard-runner.ts';
import { pageFromFolder, pageFromUrl } from '../../../../conformance/client/dashboard/page-source.ts';
import { chromiumUnavailable, launchChromium } from '../../../../load/browser/chromium.ts';
import { startHub } from '../../../../reference-server/hub.ts';
import { DASHBOARD_MUTANTS } from '../../../../selftest/dashboard-mutants/index.ts';
import { formatClientScore, storyProblems, type ClientMutantScore } from '../../../../selftest/client-mutants/score.ts';
import { scoreDashboardMutant } from '../../../../selftest/dashboard-mutants/score.ts';
import { PRESENCE_CLIENT_REQUIREMENTS } from '../../../../spec/requirements/index.ts';
import type { RunReport } from '../../../../reports/model/run-report.ts';

const noChromium = chromiumUnavailable();
const page = pageFromFolder(REFERENCE_DASHBOARD_DIR);
const outcomes = (r: RunReport) => Object.fromEntries(r.results.map((x) => [x.id, x.outcome]));
let browser: Browser;

beforeAll(async () => {
  if (!noChromium) browser = await launchChromium();
});
afterAll(() => browser?.close());

describe('dashboard cases', () => {
  it('prove every presence-client rule, and every mutant patch still finds its code in the page', () => {
    const proven = new Set(selectDashboardCases().flatMap((c) => c.reqRows.map((r) => r.req.id)));
    expect(PRESENCE_CLIENT_REQUIREMENTS.map((r) => r.id).filter((id) => !proven.has(id))).toEqual([]);
    for (const m of DASHBOARD_MUTANTS) {
      expect(readFileSync(join(REFERENCE_DASHBOARD_DIR, m.file), 'utf8'), m.name).toContain(m.from);
      expect(proven.has(m.breaks), m.name).toBe(true);
    }
  });

  it('skip every case without Chromium, not covered, with the install command, and exit 0', async () => {
    const saved = process.env.HUBPROOF_CHROMIUM;
    process.env.HUBPROOF_CHROMIUM = '/nonexistent/chromium';
    try {
      const report = await runDashboardConformance({ page, progress: null });
      expect(new Set(report.results.map((r) => r.outcome))).toEqual(new Set(['skipped']));
      expect(report.results[0]!.reason).toMatch(/^not covered: needs Chromium: .*install it: apt-get install chromium$/);
      expect(report.warnings).toHaveLength(1);
      expect(report.exitCode).toBe(0);
    } finally {
      if (saved === undefined) delete process.env.HUBPROOF_CHROMIUM;
      else process.env.HUBPROOF_CHROMIUM = saved;
    }
  });
});

describe.skipIf(noChromium)(`the dashboard suite in Chromium${noChromium ? ` (skipped: ${noChromium})` : ''}`, () => {
  it.concurrent(
    'passes the reference hub’s page on every case, --strict',
    async () => {
      const report = await runDashboardConformance({ page, browser, strict: true, progress: null });
      const missed = report.results.filter((r) => r.outcome !== 'pass');
      expect(missed.map((r) => `${r.id} ${r.outcome}: ${r.reason} | ${r.actual}`)).toEqual([]);
      expect(report.results).toHaveLength(12);
      expect(report.client).toMatchObject({ driver: 'dashboard' });
    },
    90_000,
  );

  it.concurrent(
    'tests a hub’s page by URL, fetched from the hub and served beside the scripted stream',
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'hubproof-dashboard-url-'));
      const hub = await startHub({ port: 0, dataDir });
      try {
        const url = `${hub.httpUrl}/dashboard`;
        const report = await runDashboardConformance({
          page: pageFromUrl(url),
          replayFlags: ['--client-url', url],
          browser,
          selectors: ['presence-client/connection', 'presence-client/updates/1'],
          progress: null,
        });
        expect(outcomes(report)).toEqual({
          'presence-client/connection/1#1': 'pass',
          'presence-client/catch-up/1#1': 'pass',
          'presence-client/updates/1#1': 'pass',
          'presence-client/updates/2#1': 'pass',
        });
      } finally {
        await hub.close();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    60_000,
  );

  const rows: ClientMutantScore[] = [];
  afterAll(() => {
    if (rows.length) console.log(`\n${formatClientScore(rows).replace(/^client/, 'dashboard')}\n`);
  });
  for (const m of DASHBOARD_MUTANTS) {
    // Side by side (one page or two each): the slowest, a page that never comes back, waits out the 10 s bound.
    it.concurrent(
      `catches the mutant dashboard ${m.name} on ${m.breaks} and nothing else`,
      async () => {
        const score = await scoreDashboardMutant(m, { browser, selectors: [m.breaks], concurrency: 1 });
        rows.push(score);
        expect(score.problems).toEqual([]);
        const hit = score.report.results.find((r) => r.requirement === m.breaks && r.outcome === 'fail')!;
        expect(hit.replay).toBe(`npx hubproof client ${hit.id} --driver dashboard`);
        expect(hit.expected).toBeDefined();
        expect(hit.wire.some((w) => w.dir === 'note' && w.text.includes(`/${m.file} rewritten by the mutant`))).toBe(true);
        expect(storyProblems(score.report, m.breaks)).toEqual([]);
      },
      60_000,
    );
  }
});
