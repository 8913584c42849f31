/**
 * The storm scenario (docs/storm.md): a fleet of real pusher-js clients holds public, private and presence
 * subscriptions while a publisher publishes at a steady rate; the hub is restarted with downtime; the run
 * measures how the fleet comes back (reconnects per second, time until every subscription is restored,
 * how spread out the reconnects were) and what was lost or duplicated across the restart.
 */
import { randomBytes } from 'node:crypto';
import { HubproofError } from '../../spec/errors.ts';
import { judgeDriver, type DriverSecond } from '../driver/driver-monitor.ts';
import { createHistogram } from '../measure/histogram.ts';
import { latencyFigures } from '../measure/mergeable.ts';
import { scenarioStatus } from '../report-verdict.ts';
import type { ScenarioResult, TimelineRow } from '../report-types.ts';
import type { RunContext } from '../run-context.ts';
import type { Scenario } from '../scenarios/types.ts';
import { accountStorm } from './storm-accounting.ts';
import { channelsOf, pusherJsVersion, StormFleet, type FleetPatch } from './storm-fleet.ts';
import { StormPublisher } from './storm-publisher.ts';
import type { StormRestart } from './storm-restart.ts';
import { stormNotes, stormThresholds } from './storm-verdicts.ts';
import type { StormFigures } from './storm-types.ts';

/** How long the fleet may take to subscribe before the restart, and the drain after the last publish. */
const SUBSCRIBE_TIMEOUT_MS = 30_000;
const DRAIN_MS = 2000;

export async function runStorm(ctx: RunContext, s: Scenario, restart: StormRestart, patch?: FleetPatch): Promise<ScenarioResult> {
  const startedAt = new Date().toISOString();
  const run = randomBytes(3).toString('hex');
  const groups = Math.max(1, Math.round(s.channels));
  const clients = groups * Math.max(1, Math.round(s.subscribersPerChannel));
  const fleet = new StormFleet({ target: ctx.target, clients, groups, run, ...(patch ? { patch } : {}) });
  const seconds: DriverSecond[] = [];
  ctx.progress.note(`${s.name}: ${clients} pusher-js ${pusherJsVersion()} clients, ${clients * 3} subscriptions over ${groups} groups`);
  try {
    const subscribed = await fleet.open(SUBSCRIBE_TIMEOUT_MS);
    if (subscribed < clients * 3)
      throw new HubproofError(
        'HUBPROOF_ERR_TARGET_UNREACHABLE',
        `only ${subscribed} of ${clients * 3} subscriptions were confirmed within ${SUBSCRIBE_TIMEOUT_MS / 1000} s, before any restart`,
      );
    const publisher = new StormPublisher(ctx.target, Array.from({ length: groups }, (_, g) => channelsOf(run, g)).flat(), s.rate);
    ctx.monitor.sample();
    const perSecond = setInterval(() => seconds.push(ctx.monitor.sample()), 1000);
    const t0 = performance.now();
    publisher.start();
    try {
      await sleep(s.warmupS * 1000);
      ctx.progress.note(`${s.name}: restarting: ${restart.how}`);
      const downAt = performance.now();
      await restart.run();
      const backAt = performance.now();
      ctx.progress.note(
        `${s.name}: hub answering again after ${((backAt - downAt) / 1000).toFixed(1)} s; waiting up to ${s.recoverS} s for the fleet`,
      );
      const deadline = backAt + s.recoverS * 1000;
      let lastNote = backAt;
      for (;;) {
        const restored = restoredSubscriptions(fleet, downAt);
        if (restored === clients * 3 || performance.now() > deadline) break;
        if (performance.now() - lastNote >= 5000) {
          lastNote = performance.now();
          ctx.progress.note(
            `${s.name}: ${restored} of ${clients * 3} subscriptions restored, ${((lastNote - backAt) / 1000).toFixed(0)} s after the hub came back`,
          );
        }
        await sleep(50);
      }
      // Publishing goes on after the fleet is back: every accepted event must now reach every subscription.
      await sleep(s.durationS * 1000);
      await publisher.stop();
      await sleep(DRAIN_MS);
      const endAt = performance.now();
      clearInterval(perSecond);
      const views = fleet.presenceViews();
      const accounted = accountStorm(fleet.records, publisher.records, { t0, downAt, backAt, endAt }, views);
      const figures: StormFigures = {
        ...accounted,
        client: { library: 'pusher-js', version: pusherJsVersion() },
        groups,
        restart: { how: restart.how, outageAskedS: restart.outageAskedS, ...accounted.restart },
      };
      return result(ctx, s, figures, seconds, startedAt, latencyOf(fleet, publisher), openPerSecond(fleet, t0, figures.timeline.length));
    } finally {
      clearInterval(perSecond);
      await publisher.stop();
    }
  } finally {
    fleet.close();
  }
}

