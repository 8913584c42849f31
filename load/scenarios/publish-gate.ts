/**
 * The publish-error gate, the same for the Node driver and the k6 scripts (pure: no Node or k6 imports),
 * so a Node shard and a k6 instance of one test judge the same thresholds and their reports merge.
 */
import type { Scenario } from './types.ts';

/**
 * Reach counts only what the hub accepted (a refused or unanswered publish is not a lost delivery), so the
 * scenarios that account that way also fail on publish errors, unless `--set thresholds.maxPublishErrors=N|off`.
 * Not capacity (its steps judge publish errors), browser (its pages still count them as lost) nor soak (it
 * judges its own rows).
 */
const GATED: ReadonlyArray<Scenario['kind']> = ['fanout', 'presence', 'connections', 'agents'];
export function gatePublishErrors(s: Scenario): Scenario {
  if (GATED.includes(s.kind) && s.thresholds.maxPublishErrors === undefined) s.thresholds.maxPublishErrors = 0;
  return s;
}
