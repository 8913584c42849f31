/**
 * Turns a scenario file (load/scenarios/<name>.json) into a Scenario: defaults first, then the file's
 * fields, thresholds named in the file taking their docs/protocol.md targets. Pure (no Node or k6 imports):
 * the Node driver and the k6 scripts both compose scenarios with it, from the same JSON.
 */
import { HubproofError } from '../../spec/errors.ts';
import type { Scenario, ScenarioDefaults, ScenarioFile, Thresholds } from './types.ts';

export function composeScenario(defaults: ScenarioDefaults, file: ScenarioFile, source = `${file.name}.json`): Scenario {
  const known = new Set([...Object.keys(defaults.fields), 'name', 'kind', 'description', 'thresholds']);
  const unknown = Object.keys(file).filter((k) => !known.has(k));
  if (unknown.length)
    throw new HubproofError(
      'HUBPROOF_ERR_SCENARIO',
      `${source}: unknown field ${unknown.map((k) => `"${k}"`).join(', ')}; known: ${[...known].join(', ')}`,
    );
  const { thresholds, ...fields } = file;
  let limits: Thresholds;
  if (Array.isArray(thresholds)) {
    limits = {};
    for (const name of thresholds) {
      if (!(name in defaults.thresholds))
        throw new HubproofError(
          'HUBPROOF_ERR_SCENARIO',
          `${source}: unknown threshold "${name}"; known: ${Object.keys(defaults.thresholds).join(', ')}`,
        );
      limits[name] = defaults.thresholds[name];
    }
  } else limits = { ...thresholds };
  return { ...structuredCloneLite(defaults.fields), ...fields, thresholds: limits };
}

/** The defaults are flat numbers and strings: a spread copies them (k6 has no structuredClone). */
const structuredCloneLite = <T extends object>(o: T): T => ({ ...o });
