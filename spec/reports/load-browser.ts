/**
 * The browser part of a load report (`ScenarioResult.browser`, load/browser/browser-figures.ts) as zod:
 * Chromium pages, wire latency of the same updates, long tasks. Imported by load-report.ts.
 */
import { z } from 'zod';
import { deliveryAccounting, LatencyFigures } from './load-latency.ts';

const obj = z.strictObject;
const count = () => z.number().int().nonnegative();
const num = () => z.number();

export const BrowserFigures = obj({
  page: z.enum(['hubproof', 'hub']).describe("hubproof's measuring page, or the target's own /dashboard"),
  pages: count().describe('Chromium pages'),
  chromium: z.string().describe("Chromium's version string"),
  wire: obj({
    latency: LatencyFigures,
    delivery: obj({
      ...deliveryAccounting,
      unexpected: count().describe('Arrivals on a stream it did not subscribe to'),
      disconnects: count().describe('Times the hub closed it'),
      closeReasons: z.array(z.string()).describe('Close codes and reasons (the first few)'),
    }).describe('Reach at the wire subscriber'),
  }).describe('The same updates at one driver-side /ws/broadcasts subscriber'),
  receive: LatencyFigures,
  longTasks: obj({
    supported: z.boolean().describe('false: the browser has no long-task timing, the counts are not measured'),
    inWindow: count().describe('Long tasks (main-thread work > 50 ms) that started in the window, over all pages'),
    maxMs: num().describe('Longest, ms'),
    totalMs: num().describe('Sum, ms'),
    outsideWindow: count().describe('Long tasks before or after the window (page load, warm-up, drain)'),
    tasks: z
      .array(
        obj({ page: count().describe('Page index'), atS: num().describe('Seconds into the window'), ms: num().describe('Length, ms') }),
      )
      .describe('Those in the window, longest first (at most 200)'),
  }).describe("The pages' long tasks"),
  framesPerS: num().describe('Mean frames drawn per second per page'),
  perPage: z
    .array(
      obj({
        page: count().describe('Page index'),
        p99Ms: num().describe('p99 end to end at this page, ms'),
        reach: num().describe('received ÷ expected at this page'),
        longTasks: count().describe('Long tasks in the window'),
        framesPerS: num().describe('Frames drawn per second'),
      }),
    )
    .describe('One row per page'),
  clock: obj({
    maxErrorMs: num().describe('Largest possible error of the page clock → driver clock mapping, ms'),
    driftMs: num().describe('How far the mapping moved by the end, ms'),
  }).describe('Page clock → driver clock'),
  cpuPct: num().nullable().describe('CPU of the Chromium processes over the window, % of one core (null: not measurable)'),
}).describe('browser: pages, wire latency of the same updates, long tasks');