function restoredSubscriptions(fleet: StormFleet, downAt: number): number {
  let n = 0;
  for (const r of fleet.records) {
    const lost = r.left.filter((t) => t >= downAt).at(-1);
    if (lost === undefined) continue;
    for (const times of r.subscribed.values()) if (times.some((t) => t > lost)) n++;
  }
  return n;
}

/** Clients connected at the end of each second of the timeline. */
function openPerSecond(fleet: StormFleet, t0: number, seconds: number): number[] {
  return Array.from({ length: seconds }, (_, i) => {
    const at = t0 + (i + 1) * 1000;
    return fleet.records.filter((r) => (r.connected.filter((t) => t <= at).at(-1) ?? -1) > (r.left.filter((t) => t <= at).at(-1) ?? -1))
      .length;
  });
}

/** Publish sent → first arrival, at every subscription that got it. */
function latencyOf(fleet: StormFleet, publisher: StormPublisher) {
  const h = createHistogram();
  for (const r of fleet.records)
    for (const m of r.arrivals.values())
      for (const [n, times] of m) {
        const p = publisher.records[n];
        if (p) h.recordValue(Math.max(1, Math.round((times[0]! - p.sentAt) * 1000)));
      }
  return latencyFigures(h);
}

function result(
  ctx: RunContext,
  s: Scenario,
  f: StormFigures,
  seconds: DriverSecond[],
  startedAt: string,
  latency: ReturnType<typeof latencyFigures>,
  open: number[],
): ScenarioResult {
  // The storm times seconds (restores) and counts; a brief stall while the herd lands in this very process
  // blurs the spread by its length, which the notes say, but is no reason to throw the figures away. A
  // busy machine (a new hub process starting, the herd) is said, not judged, as in the soak.
  const limits = { ...ctx.driverLimits, maxLoopLagMs: Math.max(ctx.driverLimits.maxLoopLagMs, 100), maxMachineShare: Infinity };
  const driver = judgeDriver(seconds, 0, ctx.monitor.cores, ctx.hubMode === 'in-process', limits, true, false);
  const e = f.events;
  const delivery = {
    expected: e.expected,
    received: e.received,
    lost: e.lost,
    duplicated: e.duplicated,
    outOfOrder: 0,
    reach: e.expected > 0 ? e.received / e.expected : 1,
    publishErrors: e.refusedOutside,
    publishErrorSamples: e.refusedOutside ? [`${e.refusedOutside} publishes refused or unanswered outside the outage`] : [],
    connectFailures: 0,
    connectErrorSamples: [],
    unexpected: 0,
    disconnects: f.noticed.count,
    closeReasons: [],
  };
  const thresholds = stormThresholds(s.thresholds, f, delivery);
  const notes = stormNotes(f);
  if (driver.machineShare !== null && driver.machineShare > ctx.driverLimits.maxMachineShare)
    notes.push(
      `the machine was ${Math.round(driver.machineShare * 100)} % busy: the hub, its restart and hubproof shared what was left of its cores`,
    );
  const worstLag = Math.max(0, ...seconds.map((x) => x.mainLoopP99Ms));
  if (worstLag > 100)
    notes.push(
      `hubproof's event loop stalled up to ${Math.round(worstLag)} ms while the herd landed in its own process: reconnect and restore times, and the spread, are known to within that`,
    );
  if (driver.saturated) notes.push(`figures invalid, the load generator saturated: ${driver.reasons.join('; ')}`);
  if (driver.stalls) notes.push(driver.stalls);
  const windowS = f.timeline.length;
  const timeline: TimelineRow[] = f.timeline.map((x, i) => ({
    t: x.t,
    warmup: false,
    sent: x.published,
    delivered: x.delivered,
    p99Ms: 0,
    cpuPct: seconds[i]?.cpuPct ?? 0,
    mainLoopP99Ms: seconds[i]?.mainLoopP99Ms ?? 0,
    workerLoopP99Ms: 0,
    hubCpuPct: null,
    open: open[i] ?? 0,
  }));
  return {
    name: s.name,
    kind: s.kind,
    description: s.description,
    scenario: s,
    status: scenarioStatus(driver.saturated, thresholds),
    startedAt,
    windowS,
    subscribers: f.subscriptions,
    latency,
    delivery,
    throughput: {
      targetRate: s.rate,
      sent: e.published,
      sentPerS: round(e.published / windowS),
      deliveredPerS: round(e.received / windowS),
      maxInFlight: 0,
    },
    timeline,
    driver,
    storm: f,
    thresholds,
    notes,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (x: number) => Math.round(x * 10) / 10;
