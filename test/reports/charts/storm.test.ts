/** The storm chart: one bar per second with reconnects, the outage shaded from the stop to the hub answering again. */
import { describe, expect, it } from 'vitest';
import { stormSvg } from '../../../reports/charts/storm.ts';
import type { StormFigures } from '../../../load/storm/storm-types.ts';

const second = (t: number, reconnects: number, down = false) => ({
  t,
  reconnects,
  restored: reconnects * 3,
  published: 20,
  refused: down ? 20 : 0,
  delivered: 0,
  down,
});

const figures = {
  restart: { how: 'x', outageAskedS: 2, downAtS: 3, backAtS: 5 },
  timeline: [second(0, 0), second(1, 0), second(2, 0), second(3, 0, true), second(4, 0, true), second(5, 0), second(6, 150), second(7, 50)],
} as unknown as StormFigures;

describe('storm chart', () => {
  it('draws a bar for each second with reconnects, titled with its count, and shades the outage', () => {
    const svg = stormSvg(figures);
    expect(svg.match(/class="bar reconnects"/g)).toHaveLength(2);
    expect(svg).toContain('<title>6–7 s: 150 reconnects</title>');
    expect(svg).toMatch(/<rect class="outage" x="[\d.]+" y="\d+" width="[1-9][\d.]*"/);
  });

  it('says so when there is no timeline', () => {
    expect(stormSvg({ ...figures, timeline: [] })).toContain('no timeline');
  });
});
