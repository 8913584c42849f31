/**
 * The certification report (`certify.json`) as zod: the published contract of
 * reports/model/certify-report.ts. Strict objects, so the writer refuses a field this schema does not
 * describe; reports/report-contract.ts fails typecheck when the TypeScript types and these schemas differ.
 */
import { z } from 'zod';
import { Level } from '../requirements/types.ts';
import { HubInfo } from '../schemas/sync.ts';
import { BlockedBy, Deviation, Outcome, RootCauseGroup, RunFinding, Summary } from './conformance-report.ts';
import { ScenarioStatus } from './load-report.ts';
import { schemaVersionField } from './schema-version.ts';

const obj = z.strictObject;
const count = () => z.number().int().nonnegative();

export const RequirementRow = obj({
  id: z.string(),
  level: Level,
  section: z.string(),
  text: z.string(),
  outcome: Outcome.describe('The worst outcome among the requirement’s rows'),
  cases: z.array(z.string()),
  worstCase: z.string(),
  reason: z.string().optional(),
  replay: z.string().optional(),
  blockedBy: BlockedBy.optional(),
  deviation: Deviation.optional(),
  slos: z.array(z.string()).optional(),
}).meta({ id: 'RequirementRow' });

export const SloRow = obj({
  id: z.string().describe('`<scenario>/<threshold>`, e.g. `fanout/p99Ms`'),
  scenario: z.string(),
  name: z.string(),
  label: z.string(),
  comparator: z.enum(['<', '<=', '>=']),
  limit: z.number(),
  actual: z.number().nullable(),
  unit: z.string(),
  status: z.enum(['held', 'breached', 'unmeasured']),
  requirements: z.array(z.string()).optional(),
  note: z.string().optional(),
}).meta({ id: 'SloRow' });

const MatrixSummary = obj({
  cases: Summary,
  must: obj({ total: count(), passed: count(), failed: count(), deviations: count(), blocked: count(), other: count() }),
  should: obj({ total: count(), passed: count(), missed: count(), other: count() }),
  slo: obj({ total: count(), held: count(), breached: count(), unmeasured: count() }),
});

export const CertifyReport = obj({
  format: z.literal('hubproof-certify/1'),
  schemaVersion: schemaVersionField('certify'),
  verdict: z.enum(['certified', 'conformant-with-deviations', 'not-certified', 'inconclusive']),
  exitCode: z.union([z.literal(0), z.literal(1), z.literal(2)]),
  reasons: z.array(z.string()),
  deviations: z.array(z.string()),
  notCovered: z.array(z.string()),
  harness: obj({ name: z.string(), version: z.string(), node: z.string(), platform: z.string() }),
  hub: obj({
    name: z.string(),
    embedded: z.boolean(),
    profiles: z.array(z.string()),
    nodes: z.array(obj({ ws: z.string(), http: z.string() })),
    info: HubInfo.optional(),
  }),
  options: obj({
    strict: z.boolean(),
    selectors: z.array(z.string()),
    scenarios: z.array(z.string()),
    loadDurationS: z.number().nullable(),
  }),
  seeds: obj({ conformance: z.number().int(), numRuns: z.number().int() }),
  startedAt: z.string().describe('ISO 8601'),
  durationsMs: obj({ total: z.number(), conformance: z.number(), load: z.number() }),
  summary: MatrixSummary,
  findings: z.array(RunFinding),
  groups: z.array(RootCauseGroup),
  requirements: z.array(RequirementRow),
  slos: z.array(SloRow),
  load: obj({
    verdict: ScenarioStatus,
    scenarios: z.array(obj({ name: z.string(), status: ScenarioStatus, windowS: z.number() })),
    breaches: z.array(z.string()),
    invalid: z.array(z.string()),
    skipped: z.array(obj({ name: z.string(), reason: z.string() })),
    errors: z.array(obj({ name: z.string(), message: z.string() })),
  }),
  warnings: z.array(z.string()),
}).meta({ id: 'CertifyReport', description: 'certify.json: the matrix of requirements and SLOs, with the verdict' });
