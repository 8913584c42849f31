/**
 * The reports' published contract, enforced at both ends. At compile time: each TypeScript report type
 * must equal what its zod schema (spec/reports/) parses, as JSON sees it (a key whose value may be
 * `undefined` is an optional key), so a field added to one and not the other fails `npm run typecheck`
 * on the line naming that type. At run time: every writer passes its report through `checkedReport`,
 * which refuses a report the schema does not describe, so a file that breaks the contract is never written
 * where readers look for it. Its content is not lost: it goes to a file in the temp directory that the
 * error names (a long soak or certify run is not thrown away for a hubproof bug).
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { z } from 'zod';
import { HubproofError } from '../spec/errors.ts';
import * as certify from '../spec/reports/certify-report.ts';
import * as conformance from '../spec/reports/conformance-report.ts';
import * as load from '../spec/reports/load-report.ts';
import type { ReportKind } from '../spec/reports/versions.ts';
import { describeZodError } from '../spec/target.ts';
import type * as L from '../load/report-types.ts';
import type { Scenario } from '../load/scenarios/types.ts';
import type { BrowserFigures } from '../load/browser/browser-figures.ts';
import type { GrowthFit } from '../load/soak/growth.ts';
import type { SoakFigures, SoakSample } from '../load/soak/soak-types.ts';
import type { EffectiveTimings } from '../conformance/types.ts';
import type { CaseResult, WireEntry } from './model/case-result.ts';
import type { CertifyReport, SloRow } from './model/certify-report.ts';
import type { RequirementRow } from './model/requirement-rows.ts';
import type { ClientSubject, RunReport, Summary } from './model/run-report.ts';

export const REPORT_SCHEMAS = {
  conformance: conformance.ConformanceReport,
  load: load.LoadReport,
  certify: certify.CertifyReport,
} as const;

/** The conformance report as written: the run report with its format and schema version. */
export type ConformanceReportJson = RunReport & { format: 'hubproof-conformance/1'; schemaVersion: string };

/**
 * The report's JSON text (two-space indent, trailing newline), once its schema has parsed exactly that
 * text (undefined keys dropped, NaN and Infinity as null); else HUBPROOF_ERR_REPORT_SCHEMA naming the
 * first field that does not match and the file in the temp directory that holds the text instead; the
 * caller writes nothing where the report belongs.
 */
export function reportJson(kind: ReportKind | 'conformance-index' | 'case-record', report: unknown): string {
  const schema: z.ZodType =
    kind === 'conformance-index' ? conformance.ConformanceIndex : kind === 'case-record' ? conformance.CaseResult : REPORT_SCHEMAS[kind];
  const text = `${JSON.stringify(report, null, 2)}\n`;
  const parsed = schema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    const kept = join(tmpdir(), `hubproof-${kind}-report-${process.pid}-${Date.now()}.json`);
    writeFileSync(kept, text);
    throw new HubproofError(
      'HUBPROOF_ERR_REPORT_SCHEMA',
      `the ${kind} report does not match its published schema at ${describeZodError(parsed.error)}; it was not written where it belongs, its content is in ${kept} (a hubproof bug: please report it)`,
    );
  }
  return text;
}

// ---- compile-time: the TypeScript types equal the schemas ----

/** A type as its JSON sees it: keys that may be undefined become optional, intersections flatten. */
type Json<T> = T extends string | number | boolean | null
  ? T
  : T extends readonly [infer A, infer B]
    ? [Json<A>, Json<B>]
    : T extends readonly (infer U)[]
      ? Json<U>[]
      : T extends object
        ? Flat<
            { [K in keyof T as undefined extends T[K] ? K : never]?: Json<Exclude<T[K], undefined>> } & {
              [K in keyof T as undefined extends T[K] ? never : K]-?: Json<T[K]>;
            }
          >
        : T;
