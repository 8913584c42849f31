import { SCENARIO_DEFAULTS, type Scenario } from './types.ts';

/**
 * End to end through real browsers: presence updates at `rate` from `publishers` agents into
 * `channels × subscribersPerChannel` Chromium pages (dashboard session_ids × pages per session, kept
 * under the hub's per-session cap), each running hubproof's measuring page (`page: 'hub'`: the target's
 * own /dashboard). Latency runs from each update's scheduled send to the moment a page has applied it to
 * its DOM, beside the wire latency of the same updates at one driver-side dashboard, reach, and the
 * pages' long tasks.
 */
export const browser: Scenario = {
  ...SCENARIO_DEFAULTS,
  name: 'browser',
  kind: 'browser',
  description: 'Presence updates into real Chromium pages; latency from scheduled send to applied in the page DOM, beside the wire',
  rate: 1000,
  publishers: 200,
  channels: 1,
  subscribersPerChannel: 5,
  durationS: 10,
  warmupS: 2,
  workers: 1,
  page: 'hubproof',
  thresholds: {
    /**
     * The design's budget from tool execution to the browser: broadcast < 50 ms plus render < 50 ms,
     * "~100 ms typical" (sources/agent-presence-dashboard.txt).
     */
    p99Ms: 100,
    minReach: 1,
  },
};
