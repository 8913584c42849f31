/** The `schemaVersion` field of a report schema: any minor of the major this schema describes. */
import { z } from 'zod';
import { majorOf, REPORT_SCHEMA_VERSIONS, type ReportKind } from './versions.ts';

export function schemaVersionField(kind: ReportKind): z.ZodString {
  const major = majorOf(REPORT_SCHEMA_VERSIONS[kind]);
  return z
    .string()
    .regex(new RegExp(`^${major}\\.\\d+$`), `must be ${major}.<minor>: this schema describes major ${major}`)
    .describe(`MAJOR.MINOR. This schema describes every ${major}.x report; a new minor only adds optional fields.`);
}
