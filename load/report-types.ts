/** The load report: what `runLoad` returns, `--json` writes, the HTML page draws and k6's handleSummary mimics. */
import type { BrowserFigures } from './browser/browser-figures.ts';
import type { DriverHealth } from './driver/driver-monitor.ts';
import type { TimelineRow } from './driver/broadcast-rig.ts';
import type { LatencySummary } from './measure/histogram.ts';
import type { DeliveryAccounting } from './measure/sequence-tracker.ts';
import type { Scenario, ScenarioKind } from './scenarios/types.ts';

export const LOAD_REPORT_VERSION = 1;

export interface LatencyFigures extends LatencySummary {
  /** [percentile, ms] points of the HDR percentile distribution, for the log-scale curve. */
  curve: Array<[number, number]>;
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
  /** browser: pages, wire latency of the same updates, long tasks (`latency` and `delivery` are end to end, at the pages). */
  browser?: BrowserFigures;
  thresholds: ThresholdResult[];
  /** What a reader must know to trust the figures (in-process hub, skipped parts…). */
  notes: string[];
}

export interface LoadReport {
  tool: 'hubproof';
  kind: 'load';
  reportVersion: number;
  generator: 'node' | 'k6';
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
