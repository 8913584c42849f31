/** The browser scenario's arithmetic, without a browser: page clock → driver clock, reach, order, long tasks, frames. */
import { describe, expect, it } from 'vitest';
import { analysePages, type PageRecording, type PhaseWindow } from '../../../load/browser/page-samples.ts';

// Schedule from 10 s to 12 s on the driver clock; measured from 11 s; stream 0 sends seq 3…4 in the window.
const W: PhaseWindow = { startUs: 10_000_000, measureFromUs: 11_000_000, endUs: 12_000_000, ranges: { 0: [3, 4] } };
/** The page's clock reads 0 at driver 9 s. */
const OFFSET = 9_000_000;
const pageMs = (driverUs: number): number => (driverUs - OFFSET) / 1000;

function page(
  applied: Array<[seq: number, after: number, scheduledUs: number, appliedUs: number]>,
  extra: Partial<PageRecording> = {},
): PageRecording {
  return {
    offsetUs: OFFSET,
    received: applied.flatMap(([seq, after, sched, at]) => [0, seq, after, sched, pageMs(at - 5_000)]),
    applied: applied.flatMap(([seq, after, sched, at]) => [0, seq, after, sched, pageMs(at)]),
    longTasks: [],
    frames: [],
    closes: [],
    ...extra,
  };
}

describe('analysePages', () => {
  it('times each update from its scheduled send to the page applying it, on the driver clock', () => {
    const a = analysePages(
      [
        page([
          [3, 2, 11_100_000, 11_130_000],
          [4, 3, 11_200_000, 11_260_000],
        ]),
      ],
      W,
    );
    expect(a.endToEnd.totalCount).toBe(2);
    expect(a.endToEnd.minNonZeroValue).toBeGreaterThanOrEqual(29_900);
    expect(a.endToEnd.maxValue).toBeLessThanOrEqual(60_100);
    // Received 5 ms before applied.
    expect(a.receive.maxValue).toBeLessThanOrEqual(55_100);
    expect(a.delivery).toMatchObject({ expected: 2, received: 2, lost: 0, reach: 1 });
  });

  it('counts an update the page never applied as lost, at that page only', () => {
    const a = analysePages(
      [
        page([
          [3, 2, 11_100_000, 11_130_000],
          [4, 3, 11_200_000, 11_230_000],
        ]),
        page([[4, 3, 11_200_000, 11_230_000]]),
      ],
      W,
    );
    expect(a.delivery).toMatchObject({ expected: 4, received: 3, lost: 1 });
    expect(a.perPage.map((p) => p.reach)).toEqual([1, 0.5]);
  });

  it('counts a repeat as duplicated and an update applied after one that had to follow it as out of order', () => {
    const a = analysePages(
      [
        page([
          [4, 3, 11_200_000, 11_230_000],
          [3, 2, 11_100_000, 11_240_000],
          [4, 3, 11_200_000, 11_250_000],
        ]),
      ],
      W,
    );
    expect(a.delivery).toMatchObject({ received: 2, duplicated: 1, outOfOrder: 1 });
  });

  it('leaves warm-up updates and markers of an earlier run out of the figures', () => {
    const a = analysePages(
      [
        page([
          [1, 0, 10_500_000, 10_510_000],
          [2, 1, 9_000_000, 11_010_000],
          [3, 2, 11_100_000, 11_110_000],
          [4, 3, 11_200_000, 11_210_000],
        ]),
      ],
      W,
    );
    expect(a.endToEnd.totalCount).toBe(2);
    expect(a.delivery.expected).toBe(2);
  });

  it('puts long tasks that start in the window in it and the rest outside, and reports a browser without long-task timing', () => {
    const lt = [pageMs(11_500_000), 80, pageMs(10_200_000), 300];
    const a = analysePages([page([], { longTasks: lt })], W);
    expect(a.longTasks).toEqual({ supported: true, inWindow: [{ page: 0, atS: 0.5, ms: 80 }], outsideWindow: 1 });
    expect(analysePages([page([], { longTasks: [-1, -1] })], W).longTasks.supported).toBe(false);
  });

  it('reports frames per second over the window, counting the part of each drain interval inside it', () => {
    const a = analysePages(
      [
        page([], {
          frames: [
            [10_400_000, 11_000_000, 36],
            [11_000_000, 11_500_000, 30],
            [11_500_000, 12_000_000, 31],
            [12_000_000, 12_600_000, 5],
          ],
        }),
      ],
      W,
    );
    expect(a.framesPerS).toBe(61);
    // Intervals straddling both edges: 60 frames/s throughout.
    expect(
      analysePages(
        [
          page([], {
            frames: [
              [10_500_000, 11_500_000, 60],
              [11_500_000, 12_500_000, 60],
            ],
          }),
        ],
        W,
      ).framesPerS,
    ).toBe(60);
  });
});
