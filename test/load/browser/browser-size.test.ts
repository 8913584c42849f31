/** The browser scenario's default size: pages and rate from the machine's cores, within the scenario file's full size. */
import { describe, expect, it } from 'vitest';
import { browserSize, sizeForMachine } from '../../../load/browser/browser-size.ts';
import { findScenario } from '../../../load/scenarios/index.ts';

const FULL = { pages: 5, rate: 1000 };

describe('browser scenario size', () => {
  it('runs one page at 250 updates/s on 2 cores, as measured to pass there', () => {
    expect(browserSize(2, FULL)).toEqual({ pages: 1, rate: 250, cores: 2 });
    expect(browserSize(1, FULL)).toMatchObject({ pages: 1, rate: 250 });
  });

  it('grows with the cores, never past the scenario file’s full size', () => {
    let last = { pages: 0, rate: 0 };
    for (let cores = 1; cores <= 64; cores++) {
      const s = browserSize(cores, FULL);
      expect(s.pages * s.rate).toBeGreaterThanOrEqual(last.pages * last.rate);
      expect(s.pages).toBeLessThanOrEqual(FULL.pages);
      expect(s.rate).toBeLessThanOrEqual(FULL.rate);
      last = s;
    }
    expect(last).toMatchObject(FULL);
    expect(browserSize(64, { pages: 2, rate: 100 })).toMatchObject({ pages: 2, rate: 100 });
  });

  it('sizes only the browser scenario, as one dashboard session of pages', () => {
    const browser = findScenario('browser');
    expect(sizeForMachine(browser, 2)).toMatchObject({ pages: 1, rate: 250 });
    expect(browser).toMatchObject({ channels: 1, subscribersPerChannel: 1, rate: 250 });
    const fanout = findScenario('fanout');
    expect(sizeForMachine(fanout, 2)).toBeUndefined();
    expect(fanout).toEqual(findScenario('fanout'));
  });
});
