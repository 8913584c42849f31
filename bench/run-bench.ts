/**
 * `hubproof bench`: the reference hub (1 node, and 2 nodes on one Redis) and the bare ws broadcast server measured in the same run, each in
 * its own process, by the same driver: deliveries/s and propagation at a fixed load, the highest rate held
 * at p99 < 50 ms (step search), RSS per 1000 idle subscribed connections, and hub ÷ bare ratios.
 * `--driver` instead measures the driver's own ceiling against the bare server.
 */
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runLoad } from '../load/run-load.ts';
import { silentProgress, type Progress } from '../load/progress.ts';
import type { CapacitySpread, CapacityStep, LoadReport, ScenarioResult } from '../load/report-types.ts';
import { roundRatios, runSideBySide, type CapacityComparison } from '../load/capacity/side-by-side.ts';
import { startEmbeddedTarget } from '../cli/embedded-target.ts';
import { spawnTargetProcess, type SpawnedTarget } from '../cli/hub-process.ts';
import { placeApart, type Placement } from './placement.ts';

export interface BenchOptions {
  /** Fixed-load rate, events/s (default 1000). */
  rate?: number;
  /** Subscribers of the one channel at the fixed load (default 100). */
  subscribers?: number;
  /** Measured seconds of the fixed load (default 5). */
  durationS?: number;
  /** Idle connections for the RSS figure (default 1000). */
  connections?: number;
  /** Seconds per capacity step (default 3). */
  stepS?: number;
  /** Capacity searches per server, interleaved across the servers round by round (default 3). */
  repeat?: number;
  progress?: Progress | false;
}

export interface ServerFigures {
  name: string;
  fixed: {
    rate: number;
    subscribers: number;
    deliveredPerS: number;
    p50Ms: number;
    p99Ms: number;
    p999Ms: number;
    reach: number;
    status: string;
    driverCpuShare: number;
    driverLagMs: number;
    serverCpuPct: number | null;
    machineShare: number | null;
  };
  /** The median search of `repeat` (its steps and why it stopped), with every search's figure and the range. */
  capacity: {
    lastGoodRate: number | null;
    stoppedBecause: string;
    steps: CapacityStep[];
    spread: CapacitySpread | null;
    lowerBound: boolean;
  };
  memory: { connections: number; baselineMb: number; finalMb: number; mbPer1000: number } | null;
}

