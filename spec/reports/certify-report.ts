/**
 * The certification report (`certify.json`) as zod: the published contract of
 * reports/model/certify-report.ts. Strict objects, so the writer refuses a field this schema does not
 * describe; reports/report-contract.ts fails typecheck when the TypeScript types and these schemas differ.
 */
import { z } from 'zod';
import { Level } from '../requirements/types.ts';
import { HubInfo } from '../schemas/sync.ts';
import { BlockedBy, Deviation, Outcome, RootCauseGroup, RunFinding, Summary } from './conformance-report.ts';
import { ScenarioStatus, SkippedScenario } from './load-report.ts';
import { schemaVersionField } from './schema-version.ts';

const obj = z.strictObject;
const count = () => z.number().int().nonnegative();

export const RequirementRow = obj({
  id: z.string().describe('Requirement id (`pusher/auth/4`)'),
  level: Level.describe('MUST, SHOULD or MAY'),
  section: z.string().describe('`pusher/auth/4` → `pusher/auth`'),
  text: z.string().describe('The requirement as the registry words it'),
  outcome: Outcome.describe('The worst outcome among the requirement’s rows'),
  cases: z.array(z.string()).describe('Row ids, in report order'),
  worstCase: z.string().describe('The row that decided the outcome (the first with the worst outcome)'),
  reason: z.string().optional().describe('That row’s one-line reason, unless it passed'),
  replay: z.string().optional().describe('One command that reruns that row’s case'),
  blockedBy: BlockedBy.optional(),
  deviation: Deviation.optional(),
  slos: z.array(z.string()).optional().describe('SLO rows (`presence/p99Ms`) that certify this requirement’s figures'),
}).meta({ id: 'RequirementRow', description: 'One requirement judged by its rows' });

export const SloRow = obj({
  id: z.string().describe('`<scenario>/<threshold>`, e.g. `fanout/p99Ms`'),
  scenario: z.string().describe('Load scenario'),
  name: z.string().describe('Threshold key, e.g. `p99Ms`'),
  label: z.string().describe('Human label, e.g. "p99 propagation"'),
  comparator: z.enum(['<', '<=', '>=']).describe('actual must be <comparator> limit'),
  limit: z.number().describe('In `unit`'),
  actual: z.number().nullable().describe('In `unit` (null: not measured)'),
  unit: z.string().describe('Unit of limit and actual, e.g. `ms`, `events/s`, `MB`'),
  status: z
    .enum(['held', 'breached', 'unmeasured'])
    .describe('held: met in a valid scenario; breached: missed in a valid one; unmeasured: figures untrusted or never taken'),
  requirements: z.array(z.string()).optional().describe('Requirement ids whose figures this SLO certifies'),
  note: z
    .string()
    .optional()
    .describe(
      'Why unmeasured (driver saturated, scenario could not run, a breach a second window did not repeat), or a confirmed breach’s two figures',
    ),
  secondWindow: obj({
    actual: z.number().nullable().describe('In `unit` (null: not measured)'),
    status: z
      .enum(['held', 'breached', 'invalid'])
      .describe('breached again: the row is breached; held (not steady) or invalid: the row is unmeasured'),
  })
    .optional()
    .describe('A latency breach is measured once more before it counts: what that second window measured'),
}).meta({ id: 'SloRow', description: 'A load threshold as the certificate shows it, scoped to its scenario' });

const MatrixSummary = obj({
  cases: Summary,
  must: obj({
    total: count().describe('MUST requirements'),
    passed: count().describe('pass or fixed'),
    failed: count().describe('fail'),
    deviations: count().describe('expected-fail (a listed known deviation)'),
    blocked: count().describe('blocked by another requirement or a crash'),
    other: count().describe('skipped, unimplemented, informational'),
  }).describe('MUST requirements by outcome'),
  should: obj({
    total: count().describe('SHOULD requirements'),
    passed: count().describe('pass or fixed'),
    missed: count().describe('non-strict or fail'),
    other: count().describe('skipped, unimplemented, informational, blocked'),
  }).describe('SHOULD requirements by outcome'),
  slo: obj({
    total: count().describe('SLO rows'),
    held: count().describe('Held'),
    breached: count().describe('Breached'),
    unmeasured: count().describe('Unmeasured'),
  }).describe('SLO rows by status'),
}).describe('Counts of the matrix');

