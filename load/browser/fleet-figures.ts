/** Turns a FleetRecord into the browser figures of a report: end to end, receipt, long tasks, frames, clocks, CPU. */
import { latencyFigures } from '../measure/mergeable.ts';
import type { BrowserFigures } from './browser-figures.ts';
import type { FleetRecord } from './page-fleet.ts';
import { analysePages, type PageAnalysis, type PhaseWindow } from './page-samples.ts';

const round1 = (x: number): number => Math.round(x * 10) / 10;
const usToMs1 = (us: number): number => Math.round(us / 100) / 10;

/** % of one core used by the browser between the first CPU sample in the window and the last. */
function cpuPct(samples: Array<[number, number]>, w: PhaseWindow): number | null {
  const inside = samples.filter(([at]) => at >= w.measureFromUs && at <= w.endUs + 1e6);
  if (inside.length < 2) return null;
  const [t0, c0] = inside[0]!;
  const [t1, c1] = inside.at(-1)!;
  return t1 > t0 ? round1(((c1 - c0) / ((t1 - t0) / 1000)) * 100) : null;
}

export function fleetFigures(
  r: FleetRecord,
  w: PhaseWindow,
  page: BrowserFigures['page'],
): { a: PageAnalysis; figures: Omit<BrowserFigures, 'wire'> } {
  const a = analysePages(r.recordings, w);
  const tasks = [...a.longTasks.inWindow].sort((x, y) => y.ms - x.ms);
  const errors = [...r.before, ...r.after].map((c) => c.errorUs);
  return {
    a,
    figures: {
      page,
      pages: r.recordings.length,
      chromium: r.chromium,
      receive: latencyFigures(a.receive),
      longTasks: {
        supported: a.longTasks.supported,
        inWindow: tasks.length,
        maxMs: tasks[0]?.ms ?? 0,
        totalMs: round1(tasks.reduce((sum, t) => sum + t.ms, 0)),
        outsideWindow: a.longTasks.outsideWindow,
        tasks: tasks.slice(0, 200),
      },
      framesPerS: a.framesPerS,
      perPage: a.perPage,
      clock: {
        maxErrorMs: usToMs1(Math.max(...errors)),
        driftMs: usToMs1(Math.max(...r.before.map((c, i) => Math.abs(r.after[i]!.offsetUs - c.offsetUs)))),
      },
      cpuPct: cpuPct(r.cpu, w),
    },
  };
}
