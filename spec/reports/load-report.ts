/**
 * The load report (`hubproof load --json`, the k6 scripts' OUT file, `hubproof merge --json`) as zod: the
 * published contract of load/report-types.ts. Every object is strict, so the writer refuses a report
 * carrying a field this schema does not describe; reports/report-contract.ts fails typecheck when the
 * TypeScript types and these schemas differ. Units are in the field names or descriptions (ms, MB, % of a core).
 */
import { z } from 'zod';
import { BrowserFigures } from './load-browser.ts';
import { DeliveryAccounting, deliveryAccounting, LatencyFigures } from './load-latency.ts';
import { CapacityFigures } from './load-capacity.ts';
import { SoakFigures } from './load-soak.ts';
import { StormFigures } from './load-storm.ts';
import { schemaVersionField } from './schema-version.ts';

export { DeliveryAccounting, EncodedHistogram, LatencyFigures } from './load-latency.ts';
export { CapacityFigures, CapacitySearch, CapacitySpread, CapacityStep } from './load-capacity.ts';
export { GrowthFit, SoakFigures, SoakSample } from './load-soak.ts';

const obj = z.strictObject;
const count = () => z.number().int().nonnegative();
const num = () => z.number();
const share = () => z.number().describe('0…1');

export const ScenarioKind = z
  .enum(['fanout', 'presence', 'agents', 'connections', 'capacity', 'browser', 'soak', 'storm'])
  .meta({ id: 'ScenarioKind', description: 'What a scenario measures (load/scenarios/, README "Load")' });
export const ScenarioStatus = z
  .enum(['pass', 'fail', 'invalid'])
  .describe('invalid: the load generator saturated, so the figures say nothing about the hub')
  .meta({ id: 'ScenarioStatus' });

export const Thresholds = obj({
  p99Ms: num().optional().describe('p99 propagation, scheduled send → receipt at every subscriber, ms'),
  minRate: num().optional().describe('Events per second the hub must accept and deliver'),
  minReach: num().optional().describe('Received ÷ expected deliveries'),
  maxMbPer1000: num().optional().describe('Hub RSS growth per 1000 connected clients, MB'),
  maxPublishErrors: num()
    .optional()
    .describe('Publishes the hub refused (HTTP status ≥ 300) or never answered in the window; they are left out of reach'),
  conflictP99Ms: num().optional().describe('p99 near-duplicate create → AgentConflictResolved at every session subscriber, ms'),
  rssMbPerHour: num().optional().describe('soak: RSS growth, lower end of the 95 % CI of the Theil–Sen slope, MB per hour'),
  fdsPerHour: num().optional().describe('soak: open-descriptor growth, lower end of the 95 % CI, descriptors per hour'),
  leftovers: num().optional().describe("soak: the run's channels, subscriptions and presence members left once the hub's bound has passed"),
  rssReturnMb: num().optional().describe('soak: RSS above the pre-run baseline after the run, MB'),
  fdsReturn: num().optional().describe('soak: open descriptors above the pre-run baseline after the run'),
  idleCpuPct: num().optional().describe('soak: hub CPU once idle after the run, % of one core'),
  reapDestroyed: num().optional().describe('soak: connections gone without a close frame the hub had not closed within its bound'),
  reapUnresponsive: num().optional().describe('soak: connections that stopped answering pings the hub had not closed within its bound'),
  reapSilent: num().optional().describe('soak: connections that never subscribed the hub had not closed within its bound'),
  restoreS: num().optional().describe("storm: seconds from the hub answering again until the fleet's last subscription was restored"),
  unrestored: num().optional().describe('storm: subscriptions not restored within recoverS'),
  maxDuplicated: num().optional().describe('storm: events that arrived twice at one subscription'),
  presenceWrong: num().optional().describe('storm: restored presence views with a wrong member list or me'),
}).meta({ id: 'LoadThresholds', description: 'SLOs that fail the run; a scenario lists only those it measures' });

