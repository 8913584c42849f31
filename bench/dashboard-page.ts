/**
 * The dashboard page benchmark: is the reference hub's /dashboard responsive on a wall screen at 1000
 * presence updates/s over 200 agents? A synthetic stream (bench/dashboard-stream.ts) feeds, in one run,
 * the /dashboard page (1920×1080) and then hubproof's minimal measuring page (1024×768) as the baseline.
 * Per page: long tasks (main-thread work over 50 ms) in the steady state after the warm-up, frames/s,
 * end-to-end latency (scheduled send → applied in the DOM), browser CPU; and dashboard ÷ baseline.
 * A benchmark, not a test: it prints figures and writes JSON; the verdict line says whether the
 * dashboard had no long task in the steady state.
 *
 *   npx tsx bench/dashboard-page.ts [--rate 1000] [--agents 200] [--sessions 8] [--duration 10] [--warmup 3] [--viewport 1920x1080] [--json FILE]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { numberOption } from '../cli/number-option.ts';
import { VIEWPORTS } from '../load/browser/browser-pages.ts';
import type { BrowserFigures } from '../load/browser/browser-figures.ts';
import { fleetFigures } from '../load/browser/fleet-figures.ts';
import { FleetHost } from '../load/browser/fleet-host.ts';
import { startPageServer } from '../load/browser/page-server.ts';
import type { PhaseWindow } from '../load/browser/page-samples.ts';
import { DriverMonitor } from '../load/driver/driver-monitor.ts';
import { OpenSchedule, runSchedule } from '../load/driver/schedule.ts';
import { nowUs } from '../load/measure/clock.ts';
import { summarize, type LatencySummary } from '../load/measure/histogram.ts';
import { DashboardStream } from './dashboard-stream.ts';

const { values } = parseArgs({
  options: {
    rate: { type: 'string' },
    agents: { type: 'string' },
    sessions: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    viewport: { type: 'string' },
    json: { type: 'string' },
  },
});
const rate = numberOption('rate', values.rate) ?? 1000;
const agents = numberOption('agents', values.agents, { integer: true }) ?? 200;
const sessions = numberOption('sessions', values.sessions, { integer: true }) ?? 8;
const durationS = numberOption('duration', values.duration) ?? 10;
const warmupS = numberOption('warmup', values.warmup, { min: 0 }) ?? 3;
const viewport = /^(\d+)x(\d+)$/.exec(values.viewport ?? '');
if (values.viewport !== undefined && !viewport) throw new Error(`--viewport must look like 1920x1080, got "${values.viewport}"`);
/** The dashboard's viewport: a wall screen unless told otherwise. */
const wall = viewport ? { width: Number(viewport[1]), height: Number(viewport[2]) } : VIEWPORTS.hub;
const out = values.json ?? join(import.meta.dirname, '..', 'reports', 'out', 'dashboard-bench.json');

interface PageRun {
  page: string;
  viewport: string;
  endToEnd: LatencySummary;
  reach: number;
  longTasks: BrowserFigures['longTasks'];
  framesPerS: number;
  browserCpuPct: number | null;
  /** This process (the stream) and the whole machine over the window. */
  streamCpuPct: number;
  machineShare: number | null;
  sendLagP99Ms: number;
}

