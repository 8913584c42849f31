/**
 * The storm part of a load report (`ScenarioResult.storm`, load/storm/storm-types.ts) as zod: how a fleet
 * of pusher-js clients came back from a hub restart (docs/storm.md). Imported by load-report.ts.
 */
import { z } from 'zod';

const obj = z.strictObject;
const count = () => z.number().int().nonnegative();
const num = () => z.number();

const durations = (what: string) =>
  obj({
    count: count().describe('Clients measured'),
    p50S: num().nullable().describe('Median, seconds (null: none)'),
    p99S: num().nullable().describe('99th percentile, seconds (null: none)'),
    maxS: num().nullable().describe("The fleet's last, seconds (null: none)"),
  }).describe(what);

export const StormFigures = obj({
  client: obj({
    library: z.literal('pusher-js').describe('The client library each fleet member runs'),
    version: z.string().describe('Its version'),
  }).describe('Who the clients were: real pusher-js instances, one connection each'),
  clients: count().describe('Fleet size'),
  subscriptions: count().describe('Subscriptions held: one public, one private and one presence channel per client'),
  groups: count().describe('Channel groups (each group shares its three channels)'),
  restart: obj({
    how: z.string().describe('How the hub was restarted, one line'),
    outageAskedS: num().nullable().describe('Downtime asked for, seconds (null: the target command decides)'),
    downAtS: num().describe('When the stop was issued, seconds since publishing began'),
    backAtS: num().describe('When the hub answered again, seconds since publishing began'),
  }).describe('The restart'),
  noticed: durations('Per client: from the stop until pusher-js left `connected`'),
  reconnect: durations('Per client: from the hub answering again until its connection was up again'),
  restore: obj({
    ...durations('').shape,
    unrestoredSubscriptions: count().describe('Subscriptions not confirmed again within recoverS'),
  }).describe('Per client: from the hub answering again until all three subscriptions were confirmed again'),
  spread: obj({
    firstToLastMs: num().nullable().describe('First to last reconnect, ms'),
    p10ToP90Ms: num().nullable().describe('10th to 90th percentile of the reconnects (the middle 80 %), ms'),
    peakPerSecond: count().describe('Most reconnects in one second'),
    lockStep: z.boolean().describe('The middle 80 % of the fleet reconnected within 250 ms'),
  }).describe('How spread out the reconnects were'),
  events: obj({
    published: count().describe('Publishes sent'),
    accepted: count().describe('Publishes the hub accepted (2xx)'),
    refusedDuringOutage: count().describe('Refused or unanswered while the hub was down or coming back: expected, not judged'),
    refusedOutside: count().describe('Refused or unanswered outside the outage: publish errors'),
    expected: count().describe('Deliveries owed across the restart (docs/storm.md#lost)'),
    received: count().describe('Owed deliveries that arrived'),
    lost: count().describe('expected − received'),
    duplicated: count().describe('Arrivals of an event a subscription already had'),
    lostSamples: z.array(z.string()).describe('The first few lost deliveries, one line each'),
  }).describe('Events across the restart'),
  presence: obj({
    checked: count().describe('Restored presence views checked at the end'),
    wrong: count().describe('Views whose member list or `me` was wrong'),
    samples: z.array(z.string()).describe('The first few, one line each'),
  }).describe('Presence views once the fleet was back'),
  timeline: z
    .array(
      obj({
        t: count().describe('Seconds since publishing began'),
        reconnects: count().describe('Clients whose connection came up this second'),
        restored: count().describe('Subscriptions confirmed this second'),
        published: count().describe('Publishes sent this second'),
        refused: count().describe('Of those, refused or unanswered'),
        delivered: count().describe('Event arrivals this second'),
        down: z.boolean().describe('The hub was down during some of this second'),
      }),
    )
    .describe('Per second, from publishing began to the end of the drain'),
}).describe('storm: how the fleet came back from a hub restart (docs/storm.md)');
