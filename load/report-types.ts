/** The load report: what `runLoad` returns, `--json` writes, the HTML page draws and k6's handleSummary mimics. */
import type { BrowserFigures } from './browser/browser-figures.ts';
import type { Scenario, ScenarioKind } from './scenarios/types.ts';

/** 2: latency carries its histogram (mergeable), k6 reports share the shape, shard and merge fields. */
export const LOAD_REPORT_VERSION = 2;

export interface DriverHealth {
  cores: number;
  /** Mean process CPU over the measured window, % of one core. */
  cpuPct: number;
  /** Its user-space part (the rest is kernel time: socket reads and writes), % of one core. */
  cpuUserPct?: number;
  /** The same as a share of all cores, 0…1. */
  cpuShare: number;
  /** p99 over the window of the per-second main-thread loop lag p99, ms. */
  mainLoopLagP99Ms: number;
  workerLoopLagP99Ms: number;
  /** p99 of (actual issue time − scheduled time) for sends, ms. */
  sendLagP99Ms: number;
  saturated: boolean;
  reasons: string[];
  /**
   * Event-loop stalls past the lag limit that did not make the figures invalid: the scenario times
   * nothing (no latency threshold) and the stalls were brief, so what it counts stands.
   */
  stalls?: string;
  /** True when the hub runs inside the driver process, so CPU figures include the hub. */
  hubInProcess: boolean;
  /** Mean whole-machine CPU busy share over the window (null when unknown). */
  machineShare: number | null;
  /** k6 runs: how the subscriber VUs were sized and how they kept up (CPU is k6's own business). */
  k6?: K6Figures;
}

export interface K6Figures {
  subscriberVus: number;
  socketsPerVu: number;
  /** Frames/s the busiest subscriber VU was planned to receive, and the per-VU ceiling it was sized for. */
  plannedVuRate: number;
  vuCeiling: number;
  /** Highest measured-window frame rate of any subscriber VU, and its receive-loop lag p99, ms. */
  maxVuRate: number;
  maxVuLagP99Ms: number;
  /** Subscriber VUs past either limit. */
  behindVus: number;
  /** Iterations k6 could not start on schedule (no free VU). */
  droppedIterations: number;
  /** VUs k6 had allocated at most (subscribers and senders), and the senders' HTTP request p99, ms. */
  vusMax?: number;
  httpP99Ms?: number;
}

export interface TimelineRow {
  /** Seconds since the phase started. */
  t: number;
  warmup: boolean;
  sent: number;
  delivered: number;
  p99Ms: number;
  cpuPct: number;
  mainLoopP99Ms: number;
  workerLoopP99Ms: number;
  /** Hub process CPU this second, % of one core (null when not sampled). */
  hubCpuPct: number | null;
  open: number;
}

