import { describe, expect, it } from 'vitest';
import { applyOverrides, findScenario } from '../../../load/scenarios/index.ts';

describe('scenario overrides scoped to one scenario', () => {
  it('applies name:key=value to that scenario only, after the unscoped ones', () => {
    const set = ['rate=300', 'browser:rate=250', 'browser:subscribersPerChannel=1'];
    const browser = applyOverrides(findScenario('browser'), { set });
    const fanout = applyOverrides(findScenario('fanout'), { set });
    expect([browser.rate, browser.subscribersPerChannel]).toEqual([250, 1]);
    expect([fanout.rate, fanout.subscribersPerChannel]).toEqual([300, findScenario('fanout').subscribersPerChannel]);
  });

  it('refuses a scope that names no scenario, and a bad field inside a scope', () => {
    expect(() => applyOverrides(findScenario('fanout'), { set: ['browsr:rate=1'] })).toThrow(/no scenario "browsr"/);
    expect(() => applyOverrides(findScenario('browser'), { set: ['browser:page=nope'] })).toThrow(/page must be hubproof or hub/);
  });
});
