/**
 * `runLoad(options) → LoadReport`: the programmatic entry (`hubproof load` and `certify` call it). Probes
 * the target it is given (it never starts a hub: the CLI hands it the embedded one or the user's), runs
 * the selected scenarios one after another, evaluates thresholds and returns the report. Never exits the
 * process.
 */
import { availableParallelism } from 'node:os';
import { HubproofError } from '../spec/errors.ts';
import type { Profile } from '../spec/schemas/common.ts';
import { DEFAULT_DRIVER_LIMITS, DriverMonitor, type DriverLimits } from './driver/driver-monitor.ts';
import { createProgress, silentProgress, type Progress } from './progress.ts';
import type { LoadReport, ScenarioResult } from './report-types.ts';
import { runAgents } from './run-agents.ts';
import { browserMissing } from './browser/chromium.ts';
import { missingToolText } from './optional-tool.ts';
import { sizeForMachine, sizeNote } from './browser/browser-size.ts';
import { runBrowser } from './browser/run-browser.ts';
import { runSoak } from './soak/run-soak.ts';
import { runStorm } from './storm/run-storm.ts';
import { NO_RESTART, stormRestart } from './storm/storm-restart.ts';
import type { FleetPatch } from './storm/storm-fleet.ts';
import { runBroadcast, runConnections } from './run-broadcast.ts';
import { runCapacity } from './capacity/run-capacity.ts';
import type { RunContext } from './run-context.ts';
import { applyOverrides, selectScenarios, type Scenario, type ScenarioOverrides } from './scenarios/index.ts';
import { emptyReport, judgeReport } from './report-verdict.ts';
import type { Shard } from './driver/shard.ts';
import { prepareForShard } from './shard-run.ts';
import type { TargetHandle } from '../target/handle.ts';
import { probeTarget } from '../target/probe.ts';

/**
 * `target` is the hub; `embedded` says how the embedded reference hub runs (in-process: its RSS and CPU
 * include the driver's). A hub's pid, when known, is `target.process.pid`.
 */
export interface LoadOptions extends Pick<TargetHandle, 'target' | 'embedded' | 'outage' | 'restart'> {
  /** 'fanout', 'fanout,presence', 'all'; default: fanout, presence, agents, connections. */
  scenarios?: string;
  overrides?: ScenarioOverrides;
  /** When the driver counts as saturated (default: CPU > 90 % of cores, loop lag or send lag p99 > 20 ms). */
  driverLimits?: Partial<DriverLimits>;
  /** Progress output; false = silent (default: stderr). */
  progress?: Progress | false;
  /** Run shard `index` of `count` of the test (load/driver/shard.ts); the shards meet on the hub before starting. */
  shard?: Shard;
  /** Seconds to wait for every shard to announce itself (default 120). */
  shardWaitS?: number;
  /** Tells concurrent runs of the same sharded test apart (default none). */
  runId?: string;
  /** storm: a broken fleet for the self-test (each pusher-js instance patched once subscribed). */
  stormPatch?: FleetPatch;
}

/** Which profile a scenario needs from the target. */
function missingProfile(s: Scenario, profiles: Profile[]): string | undefined {
  const need: Profile[] =
    s.kind === 'presence' || s.kind === 'browser'
      ? ['agent-presence']
      : s.kind === 'agents'
        ? ['sync', 'pusher']
        : s.kind === 'connections'
          ? []
          : ['pusher'];
  const missing = need.filter((p) => !profiles.includes(p));
  if (s.kind === 'connections' && !profiles.includes('pusher') && !profiles.includes('agent-presence')) missing.push('pusher');
  return missing.length ? `target does not implement the ${missing.join(' and ')} profile` : undefined;
}

