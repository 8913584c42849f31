/**
 * The browser scenario: the presence publisher of the other scenarios, one driver-side dashboard on the
 * wire, and K Chromium pages following the same stream. Each update is timed from its scheduled send to
 * the moment a page applied it to its DOM (end to end) and to its arrival on the wire, on one clock. The
 * pages run in a worker thread of their own (fleet-host.ts), so the browser's traffic never delays the
 * driver's schedule.
 */
import { DASHBOARD_PATH } from '../../spec/schemas/agent-presence.ts';
import { BroadcastRig } from '../driver/broadcast-rig.ts';
import { latencyFigures } from '../measure/mergeable.ts';
import { finishScenario, phaseFigures } from '../phase-figures.ts';
import type { ScenarioResult } from '../report-types.ts';
import type { RunContext } from '../run-context.ts';
import type { Scenario } from '../scenarios/types.ts';
import { evaluateThresholds } from '../thresholds.ts';
import { VIEWPORTS } from './browser-pages.ts';
import { BROWSER_NICE } from './chromium.ts';
import { fleetFigures } from './fleet-figures.ts';
import { FleetHost } from './fleet-host.ts';
import type { PageTarget } from './page-fleet.ts';
import { startPageServer, type PageServer } from './page-server.ts';

const round1 = (x: number): number => Math.round(x * 10) / 10;

function pageTarget(ctx: RunContext, s: Scenario, server: PageServer | undefined, k: number): PageTarget {
  const node = ctx.target.nodes[0]!;
  const q = new URLSearchParams({
    token: ctx.target.agents[0]!.token,
    session_id: `hp-browser-${Math.floor(k / s.subscribersPerChannel)}`,
  });
  if (!server) return { url: `${node.http.replace(/\/+$/, '')}/dashboard?${q}`, label: `${node.http.replace(/\/+$/, '')}/dashboard` };
  return {
    url: server.pageUrl(`${node.ws.replace(/\/+$/, '')}${DASHBOARD_PATH}?${q}`),
    label: `hubproof measuring page → ${node.ws}${DASHBOARD_PATH}`,
  };
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
  let fleet: FleetHost | undefined;
  try {
    ctx.progress.note(
      `${s.name}: starting Chromium with ${count} page(s) (${kind === 'hub' ? "the target's /dashboard" : "hubproof's measuring page"})…`,
    );
    server = kind === 'hubproof' ? await startPageServer() : undefined;
    const ready = await rig.start();
    const targets = Array.from({ length: count }, (_, k) => pageTarget(ctx, s, server, k));
    fleet = await FleetHost.open({ targets, viewport: VIEWPORTS[kind], exclude: ctx.hubPid !== undefined ? [ctx.hubPid] : [] });
    const settled = await fleet.prepare();
    ctx.progress.note(`${s.name}: ${count} page(s) following the stream; browser settled after ${(settled.waitedMs / 1000).toFixed(1)} s`);
    await fleet.startDraining();
    const phase = await rig.phase(s.rate, s.warmupS, s.durationS);
    const record = await fleet.finish(
      { startUs: phase.startUs, measureFromUs: phase.measureFromUs, endUs: phase.endUs, ranges: phase.ranges },
      phase.sentInWindow,
    );
    ctx.progress.done();

    const { a, figures } = fleetFigures(record, phase, kind);
    // The browser runs below the hub and the driver (BROWSER_NICE): its CPU is not theirs to compete with,
    // so the machine-busy judgement counts the rest of the machine.
    const browserShare = figures.cpuPct === null ? 0 : figures.cpuPct / 100 / ctx.monitor.cores;
    phase.driverSeconds = phase.driverSeconds.map((d) => ({
      ...d,
      machineShare: d.machineShare === null ? null : Math.max(0, Math.round((d.machineShare - browserShare) * 1000) / 1000),
    }));
    const base = phaseFigures(ctx, s, phase, ready, count, startedAt);
    const closes = record.closes;
    const measured = {
      ...base,
      latency: latencyFigures(a.endToEnd),
      delivery: { ...base.delivery, ...a.delivery, disconnects: closes.length, closeReasons: closes.slice(0, 5) },
      throughput: { ...base.throughput, deliveredPerS: round1(a.delivery.received / phase.windowS) },
      timeline: phase.timeline.map((row, i) => ({ ...row, delivered: a.seconds[i]?.delivered ?? 0, p99Ms: a.seconds[i]?.p99Ms ?? 0 })),
      browser: { ...figures, wire: { latency: base.latency, delivery: phase.delivery } },
    };
    a.endToEnd.destroy();
    a.receive.destroy();
    const thresholds = evaluateThresholds(s.thresholds, measured).map((t) =>
      t.name === 'p99Ms'
        ? { ...t, label: 'p99 end to end (scheduled send → applied in the page DOM)' }
        : t.name === 'minReach'
          ? { ...t, label: 'reach at every page (applied ÷ expected)' }
          : t,
    );
    const notes = [
      `${count} Chromium page(s) (${kind === 'hub' ? "the target's /dashboard" : "hubproof's measuring page"}) over ${s.channels} dashboard session(s), ${s.publishers} agents; wire figures from one driver-side /ws/broadcasts subscriber`,
      'an update superseded by a newer one for the same agent within one frame counts as applied when that frame is (its counters are on screen)',
      `page clocks mapped to the driver's within ±${figures.clock.maxErrorMs} ms (moved ${figures.clock.driftMs} ms by the end)`,
      `Chromium ran at low priority (nice ${BROWSER_NICE} or lower), below the hub and the driver; the machine-busy figure leaves out its ${figures.cpuPct === null ? 'unmeasured' : `${Math.round(figures.cpuPct)}% of a core`}`,
    ];
    if (!settled.quiet)
      notes.push(
        `the browser was still busy (${settled.busyPct}% of a core) ${Math.round(settled.waitedMs / 1000)} s after its pages opened; the warm-up had to absorb the rest`,
      );
    if (!a.longTasks.supported) notes.push('this Chromium reports no long tasks: the long-task figures were not measured');
    return finishScenario(measured, notes, thresholds);
  } finally {
    await fleet?.close();
    await server?.close();
    await rig.close();
  }
}
