/**
 * A load scenario is data: what to send, to whom, for how long, and the SLOs that fail the run. The
 * numbers live in load/scenarios/*.json, read by the Node driver and by the k6 scripts (k6 `open()`), so
 * the two cannot drift. Thresholds default to the targets in docs/protocol.md; a scenario lists only the ones
 * it measures.
 */
import defaults from './defaults.json' with { type: 'json' };

export type ScenarioKind = 'fanout' | 'presence' | 'agents' | 'connections' | 'capacity' | 'browser' | 'soak' | 'storm';

export interface Thresholds {
  /** p99 propagation, scheduled send → receipt at every subscriber (docs/protocol.md#propagation: < 50 ms). */
  p99Ms?: number;
  /** Events per second the hub must accept and deliver over the measured window (docs/protocol.md#performance: ≥ 1000 presence updates/s). */
  minRate?: number;
  /** Received ÷ expected deliveries; 1 means nothing lost (docs/protocol.md#delivery-and-history: every subscriber gets every event). */
  minReach?: number;
  /** Hub RSS growth per 1000 connected clients, MB (docs/protocol.md#performance: < 100 MB per 1000 dashboards). */
  maxMbPer1000?: number;
  /**
   * Publishes (and other driver requests) the hub refused (HTTP status ≥ 300) or never answered in the
   * window. They are left out of reach, which counts only what the hub accepted, so this gate says what
   * reach does not. The Node driver sets it to 0 for every scenario that publishes (load/run-load.ts).
   */
  maxPublishErrors?: number;
  /** p99 from the second near-duplicate create request to AgentConflictResolved at every session subscriber (docs/protocol.md#conflicts: 250 ms). */
  conflictP99Ms?: number;
  /** soak (docs/soak.md): RSS growth, lower end of the 95 % CI of the Theil–Sen slope, MB per hour. */
  rssMbPerHour?: number;
  /** soak: open-descriptor growth, lower end of the 95 % CI, per hour. */
  fdsPerHour?: number;
  /** soak: channels, subscriptions and presence members of the run left once the hub's bound has passed. */
  leftovers?: number;
  /** soak: RSS above the pre-run baseline after the run, MB. */
  rssReturnMb?: number;
  /** soak: open descriptors above the pre-run baseline after the run. */
  fdsReturn?: number;
  /** soak: hub CPU once idle after the run, % of one core. */
  idleCpuPct?: number;
  /** soak: connections of each kind (destroyed, unresponsive, silent) the hub had not closed within its bound. */
  reapDestroyed?: number;
  reapUnresponsive?: number;
  reapSilent?: number;
  /** storm (docs/storm.md): seconds from the hub answering again until the fleet's last subscription was restored. */
  restoreS?: number;
  /** storm: subscriptions not restored within recoverS of the hub answering again. */
  unrestored?: number;
  /** storm: arrivals of an event a subscription already had. */
  maxDuplicated?: number;
  /** storm: restored presence subscriptions whose member list is not the fleet's (count, or `me`, wrong). */
  presenceWrong?: number;
}

export interface Scenario {
  name: string;
  kind: ScenarioKind;
  description: string;
  /** Target publish rate over all publishers, events/s (open model: the schedule does not wait for the hub). */
  rate: number;
  /** Concurrent publishing streams; each has its own sequence numbers (a channel or an agent id). */
  publishers: number;
  /** Channels (fanout), dashboard sessions (presence/connections) or agent sessions (agents). */
  channels: number;
  /** Subscribed connections per channel / session. */
  subscribersPerChannel: number;
  /** Measured window, seconds. */
  durationS: number;
  /** Excluded from the figures: connections settle and JITs warm. */
  warmupS: number;
  /** Bytes of padding in each payload, to model real event sizes. */
  payloadBytes: number;
  /** Subscriber worker threads; 0 = one per available core (at most 4). */
  workers: number;
  /** connections: clients opened per second while ramping. */
  rampPerS: number;
  /** connections: which socket kind to hold open ('auto' = dashboards when the target has agent-presence). */
  transport: 'auto' | 'pusher' | 'dashboard';
  /** capacity: first step's rate, multiplier per step, and seconds per step. */
  stepStartRate: number;
  stepFactor: number;
  stepS: number;
  /**
   * capacity: seconds measured in the steps that decide the figure: a re-run of a step that missed, a
   * bisection, going down (0 = stepS). Near the limit p99 turns on a few stalls; a longer window weighs
   * each one less, so repeated searches agree more closely.
   */
  confirmStepS: number;
  /** capacity: the highest rate tried. */
  maxRate: number;
  /**
   * capacity: how close the search gets: it bisects until the lowest rate that failed twice is at most the
   * highest that held × (1 + resolution). 0.1: the figure is within 10 % below the hub's limit.
   */
  resolution: number;
  /** capacity: whole searches run one after another; the figure is their median, reported with the range. */
  repeat: number;
  /** agents: near-duplicate bursts per session per second, and plain todos per session per second. */
  burstsPerS: number;
  todosPerS: number;
  /** browser: what the Chromium pages run: hubproof's measuring page (default) or the target's own `/dashboard`. */
  page: 'hubproof' | 'hub';
  /** soak: seconds from one cycle's start to the next (connect, subscribe, publish, receive, leave). */
  cycleS: number;
  /** storm: seconds the hub stays down (from the stop until it is started again; embedded hub only). */
  outageS: number;
  /** storm: how the embedded hub is stopped: SIGTERM (a deploy: connections closed with 4200) or SIGKILL (a crash). */
  stopSignal: 'SIGTERM' | 'SIGKILL';
  /** storm: seconds after the hub answers again to wait for every subscription to come back. */
  recoverS: number;
  thresholds: Thresholds;
}

/** What a scenario file (load/scenarios/<name>.json) holds: the fields it is about, and its thresholds. */
export type ScenarioFile = Pick<Scenario, 'name' | 'kind' | 'description'> &
  Partial<Omit<Scenario, 'name' | 'kind' | 'description' | 'thresholds'>> & {
    /** Threshold names (each takes its docs/protocol.md target from defaults.json), or explicit limits. */
    thresholds: Array<keyof Thresholds> | Thresholds;
  };

/** load/scenarios/defaults.json: the fields every scenario starts from, and the docs/protocol.md targets. */
export interface ScenarioDefaults {
  fields: Omit<Scenario, 'name' | 'kind' | 'description' | 'thresholds'>;
  thresholds: Required<Thresholds>;
}

/** docs/protocol.md targets. */
export const DEFAULT_THRESHOLDS: Required<Thresholds> = defaults.thresholds;

/** Fields every scenario starts from; each scenario file overrides what it is about. */
export const SCENARIO_DEFAULTS: ScenarioDefaults['fields'] = defaults.fields as ScenarioDefaults['fields'];