export interface LatencySummary {
  unit: 'ms';
  count: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

export interface DeliveryAccounting {
  /** Deliveries the driver expected: events published in the window × subscribers that should get them. */
  expected: number;
  /** Distinct expected deliveries that arrived. */
  received: number;
  /** expected − received. */
  lost: number;
  /** Arrivals of an event a subscriber already had. */
  duplicated: number;
  /** First arrivals of an event after an event of the same stream that was sent only once this one was acknowledged. */
  outOfOrder: number;
  /** received ÷ expected (1 when nothing was expected). */
  reach: number;
}

/**
 * A latency histogram in a form that merges exactly across generators: the Node driver's HDR histogram
 * (µs, 3 significant digits, compressed base64), or the k6 scripts' fixed log-linear ms buckets
 * (load/measure/log-linear.ts), whose counts are k6 Counters summed over every k6 instance.
 */
export type EncodedHistogram =
  | { encoding: 'hdr'; unit: 'us'; data: string }
  | { encoding: 'log-linear'; unit: 'ms'; subBuckets: number; counts: Record<string, number> };

export interface LatencyFigures extends LatencySummary {
  /** [percentile, ms] points of the HDR percentile distribution, for the log-scale curve. */
  curve: Array<[number, number]>;
  /** The whole distribution, for `hubproof merge` (absent in reports written before it existed). */
  histogram?: EncodedHistogram;
}

export interface DeliveryFigures extends DeliveryAccounting {
  /** Events the hub refused or never answered (HTTP status ≥ 400 or no answer) in the window. */
  publishErrors: number;
  publishErrorSamples: string[];
  /** Subscriber connections that failed to open or subscribe. */
  connectFailures: number;
  connectErrorSamples: string[];
  /** Marker arrivals on a connection that did not subscribe to that stream. */
  unexpected: number;
  /** Subscriber connections the hub closed during the run. */
  disconnects: number;
  closeReasons: string[];
}

export interface ThresholdResult {
  /** Threshold key, e.g. `p99Ms`. */
  name: string;
  /** Human label, e.g. "p99 propagation". */
  label: string;
  comparator: '<' | '<=' | '>=';
  limit: number;
  actual: number | null;
  unit: string;
  ok: boolean;
}

export interface MemoryFigures {
  pid: number;
  baselineMb: number;
  finalMb: number;
  connections: number;
  /** (final − baseline) ÷ connections × 1000. */
  mbPer1000: number;
  samples: Array<{ connections: number; rssMb: number }>;
}

export interface CapacityStep {
  rate: number;
  p99Ms: number;
  reach: number;
  deliveredPerS: number;
  driverSaturated: boolean;
  /** Driver CPU as a share of its cores, and its worst loop lag p99 (ms), during the step. */
  driverCpuShare: number;
  driverLagMs: number;
  /** Hub process CPU during the step, % of one core (null when not sampled). */
  hubCpuPct: number | null;
  ok: boolean;
}

export interface ConflictFigures {
  bursts: number;
  /** Resolved events expected at session subscribers (bursts × subscribers). */
  expected: number;
  received: number;
  reach: number;
  latency: LatencyFigures;
  requestErrors: number;
  requestErrorSamples: string[];
}

export type ScenarioStatus = 'pass' | 'fail' | 'invalid';

export interface ScenarioResult {
  name: string;
  kind: ScenarioKind;
  description: string;
  /** The scenario as run, overrides applied. */
  scenario: Scenario;
  status: ScenarioStatus;
  startedAt: string;
  windowS: number;
  subscribers: number;
  latency: LatencyFigures;
  delivery: DeliveryFigures;
  throughput: { targetRate: number; sent: number; sentPerS: number; deliveredPerS: number; maxInFlight: number };
  timeline: TimelineRow[];
  driver: DriverHealth;
  /** The hub process's own CPU over the window, % of one core, when its pid is known and it runs apart. */
  hub?: { pid: number; cpuPct: number };
  memory?: MemoryFigures;
  conflicts?: ConflictFigures;
  capacity?: { steps: CapacityStep[]; lastGoodRate: number | null; stoppedBecause: string };
  /** A cluster target's nodes: subscribers were spread over them, events published through the first. */
  nodes?: NodeFigures[];
  /** browser: pages, wire latency of the same updates, long tasks (`latency` and `delivery` are end to end, at the pages). */
  browser?: BrowserFigures;
  thresholds: ThresholdResult[];
  /** What a reader must know to trust the figures (in-process hub, skipped parts…). */
  notes: string[];
}

/** What the subscribers on one node of a cluster measured. */
export interface NodeFigures {
  /** 1-based, as reports name nodes (`node 2`). */
  node: number;
  ws: string;
  subscribers: number;
  latency: LatencyFigures;
  delivery: DeliveryAccounting;
}

export interface LoadReport {
  tool: 'hubproof';
  kind: 'load';
  reportVersion: number;
  /** Who generated the load: the Node driver, k6, or both (a merged report of Node and k6 runs). */
  generator: 'node' | 'k6' | 'mixed';
  /** This report is shard `index` of `count` of one test (`hubproof load --shard I/N`). */
  shard?: { index: number; count: number };
  /** A merged report (`hubproof merge`): the reports it was made of. */
  mergedFrom?: Array<{ file: string; generator: 'node' | 'k6' | 'mixed'; shard?: { index: number; count: number } }>;
  generatedAt: string;
  target: { name: string; http: string; ws: string; hub: 'child' | 'in-process' | 'external'; pid?: number };
  driver: { node: string; cores: number; platform: string };
  scenarios: ScenarioResult[];
  verdict: ScenarioStatus;
  /** One line per breached threshold: `fanout: p99 propagation 71.2 ms ≥ 50 ms`. */
  breaches: string[];
  /** One line per invalid scenario, saying why the driver could not be trusted. */
  invalid: string[];
  /** Scenarios not run because the target does not implement their profile. */
  skipped: Array<{ name: string; reason: string }>;
  /** Scenarios that could not complete because the hub refused their setup (counts as a failure). */
  errors: Array<{ name: string; message: string }>;
}
