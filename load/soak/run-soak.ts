/**
 * The soak scenario (docs/soak.md): cycles on a fixed schedule with one sample each, then the return to
 * baseline and the reaping verdicts, growth fitted over the samples after the warm-up.
 */
import { randomBytes } from 'node:crypto';
import { fetchHubInfo } from '../../target/hub-info.ts';
import { judgeDriver, type DriverSecond } from '../driver/driver-monitor.ts';
import { createHistogram } from '../measure/histogram.ts';
import { latencyFigures } from '../measure/mergeable.ts';
import { scenarioStatus } from '../report-verdict.ts';
import type { ScenarioResult, TimelineRow } from '../report-types.ts';
import type { RunContext } from '../run-context.ts';
import type { Scenario } from '../scenarios/types.ts';
import { runCycle, type CycleTally, type LeaveHistory } from './cycle.ts';
import { HubApi } from './hub-api.ts';
import { awaitReturn, runChannels } from './leftovers.ts';
import { hubPids, ProcessWatch } from './process-watch.ts';
import { ReapWatch } from './reap-watch.ts';
import { SoakClient } from './soak-client.ts';
import { growthFits, soakNotes } from './soak-figures.ts';
import type { SoakBound, SoakFigures, SoakSample } from './soak-types.ts';
import { soakThresholds } from './soak-verdicts.ts';

/** Slack on the hub's own timers, as the conformance cases allow: 10 % plus 2 s. */
/** The window both idle CPU figures (before the run, once idle after it) are means over. */
const IDLE_CPU_WINDOW_MS = 2000;

export const slackS = (s: number): number => Math.round((s * 1.1 + 2) * 10) / 10;

/** The hub's reaping bound: activity_timeout + pong timeout, from /api/hub, the target's timings, or what it announced. */
export async function soakBound(ctx: RunContext, warn: (m: string) => void): Promise<SoakBound> {
  const info = await fetchHubInfo(ctx.target, warn);
  const probe = await SoakClient.open({ ws: ctx.target.nodes[0]!.ws, app: ctx.target.app });
  const announced = probe.activityTimeoutS;
  await probe.close();
  const t = ctx.target.timings;
  const activity = info?.timings.activity_timeout_s ?? t?.activity_timeout_s ?? announced ?? 120;
  const pong = info?.timings.pong_timeout_ms ?? t?.pong_timeout_ms ?? 30_000;
  const source = [
    `activity_timeout ${activity} s (${info ? 'GET /api/hub' : t?.activity_timeout_s !== undefined ? 'target timings' : announced !== undefined ? 'announced in pusher:connection_established' : 'default'})`,
    `pong timeout ${pong / 1000} s (${info ? 'GET /api/hub' : t?.pong_timeout_ms !== undefined ? 'target timings' : "Pusher's 30 s"})`,
  ].join(', ');
  const boundS = activity + pong / 1000;
  return { activityTimeoutS: activity, pongTimeoutMs: pong, source, boundS, deadlineS: slackS(boundS) };
}

