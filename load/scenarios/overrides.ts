/**
 * Scenario overrides: `--duration`, `--rate`, `--subscribers` and `--set key=value` on the command line,
 * `-e SET=key=value,…` in the k6 scripts. Pure (no Node or k6 imports), so both apply them the same way.
 */
import { HubproofError } from '../../spec/errors.ts';
import type { Scenario, Thresholds } from './types.ts';

const NUMERIC_KEYS = [
  'rate',
  'publishers',
  'channels',
  'subscribersPerChannel',
  'durationS',
  'warmupS',
  'payloadBytes',
  'workers',
  'rampPerS',
  'stepStartRate',
  'stepFactor',
  'stepS',
  'confirmStepS',
  'maxRate',
  'resolution',
  'repeat',
  'burstsPerS',
  'todosPerS',
  'cycleS',
  'outageS',
  'recoverS',
] as const satisfies ReadonlyArray<keyof Scenario>;
const THRESHOLD_KEYS = [
  'p99Ms',
  'minRate',
  'minReach',
  'maxMbPer1000',
  'conflictP99Ms',
  'maxPublishErrors',
  'rssMbPerHour',
  'fdsPerHour',
  'leftovers',
  'rssReturnMb',
  'fdsReturn',
  'idleCpuPct',
  'reapDestroyed',
  'reapUnresponsive',
  'reapSilent',
  'restoreS',
  'unrestored',
  'maxDuplicated',
  'presenceWrong',
] as const satisfies ReadonlyArray<keyof Thresholds>;

/** Applies one `key=value`; `thresholds.p99Ms=20` sets a threshold, `thresholds.p99Ms=off` removes it. */
export function applyOverride(s: Scenario, assignment: string): Scenario {
  const eq = assignment.indexOf('=');
  if (eq <= 0) throw new HubproofError('HUBPROOF_ERR_SCENARIO', `--set expects key=value, got "${assignment}"`);
  const key = assignment.slice(0, eq).trim();
  const raw = assignment.slice(eq + 1).trim();
  if (key.startsWith('thresholds.')) {
    const t = key.slice('thresholds.'.length) as keyof Thresholds;
    if (!(THRESHOLD_KEYS as readonly string[]).includes(t)) {
      throw new HubproofError('HUBPROOF_ERR_SCENARIO', `unknown threshold "${t}"; known: ${THRESHOLD_KEYS.join(', ')}`);
    }
    if (raw === 'off') delete s.thresholds[t];
    else s.thresholds[t] = toNumber(key, raw, 0);
    return s;
  }
  if (key === 'transport') {
    if (raw !== 'auto' && raw !== 'pusher' && raw !== 'dashboard') {
      throw new HubproofError('HUBPROOF_ERR_SCENARIO', `transport must be auto, pusher or dashboard, got "${raw}"`);
    }
    s.transport = raw;
    return s;
  }
  if (key === 'page') {
    if (raw !== 'hubproof' && raw !== 'hub') throw new HubproofError('HUBPROOF_ERR_SCENARIO', `page must be hubproof or hub, got "${raw}"`);
    s.page = raw;
    return s;
  }
  if (key === 'stopSignal') {
    if (raw !== 'SIGTERM' && raw !== 'SIGKILL')
      throw new HubproofError('HUBPROOF_ERR_SCENARIO', `stopSignal must be SIGTERM or SIGKILL, got "${raw}"`);
    s.stopSignal = raw;
    return s;
  }
  if ((NUMERIC_KEYS as readonly string[]).includes(key)) {
    const min =
      key === 'warmupS' ||
      key === 'workers' ||
      key === 'payloadBytes' ||
      key === 'burstsPerS' ||
      key === 'todosPerS' ||
      key === 'confirmStepS' ||
      key === 'outageS'
        ? 0
        : Number.MIN_VALUE;
    const n = toNumber(key, raw, min);
    if (key === 'repeat' && !Number.isInteger(n))
      throw new HubproofError('HUBPROOF_ERR_SCENARIO', `repeat must be a whole number ≥ 1, got "${raw}"`);
    (s as unknown as Record<string, number>)[key] = n;
    return s;
  }
  throw new HubproofError(
    'HUBPROOF_ERR_SCENARIO',
    `unknown scenario field "${key}"; known: ${[...NUMERIC_KEYS, 'transport', 'page', 'stopSignal', ...THRESHOLD_KEYS.map((t) => `thresholds.${t}`)].join(', ')}`,
  );
}

function toNumber(key: string, raw: string, min: number): number {
  const n = Number(raw);
  if (raw === '' || !Number.isFinite(n) || n < min) {
    throw new HubproofError(
      'HUBPROOF_ERR_SCENARIO',
      `${key} must be a number ${min === Number.MIN_VALUE ? '> 0' : `≥ ${min}`}, got "${raw}"`,
    );
  }
  return n;
}

export interface ScenarioOverrides {
  durationS?: number;
  rate?: number;
  /** Subscribers per channel. */
  subscribers?: number;
  /** `key=value` assignments for every scenario, or `name:key=value` for scenario `name` only; applied last. */
  set?: string[];
}

/** `scenarioNames`, when given, are the names a `name:key=value` may scope to (others are refused). */
export function applyOverrides(s: Scenario, o: ScenarioOverrides, scenarioNames?: readonly string[]): Scenario {
  if (o.durationS !== undefined) applyOverride(s, `durationS=${o.durationS}`);
  if (o.rate !== undefined) applyOverride(s, `rate=${o.rate}`);
  if (o.subscribers !== undefined) applyOverride(s, `subscribersPerChannel=${o.subscribers}`);
  for (const a of o.set ?? []) {
    const scoped = /^([a-z][a-z0-9-]*):(.*)$/.exec(a);
    if (!scoped) applyOverride(s, a);
    else if (scenarioNames && !scenarioNames.includes(scoped[1]!)) {
      throw new HubproofError('HUBPROOF_ERR_SCENARIO', `--set ${a}: no scenario "${scoped[1]}"; choose one of ${scenarioNames.join(', ')}`);
    } else if (scoped[1] === s.name) applyOverride(s, scoped[2]!);
  }
  return s;
}
