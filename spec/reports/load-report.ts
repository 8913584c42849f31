/**
 * The load report (`hubproof load --json`, the k6 scripts' OUT file, `hubproof merge --json`) as zod: the
 * published contract of load/report-types.ts. Every object is strict, so the writer refuses a report
 * carrying a field this schema does not describe; reports/report-contract.ts fails typecheck when the
 * TypeScript types and these schemas differ. Units are in the field names or descriptions (ms, MB, % of a core).
 */
import { z } from 'zod';
import { schemaVersionField } from './schema-version.ts';

const obj = z.strictObject;
const count = () => z.number().int().nonnegative();
const num = () => z.number();
const share = () => z.number().describe('0…1');

export const ScenarioKind = z.enum(['fanout', 'presence', 'agents', 'connections', 'capacity', 'browser']).meta({ id: 'ScenarioKind' });
export const ScenarioStatus = z
  .enum(['pass', 'fail', 'invalid'])
  .describe('invalid: the load generator saturated, so the figures say nothing about the hub')
  .meta({ id: 'ScenarioStatus' });

export const Thresholds = obj({
  p99Ms: num().optional().describe('p99 propagation, scheduled send → receipt at every subscriber, ms'),
  minRate: num().optional().describe('Events per second the hub must accept and deliver'),
  minReach: num().optional().describe('Received ÷ expected deliveries'),
  maxMbPer1000: num().optional().describe('Hub RSS growth per 1000 connected clients, MB'),
  conflictP99Ms: num().optional().describe('p99 near-duplicate create → AgentConflictResolved at every session subscriber, ms'),
}).meta({ id: 'LoadThresholds' });

export const Scenario = obj({
  name: z.string(),
  kind: ScenarioKind,
  description: z.string(),
  rate: num().describe('Target publish rate over all publishers, events/s'),
  publishers: count(),
  channels: count(),
  subscribersPerChannel: count(),
  durationS: num(),
  warmupS: num(),
  payloadBytes: count(),
  workers: count().describe('Subscriber worker threads; 0 = one per core'),
  rampPerS: num(),
  transport: z.enum(['auto', 'pusher', 'dashboard']),
  stepStartRate: num(),
  stepFactor: num(),
  stepS: num(),
  maxRate: num(),
  burstsPerS: num(),
  todosPerS: num(),
  page: z.enum(['hubproof', 'hub']),
  thresholds: Thresholds,
}).meta({ id: 'LoadScenario', description: 'The scenario as run, overrides applied' });

const K6Figures = obj({
  subscriberVus: count(),
  socketsPerVu: count(),
  plannedVuRate: num(),
  vuCeiling: num(),
  maxVuRate: num(),
  maxVuLagP99Ms: num(),
  behindVus: count(),
  droppedIterations: count(),
  vusMax: count().describe('VUs k6 had allocated at most, subscribers and senders').optional(),
  httpP99Ms: num().describe("The senders' HTTP request p99, ms").optional(),
});

export const DriverHealth = obj({
  cores: count(),
  cpuPct: num().describe('Mean process CPU over the window, % of one core'),
  cpuUserPct: num().optional(),
  cpuShare: share(),
  mainLoopLagP99Ms: num(),
  workerLoopLagP99Ms: num(),
  sendLagP99Ms: num(),
  saturated: z.boolean(),
  reasons: z.array(z.string()),
  stalls: z.string().optional(),
  hubInProcess: z.boolean(),
  machineShare: share().nullable(),
  k6: K6Figures.optional(),
}).meta({ id: 'LoadDriverHealth' });

const TimelineRow = obj({
  t: num().describe('Seconds since the phase started'),
  warmup: z.boolean(),
  sent: count(),
  delivered: count(),
  p99Ms: num(),
  cpuPct: num(),
  mainLoopP99Ms: num(),
  workerLoopP99Ms: num(),
  hubCpuPct: num().nullable(),
  open: count(),
});

const latencySummary = {
  unit: z.literal('ms'),
  count: count(),
  p50: num(),
  p90: num(),
  p99: num(),
  p999: num(),
  max: num(),
  mean: num(),
};

export const EncodedHistogram = z
  .discriminatedUnion('encoding', [
    obj({ encoding: z.literal('hdr'), unit: z.literal('us'), data: z.string().describe('Compressed HDR histogram, base64') }),
    obj({
      encoding: z.literal('log-linear'),
      unit: z.literal('ms'),
      subBuckets: count(),
      counts: z.record(z.string(), num()).describe('Bucket index → count (load/measure/log-linear.ts)'),
    }),
  ])
  .meta({ id: 'LoadHistogram' });

export const LatencyFigures = obj({
  ...latencySummary,
  curve: z.array(z.tuple([num(), num()])).describe('[percentile, ms] points of the distribution'),
  histogram: EncodedHistogram.optional(),
}).meta({ id: 'LoadLatency', description: 'Latency in ms from an HDR (or log-linear) histogram' });

const deliveryAccounting = {
  expected: count(),
  received: count(),
  lost: count(),
  duplicated: count(),
  outOfOrder: count(),
  reach: num().describe('received ÷ expected (1 when nothing was expected)'),
};
export const DeliveryAccounting = obj(deliveryAccounting).meta({ id: 'LoadDeliveryAccounting' });

