/**
 * The soak part of a load report (`ScenarioResult.soak`, load/soak/soak-types.ts and the GrowthFit of
 * load/soak/growth.ts) as zod; see docs/soak.md. Re-exported by load-report.ts, whose published schema holds it.
 */
import { z } from 'zod';

const obj = z.strictObject;
const count = () => z.number().int().nonnegative();
const node = () => z.number().int().positive().describe('1-based node of the target');

const NodeSample = obj({
  node: node(),
  rssMb: z.number().nullable().describe('Resident set size, MB (null: not sampled)'),
  fds: count().nullable().describe('Open file descriptors (null: not sampled)'),
  cpuPct: z.number().nullable().describe('CPU since the previous sample, % of one core (null: not sampled)'),
});

export const SoakSample = obj({
  cycle: count().describe('0-based cycle at whose start the sample was taken'),
  t: z.number().describe('Seconds since the first cycle was due'),
  lateMs: z.number().describe('How late the cycle started against its schedule, ms'),
  warmup: z.boolean().describe('Taken in the warm-up (left out of the growth fits)'),
  nodes: z.array(NodeSample).describe('One sample per node of the target'),
  occupied: count().nullable().describe("This run's occupied channels, from the hub's HTTP API (null: the API did not answer)"),
  subscriptions: count().nullable().describe("Subscriptions to this run's channels, from the HTTP API (null: not answered)"),
  members: count().nullable().describe("Presence members of this run's channels, from the HTTP API (null: not answered)"),
  awaitingReap: count().describe('Abandoned connections hubproof still waits for the hub to close'),
}).meta({ id: 'LoadSoakSample', description: 'One sample, taken at a cycle’s start' });

export const GrowthFit = obj({
  series: z.enum(['rss', 'fds']).describe('rss: resident set size, MB; fds: open descriptors'),
  node: node(),
  perHour: z.number().describe('Theil–Sen slope, series units (MB or descriptors) per hour'),
  lowPerHour: z.number().describe('Lower end of the slope’s 95 % interval, units per hour'),
  highPerHour: z.number().describe('Upper end of the slope’s 95 % interval, units per hour'),
  intercept: z.number().describe('The fitted line’s value at the run’s start (MB or descriptors): value = intercept + perHour × t[h]'),
  perCycle: z.number().describe('The slope per cycle, units per cycle'),
  resolutionPerHour: z
    .number()
    .describe('Half the interval’s width: slower growth cannot be told from zero at this length, units per hour'),
  floorPerHour: z.number().describe('The return margin spread over the fitted window, units per hour: growth below it is the hub settling'),
  shown: z.boolean().describe('The lower end of the interval is above the floor: growth shown'),
  fitted: count().describe('Samples fitted'),
  samples: count().describe('Samples after the warm-up (more than fitted when thinned)'),
  last: z.number().describe('The last sampled value, MB or descriptors'),
  projection: obj({
    limit: z.number().describe('Where the series stops working: MB (1024) or the open-files limit'),
    limitLabel: z.string().describe('The limit in words, e.g. `1 GB`'),
    hours: z.number().describe('Hours until the series reaches the limit at this slope'),
  })
    .optional()
    .describe('Set when growth is shown and the series has a limit'),
  line: z.string().describe('One line: `RSS +14 MB/h (95 % CI 11–17), projected 1 GB in 2.9 days`'),
}).meta({
  id: 'LoadSoakGrowth',
  description: 'Growth of one node’s RSS or open descriptors over a soak: a Theil–Sen fit after the warm-up',
});

const NodeReturn = obj({
  node: node(),
  pid: z.number().int().describe('Process sampled'),
  baselineRssMb: z.number().nullable().describe('RSS before the first cycle, MB (null: not sampled)'),
  endRssMb: z.number().nullable().describe('RSS after the run, MB'),
  baselineFds: count().nullable().describe('Open descriptors before the first cycle'),
  endFds: count().nullable().describe('Open descriptors after the run'),
  baselineCpuPct: z.number().nullable().describe('CPU before the first cycle, % of one core'),
  idleCpuPct: z.number().nullable().describe('CPU once idle after the run, % of one core'),
});

const ReapFigures = obj({
  kind: z
    .enum(['destroyed', 'unresponsive', 'silent'])
    .describe('How the connections were abandoned: gone without a close frame, stopped answering pings, never subscribed'),
  count: count().describe('Connections of this kind the run abandoned'),
  reaped: count().describe('Of them, closed by the hub within its bound'),
  notReaped: count().describe('Still held by the hub at the deadline (hubproof then closed them itself)'),
  p50S: z.number().nullable().describe('Median seconds from leaving (connecting, for silent) to the hub letting go (null: none reaped)'),
  maxS: z.number().nullable().describe('Longest such time, seconds (null: none reaped)'),
  examples: z.array(z.string()).describe('One line per connection not reaped (the first few)'),
});

export const SoakFigures = obj({
  cycleS: z.number().describe('Seconds from one cycle’s start to the next'),
  cycles: count().describe('Cycles run'),
  lateCycles: count().describe('Cycles that started more than half a cycle late'),
  maxLateMs: z.number().describe('Latest cycle start against its schedule, ms'),
  runS: z.number().describe('Whole run, first cycle to the return verdict, seconds'),
  warmup: obj({
    seconds: z.number().describe('Warm-up length, seconds'),
    samples: count().describe('Samples it holds'),
    why: z.string().describe('Why it is this long'),
  }).describe('Samples left out of the growth fits'),
  bound: obj({
    activityTimeoutS: z.number().describe("The hub's activity timeout, seconds"),
    pongTimeoutMs: z.number().describe("The hub's pong timeout, ms"),
    source: z.string().describe('Where the two came from'),
    boundS: z.number().describe('activity + pong: how long the hub may hold an abandoned connection, seconds'),
    deadlineS: z.number().describe('The bound with the harness’s slack (×1.1 + 2 s), seconds'),
  }).describe('How long the hub may take to let go of what the run left'),
  pids: z.array(obj({ node: node(), pid: z.number().int().describe('Process id') })).describe('Processes sampled'),
  notMeasured: z.array(z.string()).describe('Parts not measured and why (no pid, API without subscription_count…)'),
  samples: z.array(SoakSample).describe('One per cycle'),
  growth: z.array(GrowthFit).describe('One fit per node and series (rss, fds)'),
  return: obj({
    apiCleanAfterS: z
      .number()
      .nullable()
      .describe('Seconds after the last client left until the API had nothing of the run left (null: never within the bound)'),
    leftovers: z.array(z.string()).describe('One line per leftover channel, subscription or member, naming it'),
    nodes: z.array(NodeReturn).describe('Per node: baseline and after the run'),
  }).describe('Return to baseline after the run'),
  reaping: z.array(ReapFigures).describe('Per kind of abandoned connection: did the hub close them within its bound'),
}).meta({
  id: 'LoadSoakFigures',
  description: 'soak: samples per cycle, growth fits, return to baseline, reaping per kind (docs/soak.md)',
});
