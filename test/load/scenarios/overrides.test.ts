import { describe, expect, it } from 'vitest';
import { HubproofError } from '../../../spec/errors.ts';
import { applyOverrides, findScenario, selectScenarios } from '../../../load/scenarios/index.ts';
import { DEFAULT_THRESHOLDS } from '../../../load/scenarios/types.ts';

describe('scenarios as data', () => {
  it('default selection is connections (first, for a clean RSS baseline), fanout, presence, agents', () => {
    expect(selectScenarios(undefined).map((s) => s.name)).toEqual(['connections', 'fanout', 'presence', 'agents']);
    expect(selectScenarios('all').map((s) => s.name)).toContain('capacity');
  });

  it('takes its thresholds from docs/protocol.md', () => {
    expect(findScenario('presence').thresholds).toMatchObject({ p99Ms: 50, minRate: 1000, minReach: 1 });
    expect(findScenario('agents').thresholds.conflictP99Ms).toBe(DEFAULT_THRESHOLDS.conflictP99Ms);
    expect(findScenario('connections').thresholds.maxMbPer1000).toBe(100);
  });

  it('applies --duration, --rate, --subscribers and --set', () => {
    const s = applyOverrides(findScenario('fanout'), {
      durationS: 3,
      rate: 42,
      subscribers: 7,
      set: ['channels=2', 'thresholds.p99Ms=20', 'thresholds.minReach=off'],
    });
    expect(s).toMatchObject({ durationS: 3, rate: 42, subscribersPerChannel: 7, channels: 2 });
    expect(s.thresholds.p99Ms).toBe(20);
    expect(s.thresholds.minReach).toBeUndefined();
  });

  it('does not change the registry when overriding', () => {
    applyOverrides(findScenario('fanout'), { rate: 1 });
    expect(findScenario('fanout').rate).toBe(500);
  });

  it.each([['nope=1'], ['rate=abc'], ['rate=-1'], ['thresholds.speed=1'], ['transport=udp'], ['rate']])(
    'rejects --set %s with a coded error',
    (a) => {
      expect(() => applyOverrides(findScenario('fanout'), { set: [a] })).toThrow(HubproofError);
    },
  );

  it('rejects an unknown scenario name', () => {
    expect(() => selectScenarios('fanout,warp')).toThrow(/unknown scenario "warp"/);
  });
});