export async function runLoad(o: LoadOptions): Promise<LoadReport> {
  // The browser scenario is sized for this machine first; the user's overrides come after.
  const sizeNotes = new Map<string, string>();
  const scenarios = selectScenarios(o.scenarios).map((s) => {
    const size = sizeForMachine(s);
    applyOverrides(s, o.overrides ?? {});
    if (size && s.channels * s.subscribersPerChannel === size.pages && s.rate === size.rate) sizeNotes.set(s.name, sizeNote(size));
    return s;
  });
  const shardNotes = new Map(scenarios.map((s) => [s.name, prepareForShard(s, o.shard)]));
  const progress = o.progress === false ? silentProgress : (o.progress ?? createProgress());
  const hub = { target: o.target, mode: o.embedded ?? 'external', pid: o.target.process?.pid } as const;
  const monitor = new DriverMonitor();
  const report = emptyReport(
    'node',
    { name: hub.target.name, http: hub.target.nodes[0]!.http, ws: hub.target.nodes[0]!.ws, hub: hub.mode, pid: hub.pid },
    { node: process.version, cores: availableParallelism(), platform: `${process.platform}-${process.arch}` },
  );
  if (o.shard) report.shard = o.shard;
  try {
    await probeTarget(hub.target);
    monitor.start();
    const driverLimits = { ...DEFAULT_DRIVER_LIMITS, ...o.driverLimits };
    const ctx: RunContext = {
      target: hub.target,
      hubMode: hub.mode,
      hubPid: hub.pid,
      monitor,
      progress,
      driverLimits,
      shard: o.shard,
      shardWaitS: o.shardWaitS,
      runId: o.runId,
      restarts: { ...(o.outage ? { outage: o.outage } : {}), ...(o.restart ? { restart: o.restart } : {}) },
    };
    progress.note(`hubproof load → ${hub.target.name} (${hub.target.nodes[0]!.http}, hub ${hub.mode}${hub.pid ? ` pid ${hub.pid}` : ''})`);
    for (const s of scenarios) {
      const missing = missingProfile(s, hub.target.profiles);
      const tool = missing === undefined && s.kind === 'browser' ? browserMissing() : undefined;
      const noRestart = missing === undefined && s.kind === 'storm' && !stormRestart({ ...ctx.restarts, target: hub.target }, s);
      if (missing !== undefined || tool || noRestart) {
        const reason = missing ?? (noRestart ? NO_RESTART : missingToolText(tool!));
        report.skipped.push({ name: s.name, reason, ...(tool ? { tool: tool.tool, install: tool.install } : {}) });
        progress.note(`${s.name}: not covered, ${reason}`);
        continue;
      }
      let result: ScenarioResult;
      try {
        result = await runScenario(ctx, s, o.stormPatch);
      } catch (err) {
        progress.done();
        // The other shards never came: the harness could not run the test (exit 2), not a hub failure.
        if (err instanceof HubproofError && err.code === 'HUBPROOF_ERR_SHARD') throw err;
        const message = (err as Error).message;
        // The harness's own browser would not start: nothing was measured, and nothing is the hub's fault.
        if (err instanceof HubproofError && err.code === 'HUBPROOF_ERR_BROWSER_UNAVAILABLE') {
          report.skipped.push({ name: s.name, reason: message, tool: 'chromium' });
          progress.note(`${s.name}: not covered, ${message}`);
          continue;
        }
        report.errors.push({ name: s.name, message });
        progress.note(`${s.name}: could not run: ${message}`);
        continue;
      }
      const shardNote = shardNotes.get(s.name);
      if (shardNote) result.notes.push(shardNote);
      const sized = sizeNotes.get(s.name);
      if (sized) result.notes.push(sized);
      report.scenarios.push(result);
      progress.note(`${s.name}: ${result.status.toUpperCase()}`);
    }
  } finally {
    monitor.stop();
  }
  return judgeReport(report);
}

function runScenario(ctx: RunContext, s: Scenario, stormPatch?: FleetPatch): Promise<ScenarioResult> {
  switch (s.kind) {
    case 'fanout':
    case 'presence':
      return runBroadcast(ctx, s);
    case 'connections':
      return runConnections(ctx, s);
    case 'capacity':
      return runCapacity(ctx, s);
    case 'agents':
      return runAgents(ctx, s);
    case 'browser':
      return runBrowser(ctx, s);
    case 'soak':
      return runSoak(ctx, s);
    case 'storm':
      return runStorm(ctx, s, stormRestart({ ...ctx.restarts, target: ctx.target }, s)!, stormPatch);
  }
}

export { exitCodeFor } from './report-verdict.ts';