export const Scenario = obj({
  name: z.string().describe('Scenario name (load/scenarios/<name>.json)'),
  kind: ScenarioKind,
  description: z.string().describe('What the scenario models, one line'),
  rate: num().describe('Target publish rate over all publishers, events/s'),
  publishers: count().describe('Concurrent publishing streams, each with its own sequence numbers'),
  channels: count().describe('Channels (fanout), dashboard sessions (presence, connections) or agent sessions (agents)'),
  subscribersPerChannel: count().describe('Subscribed connections per channel or session'),
  durationS: num().describe('Measured window, seconds'),
  warmupS: num().describe('Warm-up before the window, left out of the figures, seconds'),
  payloadBytes: count().describe('Bytes of padding in each payload'),
  workers: count().describe('Subscriber worker threads; 0 = one per core'),
  rampPerS: num().describe('connections: clients opened per second while ramping'),
  transport: z
    .enum(['auto', 'pusher', 'dashboard'])
    .describe("connections: which socket kind to hold open ('auto': dashboards when the target has agent-presence)"),
  stepStartRate: num().describe("capacity: the first step's rate, events/s"),
  stepFactor: num().describe('capacity: rate multiplier per ramp step'),
  stepS: num().describe('capacity: seconds measured per ramp step'),
  confirmStepS: num().describe('capacity: seconds measured in a re-run, bisection or going-down step (0 = stepS)'),
  maxRate: num().describe('capacity: the highest rate tried, events/s'),
  resolution: num().describe(
    'capacity: bisect until the lowest rate that failed twice is ≤ the highest that held × (1 + resolution), a share',
  ),
  repeat: count().describe('capacity: whole searches run one after another; the figure is their median'),
  burstsPerS: num().describe('agents: near-duplicate bursts per session per second'),
  todosPerS: num().describe('agents: plain todos per session per second'),
  page: z.enum(['hubproof', 'hub']).describe("browser: hubproof's measuring page, or the target's own /dashboard"),
  cycleS: num().describe("soak: seconds from one cycle's start to the next"),
  outageS: num().describe('storm: seconds the embedded hub stays down'),
  stopSignal: z.enum(['SIGTERM', 'SIGKILL']).describe('storm: how the embedded hub is stopped'),
  recoverS: num().describe('storm: seconds after the hub answers again to wait for the fleet'),
  thresholds: Thresholds,
}).meta({ id: 'LoadScenario', description: 'The scenario as run, overrides applied' });

const K6Figures = obj({
  subscriberVus: count().describe('Subscriber VUs'),
  socketsPerVu: count().describe('WebSockets each subscriber VU holds'),
  plannedVuRate: num().describe('Frames/s the busiest subscriber VU was planned to receive'),
  vuCeiling: num().describe('Frames/s one VU was sized to take'),
  maxVuRate: num().describe('Highest measured-window frame rate of any subscriber VU, frames/s'),
  maxVuLagP99Ms: num().describe("That VU's receive-loop lag p99, ms"),
  behindVus: count().describe('Subscriber VUs past either limit'),
  droppedIterations: count().describe('Iterations k6 could not start on schedule (no free VU)'),
  vusMax: count().describe('VUs k6 had allocated at most, subscribers and senders').optional(),
  httpP99Ms: num().describe("The senders' HTTP request p99, ms").optional(),
}).describe('k6 runs: how the subscriber VUs were sized and how they kept up');

export const DriverHealth = obj({
  cores: count().describe('Cores the driver may use'),
  cpuPct: num().describe('Mean process CPU over the window, % of one core'),
  cpuUserPct: num().optional().describe('Its user-space part, % of one core'),
  cpuShare: share().describe('cpuPct as a share of all cores, 0…1'),
  mainLoopLagP99Ms: num().describe('p99 over the window of the per-second main-thread loop lag p99, ms'),
  workerLoopLagP99Ms: num().describe('The same for the worker threads, ms'),
  sendLagP99Ms: num().describe('p99 of (actual issue time − scheduled time) for sends, ms'),
  saturated: z.boolean().describe('The driver could not keep up: the figures are invalid'),
  reasons: z.array(z.string()).describe('Why it saturated, one line each'),
  stalls: z.string().optional().describe('Event-loop stalls that did not make the figures invalid (nothing timed)'),
  hubInProcess: z.boolean().describe('The hub runs inside the driver process, so CPU figures include it'),
  machineShare: share().nullable().describe('Mean whole-machine CPU busy share over the window, 0…1 (null: unknown)'),
  k6: K6Figures.optional(),
}).meta({ id: 'LoadDriverHealth', description: "The load generator's own health, so a saturated client is never read as a slow hub" });

