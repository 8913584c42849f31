/** Runners for the broadcast-shaped scenarios: fanout, presence and connections (capacity: load/capacity/). */
import { BroadcastRig, type PhaseResult } from './driver/broadcast-rig.ts';
import { readRssMb } from './driver/rss.ts';
import type { PoolReady } from './driver/subscriber-pool.ts';
import { phaseFigures } from './phase-figures.ts';
import type { MemoryFigures, ScenarioResult } from './report-types.ts';
import type { RunContext } from './run-context.ts';
import type { Scenario } from './scenarios/types.ts';
import { finishShard, shardStart } from './shard-run.ts';

export function rigFor(
  ctx: RunContext,
  s: Scenario,
  publish: 'pusher' | 'presence',
  openPerS = 0,
  onProgress?: (open: number) => void,
): BroadcastRig {
  return new BroadcastRig({
    target: ctx.target,
    publish,
    channels: s.channels,
    subscribersPerChannel: s.subscribersPerChannel,
    publishers: publish === 'pusher' ? s.channels : s.publishers,
    payloadBytes: s.payloadBytes,
    workers: s.workers,
    openPerS,
    monitor: ctx.monitor,
    hubPid: ctx.hubPid,
    shard: ctx.shard,
    onSecond: (row) => ctx.progress.line(s.name, row),
    onProgress,
  });
}

export async function connect(ctx: RunContext, s: Scenario, rig: BroadcastRig): Promise<PoolReady> {
  ctx.progress.note(`${s.name}: opening ${rig.connections} subscriber connections…`);
  const ready = await rig.start();
  if (ready.failed > 0) ctx.progress.note(`${s.name}: ${ready.failed} connections failed: ${ready.errors[0] ?? ''}`);
  return ready;
}

/** fanout (Pusher HTTP API → channel subscribers) and presence (presence API → dashboards). */
export async function runBroadcast(ctx: RunContext, s: Scenario): Promise<ScenarioResult> {
  const publish = s.kind === 'presence' ? 'presence' : 'pusher';
  const startedAt = new Date().toISOString();
  const rig = rigFor(ctx, s, publish);
  try {
    const ready = await connect(ctx, s, rig);
    const phase = await rig.phase(s.rate, s.warmupS, s.durationS, await shardStart(ctx, s));
    ctx.progress.done();
    const base = phaseFigures(ctx, s, phase, ready, rig.connections, startedAt);
    const notes: string[] = [];
    if (publish === 'presence')
      notes.push(`${s.channels} dashboard session_ids × ${s.subscribersPerChannel} dashboards; every dashboard expects every update`);
    return finishShard(ctx, base, notes);
  } finally {
    await rig.close();
  }
}

/** Ramps to N idle subscribed clients, samples hub RSS → MB per 1000, then proves them alive with a trickle. */
export async function runConnections(ctx: RunContext, s: Scenario): Promise<ScenarioResult> {
  const startedAt = new Date().toISOString();
  const dashboards = s.transport === 'dashboard' || (s.transport === 'auto' && ctx.target.profiles.includes('agent-presence'));
  let lastSample = 0;
  const rig = rigFor(ctx, s, dashboards ? 'presence' : 'pusher', s.rampPerS, (open) => (lastSample = open));
  const pid = ctx.hubPid;
  const notes: string[] = [`clients: ${dashboards ? '/ws/broadcasts dashboards' : 'Pusher sockets, one public channel each'}`];
  const baselineMb = readRssMb(pid);
  const samples: MemoryFigures['samples'] = baselineMb === undefined ? [] : [{ connections: 0, rssMb: round(baselineMb) }];
  const sampler = setInterval(() => {
    const rss = readRssMb(pid);
    if (rss !== undefined) samples.push({ connections: lastSample, rssMb: round(rss) });
  }, 250);
  try {
    const ready = await rig.start();
    lastSample = ready.open;
    // Let the hub settle (buffers, GC) before the figure that counts.
    await new Promise((r) => setTimeout(r, 2000));
    clearInterval(sampler);
    const finalMb = readRssMb(pid);
    if (finalMb !== undefined) samples.push({ connections: ready.open, rssMb: round(finalMb) });
    ctx.progress.note(
      `${s.name}: ${ready.open} clients open${finalMb !== undefined && baselineMb !== undefined ? `, hub RSS ${round(baselineMb)} → ${round(finalMb)} MB` : ''}`,
    );
    const phase: PhaseResult = await rig.phase(s.rate, s.warmupS, s.durationS, await shardStart(ctx, s));
    ctx.progress.done();
    const base = phaseFigures(ctx, s, phase, ready, rig.connections, startedAt);
    let memory: MemoryFigures | undefined;
    if (pid !== undefined && baselineMb !== undefined && finalMb !== undefined && ready.open > 0) {
      memory = {
        pid,
        baselineMb: round(baselineMb),
        finalMb: round(finalMb),
        connections: ready.open,
        mbPer1000: round(((finalMb - baselineMb) / ready.open) * 1000),
        samples,
      };
      if (ctx.hubMode === 'in-process')
        notes.push('hub in-process: RSS includes the driver and its subscriber threads, so MB per 1000 is an upper bound');
    } else {
      notes.push('hub memory not sampled: no local hub pid (add "process": {"pid": N} to the target file)');
    }
    return finishShard(ctx, { ...base, memory }, notes);
  } finally {
    clearInterval(sampler);
    await rig.close();
  }
}

const round = (x: number): number => Math.round(x * 10) / 10;
