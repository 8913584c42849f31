/**
 * Renders a real load report (short runs against the bare ws server) and opens it in headless Chromium:
 * the SVG charts must render with non-zero boxes and carry their data paths. Skips when Chromium is absent.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBareServer } from '../../bench/bare-ws-server.ts';
import { runLoad } from '../../load/run-load.ts';
import type { LoadReport } from '../../load/report-types.ts';
import { renderLoadHtml, writeLoadHtml } from '../../reports/load-html.ts';
import { expectPublishedReport } from '../helpers/published-schema.ts';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const RELAXED = { maxLoopLagMs: 5000, maxSendLagMs: 5000, maxCpuShare: 2, maxMachineShare: 2 };

let report: LoadReport;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hubproof-load-html-'));
  const server = await startBareServer();
  try {
    report = await runLoad({
      target: server.target(),
      scenarios: 'fanout,connections',
      overrides: { durationS: 2, rate: 40, set: ['channels=2', 'subscribersPerChannel=5', 'warmupS=0.5', 'workers=1', 'rampPerS=200'] },
      driverLimits: RELAXED,
      progress: false,
    });
    expectPublishedReport('load', report);
  } finally {
    await server.close();
  }
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('load HTML report', () => {
  it('is one self-contained page: no scripts, no external stylesheets or images', () => {
    const page = renderLoadHtml(report);
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/<link[^>]+stylesheet/i);
    expect(page).not.toMatch(/(src|href)="https?:/i);
    expect(page).toContain('<svg');
  });

  it('names a breached threshold on the page', () => {
    const failing: LoadReport = structuredClone(report);
    const s = failing.scenarios[0]!;
    s.thresholds = s.thresholds.map((t) => (t.name === 'p99Ms' ? { ...t, actual: 99, ok: false } : t));
    s.status = 'fail';
    failing.breaches = ['fanout: p99Ms breached — p99 propagation 99 ms, required < 50 ms'];
    failing.verdict = 'fail';
    const page = renderLoadHtml(failing);
    expect(page).toContain('BREACHED');
    expect(page).toContain('fanout: p99Ms breached');
  });

  it.skipIf(!hasChromium)('renders the latency curve, timeline and memory charts in Chromium', async () => {
    const { chromium } = await import('playwright-core');
    const file = writeLoadHtml(dir, report);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--headless',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      await page.goto(`file://${file}`);
      for (const cls of ['latency-curve', 'timeline', 'memory']) {
        const chart = page.locator(`svg.${cls}`).first();
        const box = await chart.boundingBox();
        expect(box, cls).not.toBeNull();
        expect(box!.width).toBeGreaterThan(100);
        expect(box!.height).toBeGreaterThan(100);
      }
      // Data series are drawn as paths with real geometry, not empty placeholders.
      for (const sel of [
        'svg.latency-curve path.latency',
        'svg.timeline path.sent',
        'svg.timeline path.delivered',
        'svg.memory path.rss',
      ]) {
        const path = page.locator(sel).first();
        expect(await path.count(), sel).toBeGreaterThan(0);
        const d = (await path.getAttribute('d')) ?? '';
        expect(d.split('L').length, sel).toBeGreaterThan(1);
        const b = await path.boundingBox();
        expect(b && b.width > 0, sel).toBe(true);
      }
      await page.screenshot({ path: join(dir, 'load.png'), fullPage: true });
      expect(existsSync(join(dir, 'load.png'))).toBe(true);
    } finally {
      await browser.close();
    }
  });
});