const TimelineRow = obj({
  t: num().describe('Seconds since the phase started'),
  warmup: z.boolean().describe('In the warm-up'),
  sent: count().describe('Publishes sent this second'),
  delivered: count().describe('Deliveries this second'),
  p99Ms: num().describe('p99 propagation this second, ms'),
  cpuPct: num().describe('Driver CPU this second, % of one core'),
  mainLoopP99Ms: num().describe('Main-thread loop lag p99 this second, ms'),
  workerLoopP99Ms: num().describe('Worker loop lag p99 this second, ms'),
  hubCpuPct: num().nullable().describe('Hub process CPU this second, % of one core (null: not sampled)'),
  open: count().describe('Open subscriber connections'),
}).describe('One second of the run');

const DeliveryFigures = obj({
  ...deliveryAccounting,
  publishErrors: count().describe('Publishes the hub refused (HTTP status ≥ 300) or never answered; left out of expected and received'),
  publishErrorSamples: z.array(z.string()).describe('The first few publish errors, one line each'),
  publishRetries: count()
    .optional()
    .describe('Publishes written again on a new connection: the hub closed a kept-alive connection without answering (absent: none)'),
  publishRetrySamples: z.array(z.string()).optional().describe('Why, the first few, one line each'),
  httpConnectionLimit: count()
    .optional()
    .describe('The hub closed its HTTP connections after this many answers without announcing it (no `Connection: close`)'),
  connectFailures: count().describe('Subscriber connections that failed to open or subscribe'),
  connectErrorSamples: z.array(z.string()).describe('The first few, one line each'),
  unexpected: count().describe('Arrivals on a connection that did not subscribe to that stream'),
  disconnects: count().describe('Subscriber connections the hub closed during the run'),
  closeReasons: z.array(z.string()).describe('Their close codes and reasons (the first few)'),
}).describe('Reach, loss and order, and what failed on the way');

export const ThresholdResult = obj({
  name: z.string().describe('Threshold key, e.g. `p99Ms`'),
  label: z.string().describe('Human label, e.g. "p99 propagation"'),
  comparator: z.enum(['<', '<=', '>=']).describe('actual must be <comparator> limit'),
  limit: num().describe('In `unit`'),
  actual: num().nullable().describe('In `unit` (null: not measured)'),
  unit: z.string().describe('Unit of limit and actual, e.g. `ms`, `events/s`, `MB`'),
  ok: z.boolean().describe('The threshold held'),
}).meta({ id: 'LoadThresholdResult', description: 'One threshold judged' });

const MemoryFigures = obj({
  pid: z.number().int().describe('Hub process sampled'),
  baselineMb: num().describe('Hub RSS before connecting, MB'),
  finalMb: num().describe('Hub RSS with every client connected, MB'),
  connections: count().describe('Clients connected'),
  mbPer1000: num().describe('(final − baseline) ÷ connections × 1000, MB'),
  samples: z
    .array(obj({ connections: count().describe('Clients connected'), rssMb: num().describe('Hub RSS, MB') }))
    .describe('RSS while ramping'),
}).describe('connections: hub memory per connected client');

const ConflictFigures = obj({
  bursts: count().describe('Near-duplicate bursts sent'),
  expected: count().describe('Resolved events expected at session subscribers (bursts × subscribers)'),
  received: count().describe('Resolved events that arrived'),
  reach: num().describe('received ÷ expected'),
  latency: LatencyFigures,
  requestErrors: count().describe('Create requests the hub refused or never answered'),
  requestErrorSamples: z.array(z.string()).describe('The first few, one line each'),
}).describe('agents: near-duplicate create → AgentConflictResolved');

const NodeFigures = obj({
  node: z.number().int().positive().describe('1-based, as reports name nodes (`node 2`)'),
  ws: z.string().describe("The node's WebSocket URL"),
  subscribers: count().describe('Subscribers on this node'),
  latency: LatencyFigures,
  delivery: DeliveryAccounting,
}).describe('What the subscribers on one node of a cluster measured');