export interface BenchReport {
  tool: 'hubproof';
  kind: 'bench';
  generatedAt: string;
  machine: { cores: number; cpu: string; node: string };
  servers: ServerFigures[];
  /** reference hub ÷ bare server, per figure (capacity: the median of the rounds' ratios). */
  ratios: Record<string, number | null>;
  /** Capacity searches per server, and the order the servers ran in, per round. */
  capacityRounds: { repeat: number; order: string[][]; hubToBare: ReturnType<typeof roundRatios> };
  /**
   * The reference hub as 2 nodes on one Redis (subscribers spread over both, events published through
   * node 1) against the same hub as 1 node: what the Redis hop costs.
   */
  cluster: {
    capacityRatio: number | null;
    /** At the fixed load (100,000 deliveries/s: past both on a 2-core machine, so a queueing figure). */
    p50ExtraMs: number | null;
    p99ExtraMs: number | null;
    /** At the capacity search's first step, a rate both run (10 channels × 10 subscribers): the hop at a load one node holds. */
    firstStep: { rate: number; p99Ms1: number; p99Ms2: number; p99ExtraMs: number } | null;
  };
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The bare server in its own process, so its RSS and CPU are its own. */
export function startBareChild(extra: string[] = []): Promise<SpawnedTarget> {
  return spawnTargetProcess('hubproof-bare-', () => [
    '--import',
    import.meta.resolve('tsx'),
    join(ROOT, 'bench', 'bare-ws-server.ts'),
    '--port',
    '0',
    ...extra,
  ]);
}

/** The capacity search's settings in the bench: 10 channels × 10 subscribers, ×1.5 from 500/s. */
const capacitySet = (stepS: number): string[] => [
  'channels=10',
  'subscribersPerChannel=10',
  'stepStartRate=500',
  'stepFactor=1.5',
  `stepS=${stepS}`,
  'warmupS=1',
  'maxRate=40000',
];

/** Memory and the fixed load of one server (capacity is measured for all servers at once, interleaved). */
async function measure(
  name: string,
  server: SpawnedTarget,
  o: Required<Omit<BenchOptions, 'progress'>>,
  progress: Progress | false,
  memory = true,
): Promise<ServerFigures> {
  const common = { target: server.target, progress };
  // Memory first: a fresh process, not one whose heap the load phases already grew.
  const mem = !memory
    ? undefined
    : await runLoad({
        ...common,
        scenarios: 'connections',
        overrides: {
          durationS: 2,
          set: ['transport=pusher', `channels=${Math.ceil(o.connections / 10)}`, 'subscribersPerChannel=10', 'rate=5', 'warmupS=0.5'],
        },
      });
  const fixed = await runLoad({
    ...common,
    scenarios: 'fanout',
    overrides: { rate: o.rate, durationS: o.durationS, set: ['channels=1', `subscribersPerChannel=${o.subscribers}`, 'warmupS=2'] },
  });
  const f = one(fixed);
  const m = mem && one(mem)?.memory;
  return {
    name,
    fixed: {
      rate: o.rate,
      subscribers: o.subscribers,
      deliveredPerS: f?.throughput.deliveredPerS ?? 0,
      p50Ms: f?.latency.p50 ?? 0,
      p99Ms: f?.latency.p99 ?? 0,
      p999Ms: f?.latency.p999 ?? 0,
      reach: f?.delivery.reach ?? 0,
      status: f?.status ?? `error: ${fixed.errors[0]?.message ?? 'not run'}`,
      driverCpuShare: f?.driver.cpuShare ?? 0,
      driverLagMs: f ? Math.max(f.driver.mainLoopLagP99Ms, f.driver.workerLoopLagP99Ms) : 0,
      serverCpuPct: f?.hub?.cpuPct ?? null,
      machineShare: f?.driver.machineShare ?? null,
    },
    capacity: { lastGoodRate: null, stoppedBecause: 'not run', steps: [], spread: null, lowerBound: false },
    memory: m ? { connections: m.connections, baselineMb: m.baselineMb, finalMb: m.finalMb, mbPer1000: m.mbPer1000 } : null,
  };
}

function firstStep(one: ServerFigures, two: ServerFigures): BenchReport['cluster']['firstStep'] {
  const [a, b] = [one.capacity.steps[0], two.capacity.steps[0]];
  if (!a || !b || a.rate !== b.rate) return null;
  return { rate: a.rate, p99Ms1: a.p99Ms, p99Ms2: b.p99Ms, p99ExtraMs: Math.round((b.p99Ms - a.p99Ms) * 100) / 100 };
}

const one = (r: LoadReport): ScenarioResult | undefined => r.scenarios[0];
const ratio = (a: number | null | undefined, b: number | null | undefined): number | null =>
  a == null || b == null || b === 0 ? null : Math.round((a / b) * 100) / 100;

export async function runBench(options: BenchOptions = {}): Promise<BenchReport> {
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as BenchOptions;
  const o = { rate: 1000, subscribers: 100, durationS: 5, connections: 1000, stepS: 3, repeat: 3, ...given };
  const progress = options.progress ?? false;
  const servers: ServerFigures[] = [];
  const hubOf = (cluster?: number) => async () => {
    const hub = await startEmbeddedTarget({ timers: 'default', mode: 'child', ...(cluster ? { cluster } : {}) });
    return { target: hub.target, pid: hub.pid, close: () => hub.dispose() };
  };
  // The cluster's RSS is not one process's (the driver samples node 1 only): no memory figure for it.
  // The bare server coalesces each socket's writes per loop turn, as the reference hub does.
  const started: SpawnedTarget[] = [];
  let comparison: CapacityComparison;
  try {
    for (const [name, start, memory] of [
      ['reference-hub', hubOf(), true],
      ['bare-ws', () => startBareChild(['--coalesce']), true],
      ['hub-2-nodes', hubOf(2), false],
    ] as const) {
      if (progress) progress.note(`bench: ${name}: ${memory ? 'memory, then ' : ''}${o.rate}/s × ${o.subscribers} subscribers`);
      const server = await start();
      started.push(server);
      servers.push(await measure(name, server, o, progress, memory));
    }
    // Capacity: every server's searches interleaved round by round (order alternating), so the ratios come
    // from one session of a noisy machine; each figure is the median of `repeat` searches, with its range.
    comparison = await runSideBySide({
      targets: started.map((x, i) => ({ ...x.target, name: servers[i]!.name })),
      rounds: o.repeat,
      overrides: { set: capacitySet(o.stepS) },
      progress: progress === false ? silentProgress : progress,
    });
  } finally {
    for (const server of started) await server.close();
  }
  comparison.hubs.forEach((h, i) => {
    const c = h.report.scenarios[0]?.capacity;
    servers[i]!.capacity = {
      lastGoodRate: c?.spread?.median ?? c?.lastGoodRate ?? null,
      stoppedBecause: c?.stoppedBecause ?? h.report.errors[0]?.message ?? 'not run',
      steps: c?.steps ?? [],
      spread: c?.spread ?? null,
      lowerBound: c?.lowerBound ?? false,
    };
  });
  const [hub, bare, cluster] = servers as [ServerFigures, ServerFigures, ServerFigures];
  const figures = (s: ServerFigures) => s.capacity.spread?.figures ?? [s.capacity.lastGoodRate];
  const hubToBare = roundRatios(figures(hub), figures(bare));
  const extra = (a: number, b: number) => (a > 0 && b > 0 ? Math.round((a - b) * 100) / 100 : null);
  return {
    tool: 'hubproof',
    kind: 'bench',
    generatedAt: new Date().toISOString(),
    machine: { cores: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown', node: process.version },
    servers,
    ratios: {
      deliveredPerS: ratio(hub.fixed.deliveredPerS, bare.fixed.deliveredPerS),
      p50Ms: ratio(hub.fixed.p50Ms, bare.fixed.p50Ms),
      p99Ms: ratio(hub.fixed.p99Ms, bare.fixed.p99Ms),
      capacity: hubToBare.median,
      mbPer1000: ratio(hub.memory?.mbPer1000, bare.memory?.mbPer1000),
    },
    capacityRounds: { repeat: o.repeat, order: comparison.order, hubToBare },
    cluster: {
      capacityRatio: roundRatios(figures(cluster), figures(hub)).median,
      p50ExtraMs: extra(cluster.fixed.p50Ms, hub.fixed.p50Ms),
      p99ExtraMs: extra(cluster.fixed.p99Ms, hub.fixed.p99Ms),
      firstStep: firstStep(hub, cluster),
    },
  };
}

export interface DriverCeiling {
  tool: 'hubproof';
  kind: 'driver-ceiling';
  generatedAt: string;
  machine: BenchReport['machine'];
  /** Where the bare server and the driver ran (pinned apart with taskset where possible). */
  placement: Placement;
  /** The bare server coalesces each socket's writes per event-loop turn (bare-ws-server.ts `coalesce`). */
  serverCoalesces: boolean;
  subscribers: number;
  /** Highest step the driver held unsaturated with reach 1. */
  ceiling: {
    rate: number;
    deliveredPerS: number;
    p99Ms: number;
    driverCpuShare: number;
    /** Driver CPU per 1000 deliveries at this step, ms (all threads, user + kernel). */
    driverCpuMsPer1000: number;
    driverLagMs: number;
    serverCpuPct: number | null;
  } | null;
  /** Who ended the search: the driver saturated, the bare server ran out of its core, or neither visibly (machine contention). */
  limitedBy: 'driver' | 'machine' | 'server' | 'unclear' | 'max-rate';
  stoppedBecause: string;
  steps: NonNullable<ScenarioResult['capacity']>['steps'];
  /** The driver's cost at a fixed 100,000 deliveries/s (1000 events/s × 100 subscribers of one channel). */
  fixed: {
    rate: number;
    subscribers: number;
    deliveredPerS: number;
    reach: number;
    p99Ms: number;
    /** process.cpuUsage() of the driver (every thread), cores, over the measured window. */
    driverCores: number;
    /** Its user-space and kernel parts, cores. */
    driverUserCores: number | null;
    driverKernelCores: number | null;
    /** Driver CPU per 1000 deliveries, ms. */
    driverCpuMsPer1000: number;
    driverLagMs: number;
    serverCpuPct: number | null;
    status: string;
  } | null;
  /** The ceiling step's CPU per 1000 deliveries ÷ the fixed step's: below 1, deliveries get cheaper as reads carry several frames. */
  costRatio: number | null;
}

/** Driver CPU per 1000 deliveries, ms, from a step's CPU share of `cores` cores. */
const msPer1000 = (cpuShare: number, cores: number, deliveredPerS: number): number =>
  deliveredPerS > 0 ? Math.round(((cpuShare * cores * 1e6) / deliveredPerS) * 1000) / 1000 : 0;

/**
 * The driver's own ceiling: fanout to `subscribers` sockets of one channel on the bare server, the rate
 * stepped up until the driver saturates or events go missing. The bare server runs in its own process and
 * coalesces each socket's writes per loop turn, so its one thread is not what the search measures first;
 * `pin` puts it on a core of its own and the driver on the others (taskset). Latency is not the criterion (the p99 limit is lifted to
 * 2.5 s); the server's own CPU per step says whether it, rather than the driver, was the limit.
 */
export async function runDriverCeiling(
  o: { subscribers?: number; stepS?: number; startRate?: number; pin?: boolean; progress?: Progress | false } = {},
): Promise<DriverCeiling> {
  const subscribers = o.subscribers ?? 500;
  const server = await startBareChild(['--coalesce']);
  const cores = availableParallelism();
  const { placement, undo } =
    o.pin === true
      ? placeApart(server.pid)
      : { placement: { mode: 'shared' as const, serverCores: null, driverCores: null }, undo: () => {} };
  const driverCores = placement.driverCores?.length ?? cores;
  try {
    // The fixed load first, on a fresh server: 100,000 deliveries/s, the driver's CPU in cores.
    const fixedRun = await runLoad({
      target: server.target,
      progress: o.progress ?? false,
      scenarios: 'fanout',
      overrides: { rate: 1000, durationS: 5, set: ['channels=1', 'subscribersPerChannel=100', 'warmupS=2', 'thresholds.p99Ms=2500'] },
    });
    const f = fixedRun.scenarios[0];
    const r = await runLoad({
      target: server.target,
      progress: o.progress ?? false,
      scenarios: 'capacity',
      overrides: {
        set: [
          'channels=1',
          `subscribersPerChannel=${subscribers}`,
          `stepStartRate=${o.startRate ?? 100}`,
          'stepFactor=1.25',
          `stepS=${o.stepS ?? 3}`,
          'warmupS=1',
          'maxRate=20000',
          'thresholds.p99Ms=2500',
          'payloadBytes=32',
        ],
      },
    });
    const c = r.scenarios[0]?.capacity;
    const steps = c?.steps ?? [];
    // The figure's last run that held, and the last run of the lowest rate that failed twice.
    const best = steps.filter((s) => s.ok && s.rate === c?.lastGoodRate).at(-1);
    const failed = c?.firstBadRate == null ? undefined : steps.filter((s) => s.rate === c.firstBadRate).at(-1);
    const machineBusy = /machine CPU/.test(c?.stoppedBecause ?? '');
    const limitedBy = !failed
      ? 'max-rate'
      : machineBusy
        ? 'machine'
        : failed.driverSaturated
          ? 'driver'
          : (failed.hubCpuPct ?? 0) >= 85
            ? 'server'
            : 'unclear';
    const fixed = f
      ? {
          rate: 1000,
          subscribers: 100,
          deliveredPerS: f.throughput.deliveredPerS,
          reach: f.delivery.reach,
          p99Ms: f.latency.p99,
          driverCores: Math.round(f.driver.cpuPct) / 100,
          driverUserCores: f.driver.cpuUserPct === undefined ? null : Math.round(f.driver.cpuUserPct) / 100,
          driverKernelCores: f.driver.cpuUserPct === undefined ? null : Math.round(f.driver.cpuPct - f.driver.cpuUserPct) / 100,
          driverCpuMsPer1000: msPer1000(f.driver.cpuPct / 100, 1, f.throughput.deliveredPerS),
          driverLagMs: Math.max(f.driver.mainLoopLagP99Ms, f.driver.workerLoopLagP99Ms),
          serverCpuPct: f.hub?.cpuPct ?? null,
          status: f.status,
        }
      : null;
    const ceiling = best
      ? {
          rate: best.rate,
          deliveredPerS: best.deliveredPerS,
          p99Ms: best.p99Ms,
          driverCpuShare: best.driverCpuShare,
          driverCpuMsPer1000: msPer1000(best.driverCpuShare, driverCores, best.deliveredPerS),
          driverLagMs: best.driverLagMs,
          serverCpuPct: best.hubCpuPct,
        }
      : null;
    return {
      tool: 'hubproof',
      kind: 'driver-ceiling',
      generatedAt: new Date().toISOString(),
      machine: { cores, cpu: cpus()[0]?.model ?? 'unknown', node: process.version },
      placement,
      serverCoalesces: true,
      subscribers,
      ceiling,
      limitedBy,
      stoppedBecause: c?.stoppedBecause ?? r.errors[0]?.message ?? 'not run',
      steps,
      fixed,
      costRatio:
        ceiling && fixed && fixed.driverCpuMsPer1000 > 0
          ? Math.round((ceiling.driverCpuMsPer1000 / fixed.driverCpuMsPer1000) * 100) / 100
          : null,
    };
  } finally {
    undo();
    await server.close();
  }
}
