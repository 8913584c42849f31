import { DEFAULT_THRESHOLDS, SCENARIO_DEFAULTS, type Scenario } from './types.ts';

/**
 * 1000+ presence updates/s from many agents to many /ws/broadcasts dashboards. `channels` is the number of
 * dashboard session_ids; each holds `subscribersPerChannel` dashboards, kept ≤ the hub's 10-per-session cap.
 */
export const presence: Scenario = {
  ...SCENARIO_DEFAULTS,
  name: 'presence',
  kind: 'presence',
  description: 'POST /api/presence/{agent}/events at 1000/s fanned out to every /ws/broadcasts dashboard',
  rate: 1000,
  publishers: 20,
  channels: 10,
  subscribersPerChannel: 4,
  durationS: 10,
  warmupS: 2,
  thresholds: {
    p99Ms: DEFAULT_THRESHOLDS.p99Ms,
    minRate: DEFAULT_THRESHOLDS.minRate,
    minReach: DEFAULT_THRESHOLDS.minReach,
  },
};
