import { DEFAULT_THRESHOLDS, SCENARIO_DEFAULTS, type Scenario } from './types.ts';

/**
 * Ramp to `channels × subscribersPerChannel` subscribed, mostly idle clients and sample the hub's RSS:
 * MB per 1000 clients. A trickle of events (`rate`) proves the idle clients are still served.
 */
export const connections: Scenario = {
  ...SCENARIO_DEFAULTS,
  name: 'connections',
  kind: 'connections',
  description: 'Ramp to N subscribed idle clients; hub RSS per 1000 connections, with a trickle of events for reach',
  rate: 5,
  publishers: 1,
  channels: 100,
  subscribersPerChannel: 10,
  durationS: 5,
  warmupS: 1,
  rampPerS: 500,
  thresholds: { maxMbPer1000: DEFAULT_THRESHOLDS.maxMbPer1000, minReach: DEFAULT_THRESHOLDS.minReach },
};
