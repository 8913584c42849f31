/**
 * The scenario a script runs: load/scenarios/<name>.json over defaults.json, the same files and the same
 * composition the Node driver uses, then `-e` overrides. Files are found beside this module with
 * import.meta.resolve, because k6 resolves a bare relative open() path against the entry script.
 */
import { composeScenario } from '../../scenarios/compose.ts';
import { applyOverride } from '../../scenarios/overrides.ts';
import { gatePublishErrors } from '../../scenarios/publish-gate.ts';
import type { Scenario, ScenarioDefaults, ScenarioFile } from '../../scenarios/types.ts';
import { DEFAULT_CORES, sizeRate } from './sizing.ts';
import { envNumber } from './target.ts';

/** `-e NAME=value` → scenario field (`-e SET=key=value,key=value` reaches any field). */
const ENV_FIELDS: Record<string, string> = {
  RATE: 'rate',
  DURATION: 'durationS',
  WARMUP: 'warmupS',
  CHANNELS: 'channels',
  SUBSCRIBERS: 'subscribersPerChannel',
  PUBLISHERS: 'publishers',
  PAYLOAD_BYTES: 'payloadBytes',
  P99_MS: 'thresholds.p99Ms',
  CONFLICT_P99_MS: 'thresholds.conflictP99Ms',
};

/** A module-relative URL → a path open() takes (older k6 builds do not accept file:// URLs). */
const toPath = (url: string): string => decodeURIComponent(url.replace(/^file:\/\//, ''));

function openJson<T>(relative: string): T {
  return JSON.parse(open(toPath(import.meta.resolve(relative)))) as T;
}

export function loadScenario(name: string): Scenario {
  const s = gatePublishErrors(
    composeScenario(openJson<ScenarioDefaults>('../../scenarios/defaults.json'), openJson<ScenarioFile>(`../../scenarios/${name}.json`)),
  );
  for (const [env, key] of Object.entries(ENV_FIELDS)) {
    const raw = __ENV[env];
    if (raw !== undefined && raw !== '') applyOverride(s, `${key}=${raw}`);
  }
  for (const a of (__ENV.SET ?? '').split(',')) if (a.trim()) applyOverride(s, a.trim());
  return s;
}

/** True when the run names its own rate (`-e RATE`, or `rate=` in `-e SET`). */
export function rateGiven(): boolean {
  if (__ENV.RATE !== undefined && __ENV.RATE !== '') return true;
  return (__ENV.SET ?? '').split(',').some((a) => a.trim().startsWith('rate='));
}

/**
 * A broadcast scenario sized for this machine (load/k6/lib/sizing.ts): unless the run names its own rate
 * or is one shard of a test (the shards run the scenario file's test between them), a rate k6 could not
 * generate here with headroom is lowered, and a rate floor (minRate) the lowered rate cannot show is not
 * judged. Returns the report's note when it sized the run.
 */
export function sizeForMachine(s: Scenario, cost: { sendCpuMs: number; deliveriesPerSend: number }): string | undefined {
  if (rateGiven() || (__ENV.SHARD ?? '') !== '') return undefined;
  const size = sizeRate(s.rate, cost, envNumber('CORES', DEFAULT_CORES));
  if (size.rate >= s.rate) return undefined;
  s.rate = size.rate;
  let floor = '';
  if (s.thresholds.minRate !== undefined && s.thresholds.minRate > size.rate) {
    floor = `; the ≥ ${s.thresholds.minRate}/s floor (minRate) is not judged at this rate`;
    delete s.thresholds.minRate;
  }
  return `sized for ${size.cores} cores (-e CORES=${size.cores}${__ENV.CORES ? '' : ', k6 cannot see them'}): ${size.full}/s would take k6 about ${Math.round(((size.plannedCores * size.full) / size.rate) * 10) / 10} cores, so ${size.rate}/s (${size.plannedCores} of the ${size.budgetCores} planned for k6, load/k6/lib/sizing.ts)${floor}; -e RATE=${size.full} or -e CORES=N runs more`;
}