type Flat<T> = { [K in keyof T]: T[K] };
/** Every key path of a type (`capacity.steps[].rate`); optional keys included, unions of objects merged. */
type Paths<T, P extends string = ''> = T extends readonly (infer U)[]
  ? Paths<U, `${P}[]`>
  : T extends object
    ? { [K in keyof T & string]-?: `${P}.${K}` | Paths<NonNullable<T[K]>, `${P}.${K}`> }[keyof T & string]
    : never;
/**
 * `true`, or what differs: key paths only the schema has, key paths only the type has (an optional key
 * added on one side only), or both when the shapes differ in a field's type. Assignability both ways
 * catches a changed type; the key paths catch an optional field added on one side only.
 */
type Same<Schema extends z.ZodType, Type> = Check<Json<z.output<Schema>>, Json<Type>>;
type Check<S, T> = [S] extends [T]
  ? [T] extends [S]
    ? [Exclude<Paths<S>, Paths<T>> | Exclude<Paths<T>, Paths<S>>] extends [never]
      ? true
      : { keysOnlyInSchema: Exclude<Paths<S>, Paths<T>>; keysOnlyInType: Exclude<Paths<T>, Paths<S>> }
    : { typeHasFieldsTheSchemaLacksOrTypesDiffer: Exclude<Paths<T>, Paths<S>> | 'see below' }
  : { schemaHasFieldsTheTypeLacksOrTypesDiffer: Exclude<Paths<S>, Paths<T>> | 'see below' };
function same<Schema extends z.ZodType, Type>(ok: Same<Schema, Type>): Same<Schema, Type> {
  return ok;
}

// Leaves first, so a mismatch is reported on the type that differs.
same<typeof load.Thresholds, Scenario['thresholds']>(true);
same<typeof load.Scenario, Scenario>(true);
same<typeof load.DriverHealth, L.DriverHealth>(true);
same<typeof load.EncodedHistogram, L.EncodedHistogram>(true);
same<typeof load.LatencyFigures, L.LatencyFigures>(true);
same<typeof load.DeliveryAccounting, L.DeliveryAccounting>(true);
same<typeof load.ThresholdResult, L.ThresholdResult>(true);
same<typeof load.CapacityStep, L.CapacityStep>(true);
same<typeof load.CapacitySearch, L.CapacitySearch>(true);
same<typeof load.CapacitySpread, L.CapacitySpread>(true);
same<typeof load.CapacityFigures, L.CapacityFigures>(true);
same<typeof load.SoakSample, SoakSample>(true);
same<typeof load.GrowthFit, GrowthFit>(true);
same<typeof load.SoakFigures, SoakFigures>(true);
same<typeof load.SkippedScenario, L.LoadReport['skipped'][number]>(true);
same<typeof load.ScenarioResult.shape.browser, BrowserFigures | undefined>(true);
same<typeof load.ScenarioResult.shape.capacity, L.ScenarioResult['capacity']>(true);
same<typeof load.ScenarioResult.shape.soak, L.ScenarioResult['soak']>(true);
same<typeof load.ScenarioResult.shape.conflicts, L.ConflictFigures | undefined>(true);
same<typeof load.ScenarioResult.shape.memory, L.MemoryFigures | undefined>(true);
same<typeof load.ScenarioResult.shape.nodes, L.NodeFigures[] | undefined>(true);
same<typeof load.ScenarioResult.shape.timeline, L.TimelineRow[]>(true);
same<typeof load.ScenarioResult.shape.delivery, L.DeliveryFigures>(true);
same<typeof load.ScenarioResult, L.ScenarioResult>(true);
same<typeof load.LoadReport, L.LoadReport>(true);

same<typeof conformance.WireEntry, WireEntry>(true);
same<typeof conformance.CaseResult, CaseResult>(true);
same<typeof conformance.ConformanceReport.shape.client, ClientSubject | undefined>(true);
same<typeof conformance.Summary, Summary>(true);
same<typeof conformance.EffectiveTimings, EffectiveTimings>(true);
same<typeof conformance.ConformanceReport, ConformanceReportJson>(true);

same<typeof certify.RequirementRow, RequirementRow>(true);
same<typeof certify.SloRow, SloRow>(true);
same<typeof certify.CertifyReport, CertifyReport>(true);