export const CertifyReport = obj({
  format: z.literal('hubproof-certify/1').describe('Format and major'),
  schemaVersion: schemaVersionField('certify'),
  verdict: z
    .enum(['certified', 'conformant-with-deviations', 'not-certified', 'inconclusive'])
    .describe('inconclusive: an SLO unmeasured, or no selected MUST judged'),
  exitCode: z
    .union([z.literal(0), z.literal(1), z.literal(2)])
    .describe('0 certified or conformant with deviations, 1 not certified, 2 inconclusive'),
  reasons: z.array(z.string()).describe('One line per reason the hub is not certified (or the run inconclusive)'),
  deviations: z.array(z.string()).describe('One line per known deviation that missed, with its reason'),
  notCovered: z.array(z.string()).describe('One line per requirement or load scenario skipped or blocked, not failed, and why'),
  harness: obj({
    name: z.string().describe('hubproof'),
    version: z.string().describe('Its version'),
    node: z.string().describe('Node.js version'),
    platform: z.string().describe('process.platform'),
  }).describe('What judged'),
  client: obj({
    driver: z.string().describe('`pusher-js`, `laravel-echo`, `dashboard`, `reference-agent`, or the driver command'),
    library: z.string().describe('The client library, as its driver announced it'),
    version: z.string().describe('Its version, as its driver announced it'),
    profile: z.string().describe('The client profile it was held to (`pusher-client`, `sync-client`, `presence-client`)'),
  })
    .optional()
    .describe(
      'Set by `hubproof certify --client`: the client certified (then `hub` is hubproof’s scripted hub, and there is no load run and no SLO)',
    ),
  hub: obj({
    name: z.string().describe('Target name'),
    embedded: z.boolean().describe('The reference hub the harness started itself'),
    profiles: z.array(z.string()).describe('Profiles the target implements'),
    nodes: z
      .array(obj({ ws: z.string().describe('WebSocket base URL'), http: z.string().describe('HTTP base URL') }))
      .describe('The hub’s nodes'),
    info: HubInfo.optional().describe('GET /api/hub, when the hub answers it'),
  }).describe('The hub certified (with `client`: the scripted hub the client was judged against)'),
  options: obj({
    strict: z.boolean().describe('SHOULD cases ran (--strict)'),
    selectors: z.array(z.string()).describe('Requirement id prefixes selected (empty: all)'),
    scenarios: z.array(z.string()).describe('Load scenarios selected'),
    loadDurationS: z.number().nullable().describe('--load-duration, seconds (null: each scenario’s own)'),
  }).describe('How certify was run'),
  seeds: obj({
    conformance: z.number().int().describe('fast-check seed of the conformance run'),
    numRuns: z.number().int().describe('fast-check runs per property case'),
  }).describe('What replays the conformance run'),
  startedAt: z.string().describe('ISO 8601'),
  durationsMs: obj({
    total: z.number().describe('ms'),
    conformance: z.number().describe('ms'),
    load: z.number().describe('ms'),
  }).describe('Run times, ms'),
  summary: MatrixSummary,
  findings: z.array(RunFinding).describe('The conformance run’s findings, leading the certificate'),
  groups: z.array(RootCauseGroup).describe('The conformance run’s root-cause groups'),
  requirements: z.array(RequirementRow).describe('One row per requirement'),
  slos: z.array(SloRow).describe('One row per load threshold'),
  load: obj({
    verdict: ScenarioStatus,
    scenarios: z
      .array(
        obj({ name: z.string().describe('Scenario'), status: ScenarioStatus, windowS: z.number().describe('Measured window, seconds') }),
      )
      .describe('Scenarios run'),
    breaches: z.array(z.string()).describe('One line per breached threshold'),
    invalid: z.array(z.string()).describe('One line per invalid scenario'),
    skipped: z.array(SkippedScenario).describe('Scenarios not run; those with `tool` are listed under notCovered'),
    errors: z
      .array(obj({ name: z.string().describe('Scenario'), message: z.string().describe('What the hub refused') }))
      .describe('Scenarios whose setup the hub refused'),
  }).describe('The load run, in short'),
  warnings: z.array(z.string()).describe('One line each'),
}).meta({ id: 'CertifyReport', description: 'certify.json: the matrix of requirements and SLOs, with the verdict' });
