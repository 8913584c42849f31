import { DEFAULT_THRESHOLDS, SCENARIO_DEFAULTS, type Scenario } from './types.ts';

/**
 * Raises the fanout rate step by step until p99 propagation passes the threshold (or reach drops, or the
 * driver saturates); reports the last good step. Informational by default: it has no pass/fail floor
 * unless `--set thresholds.minRate=N` asks for one.
 */
export const capacity: Scenario = {
  ...SCENARIO_DEFAULTS,
  name: 'capacity',
  kind: 'capacity',
  description: 'Step the fanout rate up until p99 propagation exceeds the threshold; the last good step is the capacity',
  rate: 500,
  publishers: 10,
  channels: 10,
  subscribersPerChannel: 10,
  durationS: 4,
  warmupS: 1,
  stepStartRate: 500,
  stepFactor: 1.5,
  stepS: 4,
  maxRate: 50_000,
  thresholds: { p99Ms: DEFAULT_THRESHOLDS.p99Ms },
};
