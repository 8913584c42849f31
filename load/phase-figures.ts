/** Turns a measured phase into report figures: latency, delivery, throughput, driver health, verdict. */
import { judgeDriver } from './driver/driver-monitor.ts';
import type { PhaseResult } from './driver/broadcast-rig.ts';
import type { PoolReady } from './driver/subscriber-pool.ts';
import { latencyFigures } from './measure/mergeable.ts';
import type { RunContext } from './run-context.ts';
import type { Scenario } from './scenarios/types.ts';
import type { ScenarioResult } from './report-types.ts';
import { evaluateThresholds } from './thresholds.ts';
import { scenarioStatus } from './report-verdict.ts';

export function phaseFigures(
  ctx: RunContext,
  s: Scenario,
  phase: PhaseResult,
  ready: PoolReady,
  subscribers: number,
  startedAt: string,
): Omit<ScenarioResult, 'status' | 'thresholds' | 'notes'> {
  const received = phase.delivery.received;
  return {
    name: s.name,
    kind: s.kind,
    description: s.description,
    scenario: s,
    startedAt,
    windowS: phase.windowS,
    subscribers,
    latency: latencyFigures(phase.hist),
    delivery: {
      ...phase.delivery,
      publishErrors: phase.publishErrors,
      publishErrorSamples: phase.publishErrorSamples,
      connectFailures: ready.failed,
      connectErrorSamples: ready.errors,
    },
    throughput: {
      targetRate: phase.rate,
      sent: phase.sentInWindow,
      sentPerS: round(phase.sentInWindow / phase.windowS),
      deliveredPerS: round(received / phase.windowS),
      maxInFlight: phase.maxInFlight,
    },
    timeline: phase.timeline,
    ...(phase.nodes
      ? {
          nodes: phase.nodes.map((n) => ({
            node: n.node + 1,
            ws: n.ws,
            subscribers: n.subscribers,
            latency: latencyFigures(n.hist),
            delivery: n.delivery,
          })),
        }
      : {}),
    ...(phase.hubCpuPct !== null && ctx.hubPid !== undefined ? { hub: { pid: ctx.hubPid, cpuPct: phase.hubCpuPct } } : {}),
    driver: judgeDriver(
      phase.driverSeconds,
      phase.sendLag.totalCount ? phase.sendLag.getValueAtPercentile(99) / 1000 : 0,
      ctx.monitor.cores,
      ctx.hubMode === 'in-process',
      ctx.driverLimits,
      ctx.hubMode !== 'external' || ctx.hubPid !== undefined,
      s.thresholds.p99Ms !== undefined,
    ),
  };
}

export function finishScenario(
  base: Omit<ScenarioResult, 'status' | 'thresholds' | 'notes'>,
  notes: string[],
  thresholds = evaluateThresholds(base.scenario.thresholds, base),
): ScenarioResult {
  if (base.driver.hubInProcess) notes.push('the hub ran inside the driver process: driver CPU includes the hub, and both share the cores');
  if (base.driver.saturated) notes.push(`figures invalid, the load generator saturated: ${base.driver.reasons.join('; ')}`);
  if (base.driver.stalls) notes.push(base.driver.stalls);
  return { ...base, status: scenarioStatus(base.driver.saturated, thresholds), thresholds, notes };
}

const round = (x: number): number => Math.round(x * 10) / 10;
