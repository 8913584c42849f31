/**
 * The capacity part of a load report (`ScenarioResult.capacity`, load/report-types.ts and load/capacity/):
 * every step with its evidence, the search's figure, and with `repeat` > 1 every search and their spread.
 * Re-exported by load-report.ts, whose published schema holds it.
 */
import { z } from 'zod';

const obj = z.strictObject;
const count = () => z.number().int().nonnegative();
const share = () => z.number().describe('0…1');

export const CapacityStep = obj({
  rate: z.number().describe('Target publish rate of the step, events/s'),
  stage: z
    .enum(['ramp', 'retry', 'down', 'bisect'])
    .optional()
    .describe('Which part of the search ran it: the ramp, the re-run of a step that missed, going down, or bisecting'),
  run: count().optional().describe('Index of the search (0-based) with repeat > 1'),
  seconds: z.number().optional().describe('Seconds measured (after the warm-up)'),
  p99Ms: z.number().describe('p99 propagation in the step, ms'),
  p50Ms: z.number().optional().describe('p50 propagation in the step, ms'),
  reach: z.number().describe('received ÷ expected deliveries in the step'),
  deliveredPerS: z.number().describe('Deliveries per second in the step'),
  sent: count().optional().describe("Publishes scheduled in the step's window"),
  expected: count().optional().describe('Deliveries the publishes called for (publish errors left out)'),
  received: count().optional().describe('Distinct expected deliveries that arrived'),
  lost: count().optional().describe('expected − received'),
  duplicated: count().optional().describe('Arrivals of an event a subscriber already had'),
  outOfOrder: count().optional().describe('Events that arrived after a later event of the same stream'),
  publishErrors: count().optional().describe('Publishes the hub refused or never answered: its failure, never counted as lost deliveries'),
  publishErrorSamples: z.array(z.string()).optional().describe('The first few publish errors, one line each'),
  publishRetries: count().optional().describe('Publishes written twice because the hub closed a kept-alive connection before answering'),
  driverSaturated: z.boolean().describe('The load generator saturated in the step'),
  driverCpuShare: share().describe('Driver CPU as a share of its cores during the step, 0…1'),
  driverLagMs: z.number().describe("The driver's worst event-loop lag p99 during the step, ms"),
  machineShare: share().nullable().optional().describe('Whole-machine CPU busy share during the step, 0…1 (null: unknown)'),
  hubCpuPct: z.number().nullable().describe('Hub process CPU during the step, % of one core (null: not sampled)'),
  othersCpuPct: z
    .number()
    .nullable()
    .optional()
    .describe("The machine's CPU besides the hub's and the driver's, % of one core (null: not known)"),
  disturbed: z
    .boolean()
    .optional()
    .describe('The step missed while other processes kept the machine busy: no verdict, it was measured again'),
  waitedS: z.number().optional().describe('Seconds waited before this step for other processes to leave the machine'),
  ok: z.boolean().describe('The step held every threshold'),
  failure: z.string().optional().describe('Why the step missed, one line per cause ("p99 71 ms ≥ 50 ms; lost 30 of 45,000 deliveries")'),
}).meta({ id: 'LoadCapacityStep', description: 'One step of a capacity search: a fixed rate, measured' });

const capacitySearch = {
  steps: z.array(CapacityStep).describe('Every step in the order run'),
  lastGoodRate: z.number().nullable().describe('The figure: the highest rate that held, events/s (null: none held)'),
  firstBadRate: z.number().nullable().optional().describe('The lowest rate that failed twice, events/s (null: none did)'),
  heldOnRetry: z.array(z.number()).optional().describe('Rates (events/s) that missed once and held when run again'),
  lowerBound: z
    .boolean()
    .optional()
    .describe('The figure is a lower bound: maxRate held, or the load generator, not the hub, failed above it'),
  stoppedBecause: z.string().describe('Why the search stopped, one line'),
};

export const CapacitySearch = obj(capacitySearch).meta({ id: 'LoadCapacitySearch', description: 'One whole capacity search' });

export const CapacitySpread = obj({
  runs: z.number().int().positive().describe('Searches run'),
  figures: z.array(z.number().nullable()).describe('Figure of each search in order, events/s (null: the search held nothing)'),
  median: z.number().nullable().describe('Median figure, events/s'),
  min: z.number().nullable().describe('Lowest figure, events/s'),
  max: z.number().nullable().describe('Highest figure, events/s'),
  ratio: z.number().nullable().describe('max ÷ min (null when a search held nothing)'),
  withinOneStep: z.boolean().describe('Every figure within one resolution step of every other: max ≤ min × (1 + resolution)'),
}).meta({ id: 'LoadCapacitySpread', description: 'With repeat > 1: how far the searches’ figures spread' });

export const CapacityFigures = obj({
  ...capacitySearch,
  resolution: z.number().optional().describe("The search's resolution, a share: the figure is within it below the hub's limit (0.1: 10 %)"),
  runs: z.array(CapacitySearch).optional().describe('With repeat > 1: every search in order; the fields above are the median one’s'),
  spread: CapacitySpread.optional(),
}).meta({
  id: 'LoadCapacityFigures',
  description: 'A capacity scenario’s result: its search, or with repeat > 1 every search and their median',
});
