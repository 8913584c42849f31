import { DEFAULT_THRESHOLDS, SCENARIO_DEFAULTS, type Scenario } from './types.ts';

/** Signed HTTP API publishes at a fixed rate into public channels with many subscribers each. */
export const fanout: Scenario = {
  ...SCENARIO_DEFAULTS,
  name: 'fanout',
  kind: 'fanout',
  description: 'Signed POST /apps/{id}/events at a fixed rate into channels with many subscribers; propagation at every subscriber',
  rate: 500,
  publishers: 10,
  channels: 10,
  subscribersPerChannel: 20,
  durationS: 10,
  warmupS: 2,
  thresholds: { p99Ms: DEFAULT_THRESHOLDS.p99Ms, minReach: DEFAULT_THRESHOLDS.minReach },
};
