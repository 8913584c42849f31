/**
 * The conformance report (`hubproof conform --json FILE`, and the index and per-case records of a report
 * directory) as zod: the published contract of reports/model/case-result.ts and run-report.ts. Strict
 * objects, so the writer refuses a field this schema does not describe; reports/report-contract.ts fails
 * typecheck when the TypeScript types and these schemas differ.
 */
import { z } from 'zod';
import { Level } from '../requirements/types.ts';
import { Profile } from '../schemas/common.ts';
import { HubInfo } from '../schemas/sync.ts';
import { TargetNode } from '../target.ts';
import { schemaVersionField } from './schema-version.ts';

const obj = z.strictObject;
const count = () => z.number().int().nonnegative();

export const Outcome = z
  .enum(['pass', 'fail', 'non-strict', 'skipped', 'unimplemented', 'informational', 'blocked', 'expected-fail', 'fixed'])
  .meta({ id: 'Outcome', description: 'What one row (or a requirement, its worst row) came out as' });

export const WireEntry = obj({
  t: z.number().describe('ms since the case started'),
  dir: z.enum(['>', '<', 'http>', 'http<', 'close', 'open', 'note', 'fault']),
  conn: z.string(),
  text: z.string(),
}).meta({ id: 'WireEntry' });

export const BlockedBy = z
  .discriminatedUnion('kind', [
    obj({ kind: z.literal('requirement'), id: z.string(), case: z.string().optional() }),
    obj({ kind: z.literal('crash'), id: z.string(), case: z.string().optional() }),
  ])
  .meta({ id: 'BlockedBy' });

export const RootCause = obj({ fingerprint: z.string(), cause: z.string() }).meta({ id: 'RootCause' });
export const Deviation = obj({ key: z.string(), reason: z.string(), link: z.string().optional() }).meta({ id: 'Deviation' });

const caseResult = {
  id: z.string().describe('`<requirement>#<n>`; replays its case'),
  requirement: z.string(),
  level: Level,
  desc: z.string(),
  outcome: Outcome,
  reason: z.string().optional(),
  expected: z.string().optional(),
  actual: z.string().optional(),
  durationMs: z.number(),
  seed: z.number().int().optional(),
  path: z.string().optional(),
  replay: z.string().optional(),
  counterexample: z.unknown().optional(),
  close: obj({ code: z.number().int(), reason: z.string() }).optional(),
  blockedBy: BlockedBy.optional(),
  rootCause: RootCause.optional(),
  deviation: Deviation.optional(),
  sameRunAs: z.string().optional(),
};

export const CaseResult = obj({ ...caseResult, wire: z.array(WireEntry) }).meta({
  id: 'CaseResult',
  description: 'One requirement judged by one run of one case (also a case record of a report directory)',
});

export const RunFinding = obj({
  id: z.string(),
  kind: z.enum(['crash', 'limit']),
  severity: z.enum(['fail', 'info']),
  text: z.string(),
  cases: z.array(z.string()).optional(),
}).meta({ id: 'RunFinding' });

export const RootCauseGroup = obj({ fingerprint: z.string(), cause: z.string(), cases: z.array(z.string()) }).meta({
  id: 'RootCauseGroup',
});

export const Summary = obj({
  ...(Object.fromEntries(Outcome.options.map((o) => [o, count()])) as Record<z.infer<typeof Outcome>, ReturnType<typeof count>>),
  total: count(),
}).meta({ id: 'OutcomeSummary', description: 'Rows per outcome' });

export const EffectiveTimings = obj({
  activityTimeoutS: z.number(),
  pongTimeoutMs: z.number(),
  heartbeatTimeoutMs: z.number(),
  staleGraceMs: z.number(),
  conflictBudgetMs: z.number(),
  conflictThreshold: z.number(),
  idleAfterMs: z.number(),
  offlineAfterMs: z.number(),
}).meta({
  id: 'EffectiveTimings',
  description: "The hub timers the run waited on (GET /api/hub, else the target's timings, else defaults)",
});

const runReport = {
  format: z.literal('hubproof-conformance/1'),
  schemaVersion: schemaVersionField('conformance'),
  target: obj({ name: z.string(), profiles: z.array(Profile), nodes: z.array(TargetNode), embedded: z.boolean() }),
  hub: HubInfo.optional().describe('GET /api/hub, when the hub answers it'),
  harness: obj({ name: z.string(), version: z.string() }),
  seed: z.number().int(),
  numRuns: z.number().int(),
  strict: z.boolean(),
  selectors: z.array(z.string()),
  timings: EffectiveTimings,
  startedAt: z.string().describe('ISO 8601'),
  durationMs: z.number(),
  warnings: z.array(z.string()),
  findings: z.array(RunFinding),
  groups: z.array(RootCauseGroup),
  rules: obj({ failOnFixed: z.boolean() }),
  summary: Summary,
  exitCode: z.union([z.literal(0), z.literal(1)]),
};

export const ConformanceReport = obj({ ...runReport, results: z.array(CaseResult) }).meta({
  id: 'ConformanceReport',
  description: 'A hubproof conformance run: one row per (case, requirement it proves), wire logs included',
});

export const ConformanceIndex = obj({
  ...runReport,
  results: z.array(
    obj({
      ...caseResult,
      wireEntries: count().describe('Lines in the wire log, which lives in the record'),
      record: z.string().describe('Path of the case record (a CaseResult) relative to this index'),
    }),
  ),
}).meta({ id: 'ConformanceIndex', description: 'index.json of a report directory: rows without wire logs, each naming its record' });
