/**
 * Validates a report against its PUBLISHED JSON Schema (spec/generated/<kind>-report.schema.json), with a
 * JSON Schema 2020-12 validator (ajv) rather than the zod schema it was generated from: what a consumer
 * of the file would check. Returns the validator's errors, `[]` when the report is valid.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { expect } from 'vitest';
import { reportJson } from '../../reports/report-contract.ts';

const DIR = new URL('../../spec/generated/', import.meta.url);
const BASE = 'https://hubproof.invalid/spec/generated/';

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats.default(ajv);
for (const file of readdirSync(DIR).filter((f) => f.endsWith('.schema.json'))) {
  ajv.addSchema({ ...JSON.parse(readFileSync(new URL(file, DIR), 'utf8')), $id: `${BASE}${file}` });
}

export type PublishedReport = 'conformance' | 'load' | 'certify';

/** Errors as `path: message` lines; `def` validates against another definition of the file (`ConformanceIndex`). */
export function publishedSchemaErrors(kind: PublishedReport, report: unknown, def?: string): string[] {
  const validate = ajv.getSchema(`${BASE}${kind}-report.schema.json${def ? `#/$defs/${def}` : ''}`);
  if (!validate) throw new Error(`no published schema for ${kind}${def ? ` #/$defs/${def}` : ''}`);
  return validate(report) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'}: ${e.message ?? e.keyword}`);
}

/**
 * The report as its writer would write it (reports/report-contract.ts: the zod schema refuses anything
 * it does not describe), then checked against the published JSON Schema: both ends of the contract.
 */
export function expectPublishedReport(kind: PublishedReport, report: unknown): void {
  const written = JSON.parse(reportJson(kind, report)) as unknown;
  expect(publishedSchemaErrors(kind, written), `${kind} report vs spec/generated/${kind}-report.schema.json`).toEqual([]);
}
