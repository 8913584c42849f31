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
  dir: z
    .enum(['>', '<', 'http>', 'http<', 'close', 'open', 'note', 'fault', 'app>', 'app<'])
    .describe(
      '`>` sent, `<` received on a WebSocket; `http>`/`http<` HTTP; `app>` a command to a client driver, `app<` what the client application observed (`hubproof client`)',
    ),
  conn: z.string().describe('Which connection (e.g. `ws#2`) or request'),
  text: z.string().describe('The frame, request or note as sent or received'),
}).meta({ id: 'WireEntry', description: 'One line of a case’s wire log' });

export const BlockedBy = z
  .discriminatedUnion('kind', [
    obj({
      kind: z.literal('requirement').describe('A requirement the case relies on that the hub did not meet'),
      id: z.string().describe('That requirement'),
      case: z.string().optional().describe('The row that found it'),
    }),
    obj({
      kind: z.literal('crash').describe('The hub crashed'),
      id: z.string().describe('The crash finding of the run report (`crash#1`)'),
      case: z.string().optional().describe('The case during which the hub went down'),
    }),
  ])
  .meta({ id: 'BlockedBy', description: 'Why a row was not judged' });

export const RootCause = obj({
  fingerprint: z.string().describe('Names the observed behaviour (`http-error-as-2xx:200`), never one case’s message'),
  cause: z.string().describe('The behaviour in one line'),
}).meta({ id: 'RootCause', description: 'An observed hub behaviour behind a failure (root-cause groups)' });
export const Deviation = obj({
  key: z.string().describe('The listed key: a case id or a requirement id'),
  reason: z.string().describe('Why it is known'),
  link: z.string().optional().describe('Where it is tracked'),
}).meta({ id: 'Deviation', description: 'The entry of a known-deviations file that matched a row' });

const caseResult = {
  id: z.string().describe('`<requirement>#<n>`; replays its case'),
  requirement: z.string().describe('The requirement id this row judges (`pusher/auth/4`, `pusher-client/events/1`)'),
  level: Level.describe('MUST, SHOULD or MAY'),
  desc: z.string().describe('What the harness does, imperative'),
  outcome: Outcome,
  reason: z.string().optional().describe('Why skipped, unimplemented, informational or blocked, or the failure in one line'),
  expected: z.string().optional().describe('What the requirement calls for'),
  actual: z.string().optional().describe('What was observed'),
  durationMs: z.number().describe('Run time of the case, ms'),
  seed: z.number().int().optional().describe('fast-check seed of a property case'),
  path: z.string().optional().describe('fast-check path of the failing run'),
  replay: z.string().optional().describe('One command that reruns exactly this case against the same target'),
  counterexample: z.unknown().optional().describe('Minimal offending slice of a recorded history'),
  close: obj({ code: z.number().int().describe('WebSocket close code'), reason: z.string().describe('Close reason') })
    .optional()
    .describe('How the hub closed the case’s connection'),
  blockedBy: BlockedBy.optional(),
  rootCause: RootCause.optional(),
  deviation: Deviation.optional(),
  sameRunAs: z
    .string()
    .optional()
    .describe('On every row but the first of a case proving several requirements: the row holding the wire log'),
};

export const CaseResult = obj({ ...caseResult, wire: z.array(WireEntry).describe('Every frame sent and received, timestamped') }).meta({
  id: 'CaseResult',
  description: 'One requirement judged by one run of one case (also a case record of a report directory)',
});

export const RunFinding = obj({
  id: z.string().describe('Stable within the report: `crash#1`'),
  kind: z.enum(['crash', 'limit']).describe('A hub crash, or a declared limit that differs from Pusher’s'),
  severity: z.enum(['fail', 'info']).describe('fail counts as a failed MUST; info is a line to read first'),
  text: z.string().describe('One line'),
  cases: z.array(z.string()).optional().describe('The case ids it concerns'),
}).meta({ id: 'RunFinding', description: 'Something about the whole run, not one row' });

export const RootCauseGroup = obj({
  fingerprint: z.string().describe('Names the behaviour, never one case’s message'),
  cause: z.string().describe('The behaviour in one line'),
  cases: z.array(z.string()).describe('Row ids, in report order'),
}).meta({
  id: 'RootCauseGroup',
  description: 'Rows that failed (or were blocked) for one observed behaviour of the hub',
});

