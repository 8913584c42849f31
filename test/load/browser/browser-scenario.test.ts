/**
 * `hubproof load --scenario browser` in real Chromium against the reference hub behind a relay: a relay
 * that breaks only Pusher client events (nothing the presence stream needs) passes; one that holds each
 * dashboard frame back 1.5 s breaches the end-to-end p99, and one that drops every other presence update
 * breaches reach. Short, low-rate runs: the figures, not the machine's speed, are under test. (The reference
 * hub's /dashboard keeps the measuring contract: test/dashboard/dashboard-page.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumUnavailable } from '../../../load/browser/chromium.ts';
import type { LoadReport, ScenarioResult } from '../../../load/report-types.ts';
import { runLoad } from '../../../load/run-load.ts';
import { formatSummary } from '../../../load/summary-table.ts';
import { renderLoadHtml } from '../../../reports/load-html.ts';
import { startMutatingProxy, type MutatingProxy, type WsHooks } from '../../../selftest/kit/mutating-proxy.ts';
import { startEmbeddedTarget, type EmbeddedTarget } from '../../../cli/embedded-target.ts';
import { startHub } from '../../../reference-server/hub.ts';
import type { TargetFile } from '../../../spec/target.ts';
import { expectPublishedReport } from '../../helpers/published-schema.ts';

const noChromium = chromiumUnavailable();
/** The machine is shared: the driver's own limits are not under test here. */
const RELAXED = { maxLoopLagMs: 5000, maxSendLagMs: 5000, maxCpuShare: 2, maxMachineShare: 2 };
/**
 * The end-to-end SLO these runs are judged by, and the hold-back that must breach it. Loose on purpose (as
 * certify's test SLOs): two cores shared with Chromium and other work put hundreds of ms on a run now and
 * then, and what is under test is that a slow hub shows up end to end, not this machine's speed.
 */
const SLO_MS = 1000;
const DELAY_MS = 1500;

/** The reference hub in its own process, so its event loop is not the driver's (nor Playwright's). */
let hub: EmbeddedTarget;
const proxies: MutatingProxy[] = [];

async function behind(ws: WsHooks): Promise<TargetFile> {
  const proxy = await startMutatingProxy({ upstream: hub.target.nodes[0]!.http, ws });
  proxies.push(proxy);
  return { ...hub.target, name: 'relayed reference hub', nodes: [{ ws: proxy.wsUrl, http: proxy.httpUrl }] };
}

async function run(target: TargetFile, set: string[] = []): Promise<{ report: LoadReport; s: ScenarioResult }> {
  const report = await runLoad({
    target,
    scenarios: 'browser',
    overrides: {
      durationS: 1.5,
      rate: 50,
      set: ['publishers=10', 'subscribersPerChannel=2', 'warmupS=1', `thresholds.p99Ms=${SLO_MS}`, ...set],
    },
    driverLimits: RELAXED,
    progress: false,
  });
  expect(report.errors).toEqual([]);
  expect(report.skipped).toEqual([]);
  expectPublishedReport('load', report);
  return { report, s: report.scenarios[0]! };
}

/** What a failed assertion prints: end to end, wire and timeline, so a slow machine is told from a bug. */
const figures = (s: ScenarioResult): string =>
  `end to end p50 ${s.latency.p50} p99 ${s.latency.p99} ms, wire p50 ${s.browser?.wire.latency.p50} p99 ${s.browser?.wire.latency.p99} ms; per second [t, sent, applied, p99]: ${JSON.stringify(s.timeline.map((r) => [r.t, r.sent, r.delivered, r.p99Ms]))}; driver ${JSON.stringify(s.driver.reasons)}`;

const isPresence = (json: unknown): boolean => (json as { type?: unknown } | undefined)?.type === 'presence_update';