export async function runSoak(ctx: RunContext, s: Scenario): Promise<ScenarioResult> {
  const startedAt = new Date().toISOString();
  const run = randomBytes(3).toString('hex');
  const api = new HubApi(ctx.target);
  const notes: string[] = [];
  const watched = hubPids(ctx.target);
  const pw = new ProcessWatch(watched.pids);
  // The baseline comes first, before hubproof has opened any connection to the hub.
  const baseline = await pw.settled();
  // Idle windows scale with the cycle (1–2 s at the default 2 s cycles; shorter in scaled-down tests).
  const idleMs = Math.min(2000, Math.max(500, s.cycleS * 1000));
  // Over the same 2 s as the idle figure after the run, which is judged against it.
  const baselineCpu = await pw.idleCpu(IDLE_CPU_WINDOW_MS);
  const bound = await soakBound(ctx, (m) => notes.push(m));
  const reap = new ReapWatch(api, `private-soak-${run}-reap-`, bound.deadlineS * 1000);
  const history: LeaveHistory = new Map();
  const latency = createHistogram();
  const tally: CycleTally = {
    expected: 0,
    received: 0,
    duplicated: 0,
    outOfOrder: 0,
    unexpected: 0,
    published: 0,
    publishErrors: [],
    connectErrors: [],
    disconnects: [],
  };
  const warmupS = Math.max(s.warmupS, bound.deadlineS);
  const cycles = Math.max(2, Math.ceil((warmupS + s.durationS) / s.cycleS));
  const events = Math.max(1, Math.round(s.rate * s.cycleS * 0.25));
  ctx.progress.note(
    `${s.name}: ${cycles} cycles of ${s.cycleS} s (${s.subscribersPerChannel} clients + 1 silent, ${events} events each), warm-up ${warmupS} s; bound ${bound.boundS} s (${bound.source})`,
  );

  const samples: SoakSample[] = [];
  const seconds: DriverSecond[] = [];
  const timeline: TimelineRow[] = [];
  ctx.monitor.sample();
  const t0 = performance.now();
  let counted = { sent: 0, delivered: 0 };
  const perSecond = setInterval(() => {
    const d = ctx.monitor.sample();
    seconds.push(d);
    const t = Math.round((performance.now() - t0) / 1000);
    // Deliveries are counted when a cycle ends, so a second's figure is what cycles finished in it.
    timeline.push({
      t,
      warmup: t < warmupS,
      sent: tally.published - counted.sent,
      delivered: tally.received - counted.delivered,
      p99Ms: 0,
      cpuPct: d.cpuPct,
      mainLoopP99Ms: d.mainLoopP99Ms,
      workerLoopP99Ms: 0,
      hubCpuPct: null,
      open: reap.awaiting,
    });
    counted = { sent: tally.published, delivered: tally.received };
  }, 1000);
  let lateCycles = 0;
  let maxLateMs = 0;
  try {
    for (let k = 0; k < cycles; k++) {
      const due = t0 + k * s.cycleS * 1000;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const lateMs = Math.max(0, performance.now() - due);
      if (lateMs > (s.cycleS * 1000) / 2) lateCycles++;
      maxLateMs = Math.max(maxLateMs, lateMs);
      const [nodes, channels] = [pw.sample(), await runChannels(api, run)];
      samples.push({
        cycle: k,
        t: round((performance.now() - t0) / 1000),
        lateMs: Math.round(lateMs),
        warmup: (due - t0) / 1000 < warmupS,
        nodes,
        occupied: channels ? channels.length : null,
        subscriptions: channels && api.subscriptionCount ? channels.reduce((a, c) => a + (c.subscriptions ?? 0), 0) : null,
        members: channels ? channels.reduce((a, c) => a + (c.users ?? 0), 0) : null,
        awaitingReap: reap.awaiting,
      });
      // About every 10 s: an hours-long soak should not print a line per cycle.
      if (k % Math.max(1, Math.round(10 / s.cycleS)) === 0 || k === cycles - 1) {
        const n = nodes[0];
        ctx.progress.note(
          `${s.name}: cycle ${k + 1}/${cycles}${samples.at(-1)!.warmup ? ' (warm-up)' : ''}${n?.rssMb != null ? `, hub RSS ${n.rssMb} MB, ${n.fds} descriptors` : ''}, ${channels?.length ?? '?'} channels occupied, ${reap.awaiting} connections awaiting reaping`,
        );
      }
      await runCycle(
        {
          k,
          run,
          target: ctx.target,
          api,
          reap,
          clients: s.subscribersPerChannel,
          events,
          publishMs: s.cycleS * 250,
          deliveryWaitMs: Math.max(1000, s.cycleS * 500),
          latency,
          history,
        },
        tally,
      );
    }
    // Return to baseline: everyone has left; the hub has its own bound to let go of what it still holds.
    const lastLeft = performance.now();
    ctx.progress.note(`${s.name}: load stopped; waiting up to ${bound.deadlineS} s for the hub to let go of what it holds…`);
    const back = await awaitReturn(api, run, history, lastLeft, lastLeft + bound.deadlineS * 1000 + 1500);
    await reap.drain();
    reap.stop();
    // hubproof's own keep-alive API connections are not the hub's to give back.
    api.close();
    await sleep(idleMs / 2);
    const end = await pw.settled();
    // Judged against a few % of a core, so measured over 2 s whatever the cycle: over 0.5 s (a scaled-down
    // test's cycle) one 30 ms collection after the load read 6 % and breached the 5 % bound.
    const idle = await pw.idleCpu(IDLE_CPU_WINDOW_MS);
    const runS = round((performance.now() - t0) / 1000);
    clearInterval(perSecond);

    const figures: SoakFigures = {
      cycleS: s.cycleS,
      cycles,
      lateCycles,
      maxLateMs: Math.round(maxLateMs),
      runS,
      warmup: {
        seconds: warmupS,
        samples: samples.filter((x) => x.warmup).length,
        why:
          warmupS > s.warmupS
            ? `the hub's reaping bound with slack (${bound.deadlineS} s): until it has passed once, connections abandoned earlier are rightly still held`
            : `warmupS ${s.warmupS} s (the reaping bound with slack is ${bound.deadlineS} s)`,
      },
      bound,
      pids: watched.pids,
      notMeasured: [
        ...watched.notes,
        ...(api.subscriptionCount ? [] : ['the hub refused info=subscription_count: subscriptions are not sampled']),
      ],
      samples,
      growth: growthFits(samples, watched.pids, s.cycleS, { rss: s.thresholds.rssReturnMb, fds: s.thresholds.fdsReturn }),
      return: {
        apiCleanAfterS: back.cleanAfterMs === null ? null : round(back.cleanAfterMs / 1000),
        leftovers: back.leftovers,
        nodes: watched.pids.map((p, i) => ({
          node: p.node,
          pid: p.pid,
          baselineRssMb: baseline[i]?.rssMb ?? null,
          endRssMb: end[i]?.rssMb ?? null,
          baselineFds: baseline[i]?.fds ?? null,
          endFds: end[i]?.fds ?? null,
          baselineCpuPct: baselineCpu[i] ?? null,
          idleCpuPct: idle[i] ?? null,
        })),
      },
      reaping: reap.figures(),
    };
    const expected = tally.expected;
    const delivery = {
      expected,
      received: tally.received,
      lost: expected - tally.received,
      duplicated: tally.duplicated,
      outOfOrder: tally.outOfOrder,
      reach: expected > 0 ? tally.received / expected : 1,
      publishErrors: tally.publishErrors.length,
      publishErrorSamples: tally.publishErrors.slice(0, 5),
      connectFailures: tally.connectErrors.length,
      connectErrorSamples: tally.connectErrors.slice(0, 5),
      unexpected: tally.unexpected,
      disconnects: tally.disconnects.length,
      closeReasons: tally.disconnects.slice(0, 5),
    };
    // The soak times nothing finer than a tenth of a cycle (reaping bounds are seconds): a publish a few ms
    // late, or loop lag under that, changes no verdict; nor does a busy machine, which is said, not judged.
    const limits = {
      ...ctx.driverLimits,
      maxLoopLagMs: Math.max(ctx.driverLimits.maxLoopLagMs, s.cycleS * 100),
      maxMachineShare: Infinity,
    };
    const driver = judgeDriver(seconds, 0, ctx.monitor.cores, ctx.hubMode === 'in-process', limits, true, false);
    if (driver.machineShare !== null && driver.machineShare > ctx.driverLimits.maxMachineShare)
      notes.push(`the machine was ${Math.round(driver.machineShare * 100)} % busy: the hub and hubproof shared what was left of its cores`);
    const thresholds = soakThresholds(s.thresholds, figures, delivery);
    const hubCpu = samples.flatMap((x) => x.nodes.filter((n) => n.node === 1 && n.cpuPct !== null).map((n) => n.cpuPct!));
    notes.push(...soakNotes(figures, ctx.hubMode));
    if (driver.saturated) notes.push(`figures invalid, the load generator saturated: ${driver.reasons.join('; ')}`);
    if (driver.stalls) notes.push(driver.stalls);
    const windowS = round(runS);
    return {
      name: s.name,
      kind: s.kind,
      description: s.description,
      scenario: s,
      status: scenarioStatus(driver.saturated, thresholds),
      startedAt,
      windowS,
      subscribers: cycles * s.subscribersPerChannel,
      latency: latencyFigures(latency),
      delivery,
      throughput: {
        targetRate: s.rate,
        sent: tally.published,
        sentPerS: round(tally.published / windowS),
        deliveredPerS: round(tally.received / windowS),
        maxInFlight: 0,
      },
      timeline,
      driver,
      ...(watched.pids[0] && hubCpu.length
        ? { hub: { pid: watched.pids[0].pid, cpuPct: round(hubCpu.reduce((a, b) => a + b, 0) / hubCpu.length) } }
        : {}),
      soak: figures,
      thresholds,
      notes,
    };
  } finally {
    clearInterval(perSecond);
    reap.stop();
    api.close();
    latency.destroy();
  }
}

const round = (x: number): number => Math.round(x * 10) / 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
