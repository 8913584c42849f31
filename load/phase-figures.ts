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
      ...(phase.publishRetries > 0 ? { publishRetries: phase.publishRetries, publishRetrySamples: phase.publishRetrySamples } : {}),
      ...(phase.httpReuseLimit !== null ? { httpConnectionLimit: phase.httpReuseLimit } : {}),
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
  notes.push(...publishNotes(base.delivery));
  return { ...base, status: scenarioStatus(base.driver.saturated, thresholds), thresholds, notes };
}

/** What a reader of reach must know about the publishes: connections the hub closed, requests sent twice. */
export function publishNotes(d: ScenarioResult['delivery']): string[] {
  const out: string[] = [];
  if (d.httpConnectionLimit !== undefined)
    out.push(
      `the hub closed its HTTP connections after ${d.httpConnectionLimit} answer${d.httpConnectionLimit === 1 ? '' : 's'} without saying so (no Connection: close); the driver used no connection for more`,
    );
  if (d.publishRetries)
    out.push(
      `${d.publishRetries} publish${d.publishRetries === 1 ? ' was' : 'es were'} written again on a new connection: the hub had closed the kept-alive one before answering (${d.publishRetrySamples?.[0] ?? ''}); duplicates of them would be the driver's`,
    );
  return out;
}

const round = (x: number): number => Math.round(x * 10) / 10;