describe.skipIf(noChromium)('browser load scenario', () => {
  beforeAll(async () => {
    hub = await startEmbeddedTarget({ timers: 'default', mode: 'child' });
  });
  afterAll(async () => {
    for (const p of proxies) await p.close();
    await hub?.dispose();
  });

  it('passes against a hub that breaks only Pusher client events, with end to end beside the wire', async () => {
    const target = await behind({
      fromClient: (_c, _t, json) => ((json as { event?: string } | undefined)?.event?.startsWith('client-') ? null : undefined),
    });
    const { report, s } = await run(target);
    expect(
      s.thresholds.map((t) => `${t.name}:${t.ok}`),
      figures(s),
    ).toEqual(['p99Ms:true', 'minReach:true']);
    expect(report.verdict).toBe('pass');
    const b = s.browser!;
    expect(s.delivery).toMatchObject({ expected: s.throughput.sent * 2, lost: 0, duplicated: 0, outOfOrder: 0 });
    expect(b.wire.delivery.reach).toBe(1);
    expect(b.perPage).toHaveLength(2);
    expect(b.longTasks.supported).toBe(true);
    expect(b.framesPerS).toBeGreaterThan(0);
    // Each update is applied after its page received it, so every percentile of end to end is at least
    // the same percentile of receipt (HDR buckets: 0.1 %).
    expect(s.latency.p50).toBeGreaterThanOrEqual(b.receive.p50 * 0.999);
    expect(s.latency.p99).toBeGreaterThanOrEqual(b.receive.p99 * 0.999);
    expect(b.clock.maxErrorMs).toBeLessThan(20);
    // The report plots end to end next to the wire and the receipt, and the long tasks; the summary says both.
    const html = renderLoadHtml(report);
    for (const label of ['end to end (page DOM)', 'wire (driver subscriber)', 'page socket receive']) expect(html).toContain(label);
    expect(html).toMatch(/<svg class="chart long-tasks"/);
    expect(formatSummary(report)).toMatch(/end to end \(send → page DOM\) p50 .* wire \(same updates\) p50 /);
  }, 60_000);

  it(`breaches the end-to-end p99 when the hub holds each dashboard frame back ${DELAY_MS} ms, and the wire shows the same delay`, async () => {
    const target = await behind({ fromHub: (c, text, json) => (isPresence(json) ? (c.toClient(text, DELAY_MS), null) : undefined) });
    const { report, s } = await run(target, ['subscribersPerChannel=1']);
    expect(report.verdict).toBe('fail');
    expect(s.thresholds.find((t) => t.name === 'p99Ms')).toMatchObject({ ok: false });
    expect(s.thresholds.find((t) => t.name === 'minReach')).toMatchObject({ ok: true });
    expect(s.latency.p50).toBeGreaterThanOrEqual(DELAY_MS);
    expect(s.browser!.wire.latency.p50).toBeGreaterThanOrEqual(DELAY_MS);
    expect(report.breaches.join('\n')).toMatch(/browser: p99Ms breached — p99 end to end/);
  }, 60_000);

  it('breaches reach when the hub drops every other presence update to each dashboard', async () => {
    const seen = new Map<number, number>();
    const dropOdd = (id: number): boolean => {
      const n = seen.get(id) ?? 0;
      seen.set(id, n + 1);
      return n % 2 === 1;
    };
    const target = await behind({ fromHub: (c, _t, json) => (isPresence(json) && dropOdd(c.id) ? null : undefined) });
    const { report, s } = await run(target, ['subscribersPerChannel=1']);
    expect(report.verdict).toBe('fail');
    expect(s.thresholds.find((t) => t.name === 'minReach')).toMatchObject({ ok: false });
    expect(s.delivery.reach).toBeLessThan(0.75);
    expect(s.browser!.wire.delivery.reach).toBeLessThan(1);
  }, 60_000);
});

describe('browser load scenario without a browser', () => {
  it('is not covered, with the reason and the install command, not failed, when there is no Chromium', async () => {
    const local = await startHub({ port: 0, dataDir: ':memory:' });
    const saved = process.env.HUBPROOF_CHROMIUM;
    process.env.HUBPROOF_CHROMIUM = '/nonexistent/chromium';
    try {
      const report = await runLoad({ target: local.target(), scenarios: 'browser', progress: false });
      expect(report.scenarios).toEqual([]);
      expect(report.skipped).toEqual([
        {
          name: 'browser',
          reason: expect.stringMatching(/HUBPROOF_CHROMIUM=\/nonexistent\/chromium does not exist; install it: apt-get install chromium/),
          tool: 'chromium',
          install: 'apt-get install chromium',
        },
      ]);
      expect(report.verdict).toBe('pass');
    } finally {
      if (saved === undefined) delete process.env.HUBPROOF_CHROMIUM;
      else process.env.HUBPROOF_CHROMIUM = saved;
      await local.close();
    }
  });
});
