/**
 * The scenario registry: load/scenarios/<name>.json composed over defaults.json (the k6 scripts read the
 * same files with `open()`), and the CLI overrides (`--duration`, `--rate`, `--subscribers`, `--set`).
 */
import { HubproofError } from '../../spec/errors.ts';
import agents from './agents.json' with { type: 'json' };
import browser from './browser.json' with { type: 'json' };
import capacity from './capacity.json' with { type: 'json' };
import connections from './connections.json' with { type: 'json' };
import defaults from './defaults.json' with { type: 'json' };
import fanout from './fanout.json' with { type: 'json' };
import presence from './presence.json' with { type: 'json' };
import soak from './soak.json' with { type: 'json' };
import storm from './storm.json' with { type: 'json' };
import { composeScenario } from './compose.ts';
import { gatePublishErrors } from './publish-gate.ts';
import { applyOverrides as applyOverridesTo, type ScenarioOverrides } from './overrides.ts';
import type { Scenario, ScenarioDefaults, ScenarioFile } from './types.ts';

export * from './types.ts';
export { applyOverride, type ScenarioOverrides } from './overrides.ts';

export const SCENARIOS: readonly Scenario[] = [connections, fanout, presence, agents, capacity, browser, soak, storm].map((f) =>
  gatePublishErrors(composeScenario(defaults as ScenarioDefaults, f as ScenarioFile)),
);

/**
 * What a plain `npm run load` runs: short, capacity opt-in (it searches). connections runs first so the
 * hub's RSS baseline is not inflated (or its heap pre-grown) by the other scenarios' traffic.
 */
export const DEFAULT_SCENARIO_NAMES = ['connections', 'fanout', 'presence', 'agents'] as const;

export function findScenario(name: string): Scenario {
  const s = SCENARIOS.find((x) => x.name === name);
  if (!s) {
    throw new HubproofError(
      'HUBPROOF_ERR_SCENARIO',
      `unknown scenario "${name}"; choose one of ${SCENARIOS.map((x) => x.name).join(', ')} or all`,
    );
  }
  return structuredClone(s);
}

/** `fanout`, `fanout,presence`, `all` → scenarios. */
export function selectScenarios(spec: string | undefined): Scenario[] {
  if (spec === undefined || spec === 'default') return DEFAULT_SCENARIO_NAMES.map(findScenario);
  if (spec === 'all') return SCENARIOS.map((s) => structuredClone(s));
  return spec.split(',').map((n) => findScenario(n.trim()));
}

/** The CLI's overrides; `name:key=value` may scope to any scenario of the registry. */
export function applyOverrides(s: Scenario, o: ScenarioOverrides): Scenario {
  return applyOverridesTo(
    s,
    o,
    SCENARIOS.map((x) => x.name),
  );
}
