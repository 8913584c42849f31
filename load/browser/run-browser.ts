/**
 * The browser scenario: the presence publisher of the other scenarios, one driver-side dashboard on the
 * wire, and K Chromium pages following the same stream. Each update is timed from its scheduled send to
 * the moment a page applied it to its DOM (end to end) and to its arrival on the wire, on one clock.
 */
import type { Browser } from 'playwright-core';
import { DASHBOARD_PATH } from '../../spec/schemas/agent-presence.ts';
import { BroadcastRig, type PhaseResult } from '../driver/broadcast-rig.ts';
import { nowUs } from '../measure/clock.ts';
import { finishScenario, latencyFigures, phaseFigures } from '../phase-figures.ts';
import type { ScenarioResult } from '../report-types.ts';
import type { RunContext } from '../run-context.ts';
import type { Scenario } from '../scenarios/types.ts';
import { evaluateThresholds } from '../thresholds.ts';
import type { BrowserFigures } from './browser-figures.ts';
import { MeasuringPage, type ClockSync } from './browser-pages.ts';
import { launchChromium } from './chromium.ts';
import { analysePages, RECORD_FIELDS } from './page-samples.ts';
import { startPageServer, type PageServer } from './page-server.ts';
import { childCpuMs, waitForQuiet } from './process-cpu.ts';

/** After the last send, how long the pages get to apply what the wire already delivered. */
const PAGE_SETTLE_MS = 3000;
/** Idle measuring pages use about 6 % of a core each (their frame counter, the hub page's clocks): quiet is below this. */
const quietPct = (pages: number): number => 15 + 8 * pages;

const round1 = (x: number): number => Math.round(x * 10) / 10;
const usToMs1 = (us: number): number => Math.round(us / 100) / 10;

function pageTarget(ctx: RunContext, s: Scenario, server: PageServer | undefined, k: number): { url: string; label: string } {
  const node = ctx.target.nodes[0]!;
  const q = new URLSearchParams({ token: ctx.target.agents[0]!.token, session_id: `hp-browser-${Math.floor(k / s.subscribersPerChannel)}` });
  if (!server) return { url: `${node.http.replace(/\/+$/, '')}/dashboard?${q}`, label: `${node.http.replace(/\/+$/, '')}/dashboard` };
  return { url: server.pageUrl(`${node.ws.replace(/\/+$/, '')}${DASHBOARD_PATH}?${q}`), label: `hubproof measuring page → ${node.ws}${DASHBOARD_PATH}` };
}

/** Drains every page once a second (never two drains of one page at once) and samples the browser's CPU. */
function startDraining(pages: MeasuringPage[], exclude: ReadonlySet<number>): { cpu: Array<[number, number]>; stop(): Promise<void> } {
  const cpu: Array<[number, number]> = [];
  let running: Promise<unknown> = Promise.resolve();
  const tick = (): void => {
    const ms = childCpuMs(exclude);
    if (ms !== undefined) cpu.push([nowUs(), ms]);
    running = running.then(() => Promise.all(pages.map((p) => p.drain().catch(() => undefined))));
  };
  const timer = setInterval(tick, 1000);
  return {
    cpu,
    stop: async () => {
      clearInterval(timer);
      await running;
      tick();
      await running;
    },
  };
}

