import { describe, expect, it } from 'vitest';
import type { CapacityStep } from '../../../load/report-types.ts';
import { capacitySearchSvg } from '../../../reports/charts/capacity-search.ts';

const step = (rate: number, ok: boolean, p99Ms: number, stage: CapacityStep['stage'] = 'ramp'): CapacityStep => ({
  rate,
  stage,
  p99Ms,
  reach: ok ? 1 : 0.9993,
  deliveredPerS: rate * 10,
  driverSaturated: false,
  driverCpuShare: 0.2,
  driverLagMs: 1,
  hubCpuPct: 40,
  ok,
  ...(ok ? {} : { failure: `p99 ${p99Ms} ms ≥ 50 ms` }),
});

describe('capacity search chart', () => {
  it('draws every step twice (p99 and reach), a cross where it missed, and each search its figure line and legend', () => {
    const svg = capacitySearchSvg(
      [
        {
          label: 'hub-a',
          color: '#0969da',
          steps: [step(500, true, 4), step(750, false, 71), step(750, true, 9, 'retry'), step(1125, false, 90)],
          figure: 750,
        },
        { label: 'hub-b', color: '#bc4c00', steps: [step(500, true, 6), step(750, false, 80), step(750, false, 82, 'retry')], figure: 500 },
      ],
      50,
    );
    expect(svg.match(/class="step held"/g)).toHaveLength(2 * 3);
    expect(svg.match(/class="step missed"/g)).toHaveLength(2 * 4);
    expect(svg.match(/class="figure"/g)).toHaveLength(2);
    expect(svg).toContain('hub-a → 750/s');
    expect(svg).toContain('hub-b → 500/s');
    expect(svg).toContain('p99 limit 50 ms');
    expect(svg).toContain('hub-a: 750/s (retry), p99 9 ms, reach 1, held');
    expect(svg).not.toMatch(/NaN|Infinity/);
  });

  it('says so when there is nothing to draw', () => {
    expect(capacitySearchSvg([], 50)).toContain('no steps');
  });
});
