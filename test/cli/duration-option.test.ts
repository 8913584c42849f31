import { describe, expect, it } from 'vitest';
import { durationOption } from '../../cli/duration-option.ts';

describe('durationOption', () => {
  it('reads seconds, and 90s, 30m, 1.5h', () => {
    expect(['90', '90s', '30m', '1.5h', ' 2h '].map((v) => durationOption('duration', v))).toEqual([90, 90, 1800, 5400, 7200]);
    expect(durationOption('duration', undefined)).toBeUndefined();
  });

  it('refuses anything else with a usage error naming the flag', () => {
    for (const bad of ['', '0', '-5m', '3x', '1h30m', 'm'])
      expect(() => durationOption('soak-duration', bad)).toThrow(/^--soak-duration must be a duration > 0: seconds \(90\) or with a unit/);
  });
});
