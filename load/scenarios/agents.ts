import { DEFAULT_THRESHOLDS, SCENARIO_DEFAULTS, type Scenario } from './types.ts';

/**
 * Agent sessions of up to 10 participants: join, heartbeat, create todos and bursts of near-duplicate
 * todos; conflict resolution is timed from the second create request to AgentConflictResolved at every
 * session subscriber. `rate` is the heartbeat rate over all participants.
 */
export const agents: Scenario = {
  ...SCENARIO_DEFAULTS,
  name: 'agents',
  kind: 'agents',
  description: 'Sessions of agents joining, heartbeating and creating near-duplicate todos; conflict resolution latency',
  rate: 50,
  publishers: 1,
  channels: 10,
  subscribersPerChannel: 10,
  durationS: 10,
  warmupS: 2,
  burstsPerS: 1,
  todosPerS: 2,
  thresholds: {
    p99Ms: DEFAULT_THRESHOLDS.p99Ms,
    conflictP99Ms: DEFAULT_THRESHOLDS.conflictP99Ms,
    minReach: DEFAULT_THRESHOLDS.minReach,
  },
};