async function measure(stream: DashboardStream, label: string, url: string, kind: 'hub' | 'hubproof'): Promise<PageRun> {
  const size = kind === 'hub' ? wall : VIEWPORTS.hubproof;
  const fleet = await FleetHost.open({ targets: [{ url, label }], viewport: size, exclude: [] });
  const monitor = new DriverMonitor();
  try {
    await fleet.prepare();
    await fleet.startDraining();
    monitor.start();
    const startUs = nowUs() + 100_000;
    const w: PhaseWindow = { startUs, measureFromUs: startUs + warmupS * 1e6, endUs: startUs + (warmupS + durationS) * 1e6, ranges: {} };
    const first = new Map<number, number>();
    let sent = 0;
    // Machine and stream CPU over the window only: sampled at its start and its end.
    const windowStart = setTimeout(() => monitor.sample(), (w.measureFromUs - nowUs()) / 1000);
    const run = await runSchedule(
      new OpenSchedule(startUs, rate, w.endUs),
      (i, at) => {
        const { stream: agent, seq } = stream.send(i, at);
        if (at < w.measureFromUs) return;
        if (!first.has(agent)) first.set(agent, seq);
        w.ranges[agent] = [first.get(agent)!, seq];
        sent++;
      },
      w.measureFromUs,
    );
    clearTimeout(windowStart);
    const cpu = monitor.sample();
    monitor.stop();
    const { a, figures } = fleetFigures(await fleet.finish(w, sent), w, kind);
    const result: PageRun = {
      page: label,
      viewport: `${size.width}×${size.height}`,
      endToEnd: summarize(a.endToEnd),
      reach: a.delivery.reach,
      longTasks: figures.longTasks,
      framesPerS: figures.framesPerS,
      browserCpuPct: figures.cpuPct,
      streamCpuPct: cpu.cpuPct,
      machineShare: cpu.machineShare,
      sendLagP99Ms: run.sendLag.totalCount ? run.sendLag.getValueAtPercentile(99) / 1000 : 0,
    };
    a.endToEnd.destroy();
    a.receive.destroy();
    return result;
  } finally {
    await fleet.close();
  }
}

const stream = new DashboardStream({ agents, sessions });
await stream.start();
const pageServer = await startPageServer();
process.stderr.write(
  `dashboard page benchmark: ${rate} updates/s over ${agents} agents in ${sessions} sessions, ${warmupS} s warm-up + ${durationS} s measured per page\n`,
);
const runs: PageRun[] = [];
try {
  runs.push(await measure(stream, '/dashboard', `${stream.url}/dashboard?token=bench&session_id=wall`, 'hub'));
  runs.push(await measure(stream, 'hubproof measuring page (baseline)', pageServer.pageUrl(stream.wsUrl), 'hubproof'));
} finally {
  await pageServer.close();
  await stream.close();
}

const ms = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const pct = (x: number | null): string => (x === null ? 'n/a' : `${Math.round(x)}%`);
const rows = [
  ['page', 'viewport', 'e2e p50', 'p99', 'max ms', 'reach', 'long tasks', 'longest', 'frames/s', 'browser CPU', 'machine'],
  ...runs.map((r) => [
    r.page,
    r.viewport,
    ms(r.endToEnd.p50),
    ms(r.endToEnd.p99),
    ms(r.endToEnd.max),
    r.reach === 1 ? '1' : r.reach.toFixed(4),
    String(r.longTasks.inWindow),
    r.longTasks.inWindow ? `${r.longTasks.maxMs} ms` : '-',
    String(r.framesPerS),
    pct(r.browserCpuPct),
    pct(r.machineShare === null ? null : r.machineShare * 100),
  ]),
];
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const r of rows) process.stdout.write(`${r.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}\n`);
const [dash, base] = runs as [PageRun, PageRun];
const ratio = (x: number | null, y: number | null): string => (x !== null && y !== null && y > 0 ? (x / y).toFixed(2) : 'n/a');
process.stdout.write(
  `dashboard ÷ baseline: browser CPU ${ratio(dash.browserCpuPct, base.browserCpuPct)}, e2e p99 ${ratio(dash.endToEnd.p99, base.endToEnd.p99)}\n`,
);
const busy = runs.filter((r) => (r.machineShare ?? 0) > 0.95 || r.sendLagP99Ms > 20);
if (busy.length)
  process.stdout.write(
    `note: machine over 95% busy or the stream fell behind (send lag p99 ${busy.map((r) => `${ms(r.sendLagP99Ms)} ms`).join(', ')}): figures include other work on this machine\n`,
  );
const responsive = dash.longTasks.supported && dash.longTasks.inWindow === 0 && dash.reach === 1;
process.stdout.write(
  `${responsive ? 'RESPONSIVE' : 'NOT RESPONSIVE'}: /dashboard had ${dash.longTasks.inWindow} long task(s) over 50 ms in ${durationS} s of steady state at ${rate} updates/s × ${agents} agents\n`,
);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify({ tool: 'hubproof', kind: 'dashboard-bench', generatedAt: new Date().toISOString(), rate, agents, sessions, warmupS, durationS, runs }, null, 2)}\n`,
);
process.stdout.write(`JSON: ${out}\n`);