/** Waits until every page applied every update sent in the window, or PAGE_SETTLE_MS. */
async function settle(pages: MeasuringPage[], phase: PhaseResult): Promise<void> {
  const deadline = Date.now() + PAGE_SETTLE_MS;
  const inWindow = (flat: number[]): number => {
    let n = 0;
    for (let i = 3; i < flat.length; i += RECORD_FIELDS) if (flat[i]! >= phase.measureFromUs && flat[i]! < phase.endUs) n++;
    return n;
  };
  while (Date.now() < deadline) {
    await Promise.all(pages.map((p) => p.drain().catch(() => undefined)));
    if (pages.every((p) => inWindow(p.recording.applied) >= phase.sentInWindow)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function syncAll(pages: MeasuringPage[]): Promise<ClockSync[]> {
  const out: ClockSync[] = [];
  // One page at a time: concurrent round trips would queue behind each other and widen the error.
  for (const p of pages) out.push(await p.syncClock());
  return out;
}

/** % of one core used by the browser between the first sample in the window and the last. */
function browserCpuPct(samples: Array<[number, number]>, phase: PhaseResult): number | null {
  const inside = samples.filter(([at]) => at >= phase.measureFromUs && at <= phase.endUs + 1e6);
  if (inside.length < 2) return null;
  const [t0, c0] = inside[0]!;
  const [t1, c1] = inside.at(-1)!;
  return t1 > t0 ? round1(((c1 - c0) / ((t1 - t0) / 1000)) * 100) : null;
}

export async function runBrowser(ctx: RunContext, s: Scenario): Promise<ScenarioResult> {
  const startedAt = new Date().toISOString();
  if (!ctx.target.agents[0]) throw new TypeError('the browser scenario needs an agent token in the target file (agents[0].token)');
  const kind = s.page ?? 'hubproof';
  const count = s.channels * s.subscribersPerChannel;
  const rig = new BroadcastRig({
    target: ctx.target,
    publish: 'presence',
    channels: 1,
    subscribersPerChannel: 1,
    publishers: s.publishers,
    payloadBytes: s.payloadBytes,
    workers: 1,
    monitor: ctx.monitor,
    hubPid: ctx.hubPid,
    onSecond: (row) => ctx.progress.line(s.name, row),
  });
  let server: PageServer | undefined;
  let browser: Browser | undefined;
  const pages: MeasuringPage[] = [];
  let draining: ReturnType<typeof startDraining> | undefined;
  try {
    ctx.progress.note(`${s.name}: starting Chromium with ${count} page(s) (${kind === 'hub' ? "the target's /dashboard" : "hubproof's measuring page"})…`);
    server = kind === 'hubproof' ? await startPageServer() : undefined;
    browser = await launchChromium();
    const ready = await rig.start();
    for (let k = 0; k < count; k++) {
      const { url, label } = pageTarget(ctx, s, server, k);
      pages.push(await MeasuringPage.open(browser, k, url, label));
    }
    const exclude = new Set(ctx.hubPid !== undefined ? [ctx.hubPid] : []);
    const quiet = await waitForQuiet(exclude, quietPct(count));
    ctx.progress.note(`${s.name}: ${count} page(s) following the stream; browser settled after ${(quiet.waitedMs / 1000).toFixed(1)} s`);
    const clocks = await syncAll(pages);
    pages.forEach((p, i) => p.useClock(clocks[i]!));
    draining = startDraining(pages, exclude);
    const cpuSamples = draining.cpu;
    const phase = await rig.phase(s.rate, s.warmupS, s.durationS);
    await settle(pages, phase);
    await draining.stop();
    draining = undefined;
    ctx.progress.done();
    const after = await syncAll(pages);

    const a = analysePages(pages.map((p) => p.recording), phase);
    const base = phaseFigures(ctx, s, phase, ready, count, startedAt);
    const closes = pages.flatMap((p) => p.recording.closes.map((c) => `page ${p.index}: ${c}`));
    const tasks = [...a.longTasks.inWindow].sort((x, y) => y.ms - x.ms);
    const figures: BrowserFigures = {
      page: kind,
      pages: count,
      chromium: browser.version(),
      wire: { latency: base.latency, delivery: phase.delivery },
      receive: latencyFigures(a.receive),
      longTasks: {
        supported: a.longTasks.supported,
        inWindow: tasks.length,
        maxMs: tasks[0]?.ms ?? 0,
        totalMs: round1(tasks.reduce((sum, t) => sum + t.ms, 0)),
        outsideWindow: a.longTasks.outsideWindow,
        tasks: tasks.slice(0, 200),
      },
      framesPerS: a.framesPerS,
      perPage: a.perPage,
      clock: {
        maxErrorMs: usToMs1(Math.max(...clocks.map((c) => c.errorUs), ...after.map((c) => c.errorUs))),
        driftMs: usToMs1(Math.max(...clocks.map((c, i) => Math.abs(after[i]!.offsetUs - c.offsetUs)))),
      },
      cpuPct: browserCpuPct(cpuSamples, phase),
    };
    const measured = {
      ...base,
      latency: latencyFigures(a.endToEnd),
      delivery: { ...base.delivery, ...a.delivery, disconnects: closes.length, closeReasons: closes.slice(0, 5) },
      throughput: { ...base.throughput, deliveredPerS: round1(a.delivery.received / phase.windowS) },
      timeline: phase.timeline.map((row, i) => ({ ...row, delivered: a.seconds[i]?.delivered ?? 0, p99Ms: a.seconds[i]?.p99Ms ?? 0 })),
      browser: figures,
    };
    a.endToEnd.destroy();
    a.receive.destroy();
    const thresholds = evaluateThresholds(s.thresholds, measured).map((t) =>
      t.name === 'p99Ms' ? { ...t, label: 'p99 end to end (scheduled send → applied in the page DOM)' } : t.name === 'minReach' ? { ...t, label: 'reach at every page (applied ÷ expected)' } : t,
    );
    const notes = [
      `${count} Chromium page(s) (${kind === 'hub' ? "the target's /dashboard" : "hubproof's measuring page"}) over ${s.channels} dashboard session(s), ${s.publishers} agents; wire figures from one driver-side /ws/broadcasts subscriber`,
      'an update superseded by a newer one for the same agent within one frame counts as applied when that frame is (its counters are on screen)',
      `page clocks mapped to the driver's within ±${figures.clock.maxErrorMs} ms (moved ${figures.clock.driftMs} ms by the end)`,
    ];
    if (quiet.pct !== undefined && quiet.pct >= quietPct(count)) notes.push(`the browser was still busy (${quiet.pct}% of a core) ${Math.round(quiet.waitedMs / 1000)} s after its pages opened; the warm-up had to absorb the rest`);
    if (!a.longTasks.supported) notes.push('this Chromium reports no long tasks: the long-task figures were not measured');
    return finishScenario(measured, notes, thresholds);
  } finally {
    await draining?.stop().catch(() => undefined);
    for (const p of pages) await p.close();
    await browser?.close().catch(() => undefined);
    await server?.close();
    await rig.close();
  }
}