export const ScenarioResult = obj({
  name: z.string().describe('Scenario name'),
  kind: ScenarioKind,
  description: z.string().describe('What the scenario models, one line'),
  scenario: Scenario,
  status: ScenarioStatus,
  startedAt: z.string().describe('ISO 8601'),
  windowS: num().describe('Measured window, seconds'),
  subscribers: count().describe('Subscribed connections'),
  latency: LatencyFigures,
  delivery: DeliveryFigures,
  throughput: obj({
    targetRate: num().describe('Scheduled publish rate, events/s'),
    sent: count().describe('Publishes sent in the window'),
    sentPerS: num().describe('Publishes per second'),
    deliveredPerS: num().describe('Deliveries per second'),
    maxInFlight: count().describe('Most publishes awaiting an answer at once'),
  }).describe('What was sent and delivered'),
  timeline: z.array(TimelineRow).describe('Per second, warm-up included'),
  driver: DriverHealth,
  hub: obj({ pid: z.number().int().describe('Hub process id'), cpuPct: num().describe('Mean CPU over the window, % of one core') })
    .optional()
    .describe("The hub process's own CPU, when its pid is known and it runs apart"),
  memory: MemoryFigures.optional(),
  conflicts: ConflictFigures.optional(),
  capacity: CapacityFigures.optional(),
  nodes: z.array(NodeFigures).optional().describe('A cluster target: subscribers spread over its nodes, published through the first'),
  browser: BrowserFigures.optional(),
  soak: SoakFigures.optional(),
  storm: StormFigures.optional(),
  thresholds: z.array(ThresholdResult).describe('Every threshold of the scenario, judged'),
  notes: z.array(z.string()).describe('What a reader must know to trust the figures (in-process hub, skipped parts…)'),
}).meta({ id: 'LoadScenarioResult', description: 'One scenario run' });

const Generator = z.enum(['node', 'k6', 'mixed']).describe('Who generated the load: the Node driver, k6, or both (a merged report)');
const Shard = obj({ index: count().describe('0-based shard'), count: z.number().int().positive().describe('Shards of the test') }).describe(
  'This report is shard `index` of `count` of one test (`hubproof load --shard I/N`)',
);

export const OptionalTool = z
  .enum(['chromium', 'playwright-core', 'redis-server', 'k6'])
  .meta({ id: 'OptionalTool', description: 'A tool hubproof uses but does not bring (load/optional-tool.ts)' });

export const SkippedScenario = obj({
  name: z.string().describe('Scenario name'),
  reason: z.string().describe('Why it did not run, one line'),
  tool: OptionalTool.optional().describe(
    "Set when the harness's own tool is missing or would not start: certify lists the scenario as not covered",
  ),
  install: z.string().optional().describe('The command that installs the missing tool'),
}).meta({
  id: 'SkippedScenario',
  description: 'A scenario not run: the target lacks its profile, or the harness lacks a tool it needs',
});

export const LoadReport = obj({
  tool: z.literal('hubproof').describe('Always hubproof'),
  kind: z.literal('load').describe('Always load'),
  schemaVersion: schemaVersionField('load'),
  reportVersion: z.number().int().describe('The major of schemaVersion (kept for readers of reports before schemaVersion)'),
  generator: Generator,
  shard: Shard.optional(),
  mergedFrom: z
    .array(obj({ file: z.string().describe('Report file merged'), generator: Generator, shard: Shard.optional() }))
    .optional()
    .describe('A merged report (`hubproof merge`): the reports it was made of'),
  generatedAt: z.string().describe('ISO 8601'),
  target: obj({
    name: z.string().describe('Target name'),
    http: z.string().describe('HTTP base URL'),
    ws: z.string().describe('WebSocket URL'),
    hub: z.enum(['child', 'in-process', 'external']).describe('Where the hub ran: a child process, inside the driver, or elsewhere'),
    pid: z.number().int().optional().describe('Hub process id, when known'),
  }).describe('The hub under load'),
  driver: obj({
    node: z.string().describe('Node.js version'),
    cores: count().describe('Cores of the machine'),
    platform: z.string().describe('process.platform'),
  }).describe('The machine that generated the load'),
  scenarios: z.array(ScenarioResult).describe('Scenarios run'),
  verdict: ScenarioStatus,
  breaches: z.array(z.string()).describe('One line per breached threshold: `fanout: p99 propagation 71.2 ms ≥ 50 ms`'),
  invalid: z.array(z.string()).describe('One line per invalid scenario, saying why the driver could not be trusted'),
  skipped: z.array(SkippedScenario).describe('Scenarios not run'),
  errors: z
    .array(obj({ name: z.string().describe('Scenario name'), message: z.string().describe('What the hub refused') }))
    .describe('Scenarios that could not complete because the hub refused their setup (counts as a failure)'),
}).meta({ id: 'LoadReport', description: 'A hubproof load report (also what hubproof merge writes)' });
