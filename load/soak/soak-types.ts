/** What a soak run reports beside the usual figures (`ScenarioResult.soak`); see docs/soak.md. */
import type { GrowthFit } from './growth.ts';

/** How a cycle's subscribed clients leave, round robin. */
export const LEAVE_KINDS = ['close', 'unsubscribe', 'destroy', 'unresponsive'] as const;
export type LeaveKind = (typeof LEAVE_KINDS)[number];

/** Connections the hub must close by itself: gone without a close frame, stopped answering, never subscribed. */
export const REAP_KINDS = ['destroyed', 'unresponsive', 'silent'] as const;
export type ReapKind = (typeof REAP_KINDS)[number];

export interface NodeSample {
  /** 1-based. */
  node: number;
  rssMb: number | null;
  fds: number | null;
  /** CPU since the previous sample, % of one core. */
  cpuPct: number | null;
}

/** One sample, taken at a cycle's start. */
export interface SoakSample {
  cycle: number;
  /** Seconds since the first cycle was due. */
  t: number;
  /** How late the cycle started against its schedule, ms. */
  lateMs: number;
  warmup: boolean;
  nodes: NodeSample[];
  /** From the hub's HTTP API, this run's channels only (null when the API did not answer). */
  occupied: number | null;
  subscriptions: number | null;
  members: number | null;
  /** Abandoned connections hubproof still waits for the hub to close. */
  awaitingReap: number;
}

export interface ReapFigures {
  kind: ReapKind;
  /** Connections of this kind the run abandoned. */
  count: number;
  reaped: number;
  /** Still held by the hub at the deadline (hubproof then closed them itself). */
  notReaped: number;
  /** Seconds from leaving (or connecting, for silent) to the hub letting go. */
  p50S: number | null;
  maxS: number | null;
  /** One line per connection not reaped (the first few). */
  examples: string[];
}

export interface NodeReturn {
  node: number;
  pid: number;
  baselineRssMb: number | null;
  endRssMb: number | null;
  baselineFds: number | null;
  endFds: number | null;
  /** CPU before the first cycle and once idle after the run, % of one core. */
  baselineCpuPct: number | null;
  idleCpuPct: number | null;
}

export interface ReturnFigures {
  /** Seconds after the last client left that the API had nothing of the run left (null: never within the bound). */
  apiCleanAfterS: number | null;
  /** One line per leftover, naming it. */
  leftovers: string[];
  nodes: NodeReturn[];
}

export interface SoakBound {
  activityTimeoutS: number;
  pongTimeoutMs: number;
  /** Where the two came from. */
  source: string;
  /** activity + pong, seconds; and the deadline with the harness's slack (×1.1 + 2 s). */
  boundS: number;
  deadlineS: number;
}

export interface SoakFigures {
  cycleS: number;
  cycles: number;
  /** Cycles that started more than half a cycle late. */
  lateCycles: number;
  maxLateMs: number;
  /** Whole run: first cycle to the return verdict, seconds. */
  runS: number;
  warmup: { seconds: number; samples: number; why: string };
  bound: SoakBound;
  /** Processes sampled, 1-based node → pid. */
  pids: Array<{ node: number; pid: number }>;
  /** Parts not measured and why (no pid, API without subscription_count…). */
  notMeasured: string[];
  samples: SoakSample[];
  growth: GrowthFit[];
  return: ReturnFigures;
  reaping: ReapFigures[];
}