export const Summary = obj({
  ...(Object.fromEntries(Outcome.options.map((o) => [o, count().describe(`Rows that came out ${o}`)])) as Record<
    z.infer<typeof Outcome>,
    ReturnType<typeof count>
  >),
  total: count().describe('Rows'),
}).meta({ id: 'OutcomeSummary', description: 'Rows per outcome' });

export const EffectiveTimings = obj({
  activityTimeoutS: z.number().describe('Pusher activity timeout, seconds'),
  pongTimeoutMs: z.number().describe('How long the hub waits for pusher:pong, ms'),
  heartbeatTimeoutMs: z.number().describe('agent-presence: heartbeat timeout, ms'),
  staleGraceMs: z.number().describe('agent-presence: grace before a silent agent is stale, ms'),
  conflictBudgetMs: z.number().describe('sync: time budget for conflict resolution, ms'),
  conflictThreshold: z.number().describe('sync: similarity at which creates conflict, 0…1'),
  idleAfterMs: z.number().describe('agent-presence: idle after this long without activity, ms'),
  offlineAfterMs: z.number().describe('agent-presence: offline after this long without a heartbeat, ms'),
}).meta({
  id: 'EffectiveTimings',
  description: "The hub timers the run waited on (GET /api/hub, else the target's timings, else defaults)",
});

const runReport = {
  format: z.literal('hubproof-conformance/1').describe('Format and major'),
  schemaVersion: schemaVersionField('conformance'),
  target: obj({
    name: z.string().describe('Target name (the client’s, for `hubproof client`)'),
    profiles: z.array(Profile).describe('Profiles the target implements (empty for `hubproof client`)'),
    nodes: z.array(TargetNode).describe('The hub’s nodes'),
    embedded: z.boolean().describe('The reference hub the harness started itself'),
  }).describe('The hub judged'),
  hub: HubInfo.optional().describe('GET /api/hub, when the hub answers it'),
  client: obj({
    driver: z.string().describe('`pusher-js`, `laravel-echo`, or the driver command'),
    library: z.string().describe('The client library, as its driver announced it'),
    version: z.string().describe('Its version, as its driver announced it'),
  })
    .optional()
    .describe(
      'Set by `hubproof client`: the client library judged (then `target` names the client and the hub is hubproof’s scripted hub)',
    ),
  harness: obj({ name: z.string().describe('hubproof'), version: z.string().describe('Its version') }).describe('What judged'),
  seed: z.number().int().describe('fast-check seed of the run'),
  numRuns: z.number().int().describe('fast-check runs per property case'),
  strict: z.boolean().describe('SHOULD cases ran (--strict)'),
  selectors: z.array(z.string()).describe('Requirement id prefixes selected (empty: all)'),
  timings: EffectiveTimings,
  startedAt: z.string().describe('ISO 8601'),
  durationMs: z.number().describe('Whole run, ms'),
  warnings: z.array(z.string()).describe('One line each'),
  findings: z.array(RunFinding).describe('Lead the report (crashes first)'),
  groups: z.array(RootCauseGroup).describe('Shared causes of failed rows, largest first'),
  rules: obj({ failOnFixed: z.boolean().describe('A listed deviation that passed (fixed) fails the run') }).describe(
    'How outcomes count toward the exit code',
  ),
  summary: Summary,
  exitCode: z.union([z.literal(0), z.literal(1)]).describe('0 nothing failed the run, 1 otherwise'),
};

export const ConformanceReport = obj({
  ...runReport,
  results: z.array(CaseResult).describe('One row per (case, requirement it proves)'),
}).meta({
  id: 'ConformanceReport',
  description: 'A hubproof conformance run: one row per (case, requirement it proves), wire logs included',
});

export const ConformanceIndex = obj({
  ...runReport,
  results: z
    .array(
      obj({
        ...caseResult,
        wireEntries: count().describe('Lines in the wire log, which lives in the record'),
        record: z.string().describe('Path of the case record (a CaseResult) relative to this index'),
      }),
    )
    .describe('One row per (case, requirement it proves), without its wire log'),
}).meta({ id: 'ConformanceIndex', description: 'index.json of a report directory: rows without wire logs, each naming its record' });