const DeliveryFigures = obj({
  ...deliveryAccounting,
  publishErrors: count(),
  publishErrorSamples: z.array(z.string()),
  connectFailures: count(),
  connectErrorSamples: z.array(z.string()),
  unexpected: count(),
  disconnects: count(),
  closeReasons: z.array(z.string()),
});

export const ThresholdResult = obj({
  name: z.string(),
  label: z.string(),
  comparator: z.enum(['<', '<=', '>=']),
  limit: num(),
  actual: num().nullable(),
  unit: z.string(),
  ok: z.boolean(),
}).meta({ id: 'LoadThresholdResult' });

const MemoryFigures = obj({
  pid: z.number().int(),
  baselineMb: num(),
  finalMb: num(),
  connections: count(),
  mbPer1000: num(),
  samples: z.array(obj({ connections: count(), rssMb: num() })),
});

export const CapacityStep = obj({
  rate: num(),
  p99Ms: num(),
  reach: num(),
  deliveredPerS: num(),
  driverSaturated: z.boolean(),
  driverCpuShare: share(),
  driverLagMs: num(),
  hubCpuPct: num().nullable(),
  ok: z.boolean(),
}).meta({ id: 'LoadCapacityStep' });

const ConflictFigures = obj({
  bursts: count(),
  expected: count(),
  received: count(),
  reach: num(),
  latency: LatencyFigures,
  requestErrors: count(),
  requestErrorSamples: z.array(z.string()),
});

const NodeFigures = obj({
  node: z.number().int().positive(),
  ws: z.string(),
  subscribers: count(),
  latency: LatencyFigures,
  delivery: DeliveryAccounting,
});

const BrowserFigures = obj({
  page: z.enum(['hubproof', 'hub']),
  pages: count(),
  chromium: z.string(),
  wire: obj({
    latency: LatencyFigures,
    delivery: obj({ ...deliveryAccounting, unexpected: count(), disconnects: count(), closeReasons: z.array(z.string()) }),
  }),
  receive: LatencyFigures,
  longTasks: obj({
    supported: z.boolean(),
    inWindow: count(),
    maxMs: num(),
    totalMs: num(),
    outsideWindow: count(),
    tasks: z.array(obj({ page: count(), atS: num(), ms: num() })),
  }),
  framesPerS: num(),
  perPage: z.array(obj({ page: count(), p99Ms: num(), reach: num(), longTasks: count(), framesPerS: num() })),
  clock: obj({ maxErrorMs: num(), driftMs: num() }),
  cpuPct: num().nullable(),
});

export const ScenarioResult = obj({
  name: z.string(),
  kind: ScenarioKind,
  description: z.string(),
  scenario: Scenario,
  status: ScenarioStatus,
  startedAt: z.string().describe('ISO 8601'),
  windowS: num(),
  subscribers: count(),
  latency: LatencyFigures,
  delivery: DeliveryFigures,
  throughput: obj({ targetRate: num(), sent: count(), sentPerS: num(), deliveredPerS: num(), maxInFlight: count() }),
  timeline: z.array(TimelineRow),
  driver: DriverHealth,
  hub: obj({ pid: z.number().int(), cpuPct: num() }).optional(),
  memory: MemoryFigures.optional(),
  conflicts: ConflictFigures.optional(),
  capacity: obj({ steps: z.array(CapacityStep), lastGoodRate: num().nullable(), stoppedBecause: z.string() }).optional(),
  nodes: z.array(NodeFigures).optional(),
  browser: BrowserFigures.optional(),
  thresholds: z.array(ThresholdResult),
  notes: z.array(z.string()),
}).meta({ id: 'LoadScenarioResult' });

const Generator = z.enum(['node', 'k6', 'mixed']);
const Shard = obj({ index: count(), count: z.number().int().positive() });

export const LoadReport = obj({
  tool: z.literal('hubproof'),
  kind: z.literal('load'),
  schemaVersion: schemaVersionField('load'),
  reportVersion: z.number().int().describe('The major of schemaVersion (kept for readers of reports before schemaVersion)'),
  generator: Generator,
  shard: Shard.optional(),
  mergedFrom: z.array(obj({ file: z.string(), generator: Generator, shard: Shard.optional() })).optional(),
  generatedAt: z.string().describe('ISO 8601'),
  target: obj({
    name: z.string(),
    http: z.string(),
    ws: z.string(),
    hub: z.enum(['child', 'in-process', 'external']),
    pid: z.number().int().optional(),
  }),
  driver: obj({ node: z.string(), cores: count(), platform: z.string() }),
  scenarios: z.array(ScenarioResult),
  verdict: ScenarioStatus,
  breaches: z.array(z.string()),
  invalid: z.array(z.string()),
  skipped: z.array(obj({ name: z.string(), reason: z.string() })),
  errors: z.array(obj({ name: z.string(), message: z.string() })),
}).meta({ id: 'LoadReport', description: 'A hubproof load report (also what hubproof merge writes)' });
