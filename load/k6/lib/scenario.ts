/**
 * The scenario a script runs: load/scenarios/<name>.json over defaults.json, the same files and the same
 * composition the Node driver uses, then `-e` overrides. Files are found beside this module with
 * import.meta.resolve, because k6 resolves a bare relative open() path against the entry script.
 */
import { composeScenario } from '../../scenarios/compose.ts';
import { applyOverride } from '../../scenarios/overrides.ts';
import type { Scenario, ScenarioDefaults, ScenarioFile } from '../../scenarios/types.ts';

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
  const s = composeScenario(
    openJson<ScenarioDefaults>('../../scenarios/defaults.json'),
    openJson<ScenarioFile>(`../../scenarios/${name}.json`),
  );
  for (const [env, key] of Object.entries(ENV_FIELDS)) {
    const raw = __ENV[env];
    if (raw !== undefined && raw !== '') applyOverride(s, `${key}=${raw}`);
  }
  for (const a of (__ENV.SET ?? '').split(',')) if (a.trim()) applyOverride(s, a.trim());
  return s;
}
