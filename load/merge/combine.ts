/** How the figures of several generators' runs of one scenario add up into one. */
import type { ConflictFigures, DriverHealth, K6Figures, MemoryFigures, ScenarioResult, TimelineRow } from '../report-types.ts';
import { accounting } from '../measure/sequence-tracker.ts';
import { histogramFrom, latencyFigures } from '../measure/mergeable.ts';
import type { EncodedHistogram, LatencyFigures } from '../report-types.ts';

const sum = <T>(xs: T[], f: (x: T) => number): number => xs.reduce((a, x) => a + f(x), 0);
const max = <T>(xs: T[], f: (x: T) => number): number => xs.reduce((a, x) => Math.max(a, f(x)), 0);
const round1 = (x: number): number => Math.round(x * 10) / 10;

export function mergeLatency(parts: LatencyFigures[]): LatencyFigures {
  const h = histogramFrom(parts.map((p) => p.histogram as EncodedHistogram));
  const figures = latencyFigures(h);
  h.destroy();
  return figures;
}

export function mergeDelivery(parts: ScenarioResult['delivery'][]): ScenarioResult['delivery'] {
  return {
    ...accounting(
      sum(parts, (p) => p.expected),
      sum(parts, (p) => p.received),
      sum(parts, (p) => p.duplicated),
      sum(parts, (p) => p.outOfOrder),
    ),
    publishErrors: sum(parts, (p) => p.publishErrors),
    publishErrorSamples: parts.flatMap((p) => p.publishErrorSamples).slice(0, 5),
    connectFailures: sum(parts, (p) => p.connectFailures),
    connectErrorSamples: parts.flatMap((p) => p.connectErrorSamples).slice(0, 5),
    unexpected: sum(parts, (p) => p.unexpected),
    disconnects: sum(parts, (p) => p.disconnects),
    closeReasons: parts.flatMap((p) => p.closeReasons).slice(0, 5),
  };
}

/** The generators together: every one's reasons (labelled), the worst lag and share, the summed cores and CPU. */
export function mergeDriver(parts: DriverHealth[], labels: string[]): DriverHealth {
  const shares = parts.map((p) => p.machineShare).filter((x): x is number => x !== null);
  const k6 = parts.map((p) => p.k6).filter((x): x is K6Figures => x !== undefined);
  return {
    cores: sum(parts, (p) => p.cores),
    cpuPct: round1(sum(parts, (p) => p.cpuPct)),
    cpuShare: max(parts, (p) => p.cpuShare),
    mainLoopLagP99Ms: max(parts, (p) => p.mainLoopLagP99Ms),
    workerLoopLagP99Ms: max(parts, (p) => p.workerLoopLagP99Ms),
    sendLagP99Ms: max(parts, (p) => p.sendLagP99Ms),
    saturated: parts.some((p) => p.saturated),
    reasons: parts.flatMap((p, i) => p.reasons.map((r) => `${labels[i]}: ${r}`)),
    ...(parts.some((p) => p.stalls) ? { stalls: parts.flatMap((p, i) => (p.stalls ? [`${labels[i]}: ${p.stalls}`] : [])).join('; ') } : {}),
    hubInProcess: parts.some((p) => p.hubInProcess),
    machineShare: shares.length ? Math.max(...shares) : null,
    ...(k6.length
      ? {
          k6: {
            subscriberVus: sum(k6, (x) => x.subscriberVus),
            socketsPerVu: max(k6, (x) => x.socketsPerVu),
            plannedVuRate: max(k6, (x) => x.plannedVuRate),
            vuCeiling: Math.min(...k6.map((x) => x.vuCeiling)),
            maxVuRate: max(k6, (x) => x.maxVuRate),
            maxVuLagP99Ms: max(k6, (x) => x.maxVuLagP99Ms),
            behindVus: sum(k6, (x) => x.behindVus),
            droppedIterations: sum(k6, (x) => x.droppedIterations),
          },
        }
      : {}),
  };
}

/** Second by second, when every part has a timeline (k6 runs have none): counts add, p99 is the worst part's. */
export function mergeTimeline(parts: TimelineRow[][]): TimelineRow[] {
  if (parts.some((p) => p.length === 0)) return [];
  const n = Math.min(...parts.map((p) => p.length));
  return Array.from({ length: n }, (_, i) => {
    const rows = parts.map((p) => p[i]!);
    const hub = rows.map((r) => r.hubCpuPct).filter((x): x is number => x !== null);
    return {
      t: rows[0]!.t,
      warmup: rows.some((r) => r.warmup),
      sent: sum(rows, (r) => r.sent),
      delivered: sum(rows, (r) => r.delivered),
      p99Ms: max(rows, (r) => r.p99Ms),
      cpuPct: round1(sum(rows, (r) => r.cpuPct)),
      mainLoopP99Ms: max(rows, (r) => r.mainLoopP99Ms),
      workerLoopP99Ms: max(rows, (r) => r.workerLoopP99Ms),
      hubCpuPct: hub.length ? Math.max(...hub) : null,
      open: sum(rows, (r) => r.open),
    };
  });
}

/** Hub memory seen by every part: the lowest baseline, the highest final, all their connections. */
export function mergeMemory(parts: Array<MemoryFigures | undefined>): MemoryFigures | undefined {
  if (parts.some((p) => p === undefined)) return undefined;
  const ms = parts as MemoryFigures[];
  const baselineMb = Math.min(...ms.map((m) => m.baselineMb));
  const finalMb = Math.max(...ms.map((m) => m.finalMb));
  const connections = sum(ms, (m) => m.connections);
  return {
    pid: ms[0]!.pid,
    baselineMb,
    finalMb,
    connections,
    mbPer1000: round1(((finalMb - baselineMb) / Math.max(1, connections)) * 1000),
    samples: [],
  };
}

export function mergeConflicts(parts: Array<ConflictFigures | undefined>): ConflictFigures | undefined {
  if (parts.some((p) => p === undefined)) return undefined;
  const cs = parts as ConflictFigures[];
  const expected = sum(cs, (c) => c.expected);
  const received = sum(cs, (c) => c.received);
  return {
    bursts: sum(cs, (c) => c.bursts),
    expected,
    received,
    reach: expected === 0 ? 1 : received / expected,
    latency: mergeLatency(cs.map((c) => c.latency)),
    requestErrors: sum(cs, (c) => c.requestErrors),
    requestErrorSamples: cs.flatMap((c) => c.requestErrorSamples).slice(0, 5),
  };
}
