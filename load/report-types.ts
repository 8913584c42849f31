/** The load report: what `runLoad` returns, `--json` writes, the HTML page draws and k6's handleSummary mimics. */
import type { BrowserFigures } from './browser/browser-figures.ts';
import type { OptionalTool } from './optional-tool.ts';
import type { Scenario, ScenarioKind } from './scenarios/types.ts';
import type { SoakFigures } from './soak/soak-types.ts';
import type { StormFigures } from './storm/storm-types.ts';
import { REPORT_SCHEMA_VERSIONS } from '../spec/reports/versions.ts';

/** 2: latency carries its histogram (mergeable), k6 reports share the shape, shard and merge fields. */
export const LOAD_REPORT_VERSION = 2;
/** `MAJOR.MINOR` of the published schema (spec/generated/load-report.schema.json); its major is LOAD_REPORT_VERSION. */
export const LOAD_SCHEMA_VERSION = REPORT_SCHEMA_VERSIONS.load;

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
  /**
   * Events the hub refused or never answered (HTTP status ≥ 300, or no answer by the end of the drain) in the
   * window. The Node driver leaves them out of expected and received: a publish the hub never accepted is
   * not a delivery it lost.
   */
  publishErrors: number;
  publishErrorSamples: string[];
  /**
   * Publishes written a second time on a new connection because the first went into a kept-alive connection
   * the hub closed without answering (load/driver/raw-http-client.ts), and why. Absent: none, or not recorded.
   */
  publishRetries?: number;
  publishRetrySamples?: string[];
  /** The hub closed its HTTP connections after this many answers without announcing it (no `Connection: close`). */
  httpConnectionLimit?: number;
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
  /** Which part of the search ran it: the ramp, the re-run of a step that missed, going down, or bisecting. */
  stage?: 'ramp' | 'retry' | 'down' | 'bisect';
  /** Index of the search (0-based) with `repeat` > 1. */
  run?: number;
  /** Seconds measured (after the warm-up). */
  seconds?: number;
  p99Ms: number;
  p50Ms?: number;
  reach: number;
  deliveredPerS: number;
  /** Publishes scheduled in the step's window, and the deliveries they called for (publish errors left out). */
  sent?: number;
  expected?: number;
  received?: number;
  lost?: number;
  duplicated?: number;
  outOfOrder?: number;
  /** Publishes the hub refused or never answered: the hub's failure, never counted as lost deliveries. */
  publishErrors?: number;
  publishErrorSamples?: string[];
  /** Publishes written twice because the hub closed a kept-alive connection before answering. */
  publishRetries?: number;
  driverSaturated: boolean;
  /** Driver CPU as a share of its cores, and its worst loop lag p99 (ms), during the step. */
  driverCpuShare: number;
  driverLagMs: number;
  /** Whole-machine CPU busy share during the step (null when unknown). */
  machineShare?: number | null;
  /** Hub process CPU during the step, % of one core (null when not sampled). */
  hubCpuPct: number | null;
  /** The machine's CPU besides the hub's and the driver's, % of one core (null: not known). */
  othersCpuPct?: number | null;
  /** The step missed while other processes kept the machine busy: no verdict, it was measured again. */
  disturbed?: boolean;
  /** Seconds waited before this step for other processes to leave the machine (after a disturbed step). */
  waitedS?: number;
  ok: boolean;
  /** Why the step missed, one line per cause ("p99 71 ms ≥ 50 ms; lost 30 of 45,000 deliveries"). */
  failure?: string;
}

/** One whole capacity search. */
export interface CapacitySearch {
  steps: CapacityStep[];
  /** The figure: the highest rate that held (on its first run or when run again). */
  lastGoodRate: number | null;
  /** The lowest rate that failed twice (null: none did). */
  firstBadRate?: number | null;
  /** Rates that missed once and held when run again. */
  heldOnRetry?: number[];
  /** The figure is a lower bound: maxRate held, or the load generator, not the hub, failed above it. */
  lowerBound?: boolean;
  stoppedBecause: string;
}

/** A capacity scenario's result: its search, or with `repeat` > 1 every search and their median. */
export interface CapacityFigures extends CapacitySearch {
  /** The search's resolution (the figure is within it below the hub's limit). */
  resolution?: number;
  /** With repeat > 1: every search in order; the fields above are the median one's. */
  runs?: CapacitySearch[];
  spread?: CapacitySpread;
}

export interface CapacitySpread {
  runs: number;
  /** Figures of the runs in order (null: the run held nothing). */
  figures: Array<number | null>;
  median: number | null;
  min: number | null;
  max: number | null;
  /** max ÷ min (null when a run held nothing). */
  ratio: number | null;
  /** Every figure within one resolution step of every other: max ≤ min × (1 + resolution). */
  withinOneStep: boolean;
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
  capacity?: CapacityFigures;
  /** A cluster target's nodes: subscribers were spread over them, events published through the first. */
  nodes?: NodeFigures[];
  /** browser: pages, wire latency of the same updates, long tasks (`latency` and `delivery` are end to end, at the pages). */
  browser?: BrowserFigures;
  /** soak: samples per cycle, growth fits, return to baseline, reaping per kind (docs/soak.md). */
  soak?: SoakFigures;
  /** storm: how the fleet came back from a hub restart (docs/storm.md). */
  storm?: StormFigures;
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
  /** `MAJOR.MINOR` of the published schema this report follows. */
  schemaVersion: string;
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
  /**
   * Scenarios not run: the target does not implement their profile, or the harness lacks a tool they need
   * (then `install` says how to get it; certify lists them as not covered).
   */
  skipped: Array<{
    name: string;
    reason: string;
    /** Set when the harness's own tool is missing or would not start (Chromium, playwright-core): certify lists the scenario as not covered. */
    tool?: OptionalTool;
    /** The command that installs the missing tool. */
    install?: string;
  }>;
  /** Scenarios that could not complete because the hub refused their setup (counts as a failure). */
  errors: Array<{ name: string; message: string }>;
}
