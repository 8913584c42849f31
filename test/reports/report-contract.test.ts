/**
 * The reports' contract: each JSON report carries a schemaVersion and has a published JSON Schema under
 * spec/generated/; the writers refuse what the schema does not describe (and write nothing), the published
 * schema accepts every minor of its major and no other major, and `hubproof merge` reads by it. Real runs'
 * reports are checked against the published schemas where those runs happen (mutants, certify, load, shards).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConformance, type RunReport } from '../../conformance/runner.ts';
import { readLoadReport } from '../../load/merge/read-report.ts';
import type { LoadReport } from '../../load/report-types.ts';
import { emptyReport, judgeReport } from '../../load/report-verdict.ts';
import { conformanceJson, writeConformanceJson, writeConformanceJsonDir } from '../../reports/conformance-json.ts';
import { writeLoadJson } from '../../reports/load-json.ts';
import { REPORT_SCHEMA_VERSIONS } from '../../spec/reports/versions.ts';
import { derived, req } from '../../spec/requirements/types.ts';
import { publishedSchemaErrors } from '../helpers/published-schema.ts';

const FIXTURE = derived('a fixture of this test');
const GENERATED = join(import.meta.dirname, '..', '..', 'spec', 'generated');
const dir = mkdtempSync(join(tmpdir(), 'hubproof-contract-'));
let server: Server;
let run: RunReport;

const loadReport = (): LoadReport =>
  judgeReport(
    emptyReport(
      'node',
      { name: 'hub', http: 'http://127.0.0.1:1', ws: 'ws://127.0.0.1:1', hub: 'external' },
      { node: 'v20', cores: 2, platform: 'linux' },
    ),
  );

beforeAll(async () => {
  server = createServer((_q, res) => res.end('ok'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  // A real run of the runner (passing, failing with a counterexample, skipped and unimplemented rows).
  run = await runConformance({
    target: {
      name: 'contract',
      profiles: ['pusher'],
      nodes: [{ ws: `ws://127.0.0.1:${port}`, http: `http://127.0.0.1:${port}` }],
      app: { id: '1', key: 'k', secret: 's' },
      agents: [],
    },
    requirements: [
      req('pusher/connection/1', 'MUST', 'A rule that passes here.', 'test', FIXTURE),
      req('pusher/auth/4', 'MUST', 'A rule that fails here.', 'test', FIXTURE),
      req('pusher/auth/9', 'SHOULD', 'A SHOULD skipped without --strict.', 'test', FIXTURE),
      req('sync/ordering/1', 'MUST', 'A rule of a profile the target lacks.', 'test', FIXTURE),
    ],
    cases: [
      { requirement: 'pusher/connection/1', desc: 'Logs a frame', run: async (ctx) => ctx.log('>', 'ws#1', '{"event":"pusher:ping"}') },
      {
        requirement: 'pusher/auth/4',
        desc: 'Fails',
        run: async (ctx) => ctx.fail('hub accepted a forged signature', { expected: 'pusher:error 4009', actual: 'subscribed' }),
      },
      { requirement: 'pusher/auth/9', desc: 'A SHOULD case', run: async () => undefined },
      { requirement: 'sync/ordering/1', desc: 'A sync case', run: async () => undefined },
    ],
    progress: null,
    seed: 5,
  });
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

describe('published report schemas', () => {
  it.each(Object.entries(REPORT_SCHEMA_VERSIONS))(
    '%s: validates the report at its root and pins schemaVersion to the major of %s',
    (kind, version) => {
      const doc = JSON.parse(readFileSync(join(GENERATED, `${kind}-report.schema.json`), 'utf8')) as {
        $schema: string;
        $ref: string;
        $defs: Record<string, { properties: { schemaVersion: { pattern: string } }; required: string[] }>;
      };
      expect(doc.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      const root = doc.$defs[doc.$ref.replace('#/$defs/', '')]!;
      expect(root.required).toContain('schemaVersion');
      expect(root.properties.schemaVersion.pattern).toBe(`^${version.split('.')[0]}\\.\\d+$`);
    },
  );

  it.each(Object.keys(REPORT_SCHEMA_VERSIONS))(
    '%s: says what every field is (a description on it, or on the definition it refers to)',
    (kind) => {
      const doc = JSON.parse(readFileSync(join(GENERATED, `${kind}-report.schema.json`), 'utf8')) as { $defs: Record<string, JsonNode> };
      expect(undescribedFields(doc.$defs)).toEqual([]);
    },
  );

  it('holds a conformance run: the --json file, and the index and case records of a report directory', () => {
    expect(run.summary).toMatchObject({ pass: 1, fail: 1, skipped: 1, unimplemented: 1 });
    writeConformanceJson(run, join(dir, 'run.json'));
    const file = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    expect(file).toMatchObject({ format: 'hubproof-conformance/1', schemaVersion: REPORT_SCHEMA_VERSIONS.conformance });
    expect(publishedSchemaErrors('conformance', file)).toEqual([]);
    const index = JSON.parse(readFileSync(writeConformanceJsonDir(run, join(dir, 'run')), 'utf8'));
    expect(publishedSchemaErrors('conformance', index, 'ConformanceIndex')).toEqual([]);
    const records = readdirSync(join(dir, 'run', 'cases'));
    expect(records).toHaveLength(4);
    for (const r of records)
      expect(publishedSchemaErrors('conformance', JSON.parse(readFileSync(join(dir, 'run', 'cases', r), 'utf8')), 'CaseResult')).toEqual(
        [],
      );
  });

  it('accepts a later minor of the same major, with fields it does not list, and refuses another major', () => {
    const report = JSON.parse(JSON.stringify(loadReport()));
    expect(publishedSchemaErrors('load', report)).toEqual([]);
    expect(publishedSchemaErrors('load', { ...report, schemaVersion: '2.7', addedIn27: { x: 1 } })).toEqual([]);
    expect(publishedSchemaErrors('load', { ...report, schemaVersion: '3.0' })).toEqual(['/schemaVersion: must match pattern "^2\\.\\d+$"']);
    const { schemaVersion: _gone, ...unversioned } = report;
    expect(publishedSchemaErrors('load', unversioned)).toEqual(["(root): must have required property 'schemaVersion'"]);
  });
});

type JsonNode = { [key: string]: unknown };

/** `Def.path.field` of every property without a description, on it or on the `#/$defs/` entry it refers to. */
function undescribedFields(defs: Record<string, JsonNode>): string[] {
  const out: string[] = [];
  const described = (v: JsonNode): boolean => {
    if (typeof v.description === 'string') return true;
    const ref = v.$ref;
    if (typeof ref !== 'string') return false;
    // Another file's definition is that file's business (target.schema.json has its own).
    return ref.startsWith('#/$defs/') ? typeof defs[ref.slice('#/$defs/'.length)]?.description === 'string' : true;
  };
  const walk = (node: unknown, path: string): void => {
    if (Array.isArray(node)) return node.forEach((n) => walk(n, path));
    if (node === null || typeof node !== 'object') return;
    const props = (node as JsonNode).properties as Record<string, JsonNode> | undefined;
    for (const [k, v] of Object.entries(props ?? {})) if (!described(v)) out.push(`${path}.${k}`);
    for (const [k, v] of Object.entries(node)) walk(v, k === 'properties' ? path : `${path}.${k}`);
  };
  for (const [id, def] of Object.entries(defs)) walk(def, id);
  return out;
}

describe('writers', () => {
  it('refuse a report with a field the schema does not describe: nothing where it belongs, its content kept in the file the error names', () => {
    const file = join(dir, 'extra.json');
    const extra = { ...run, results: run.results.map((r, i) => (i === 0 ? { ...r, verdictNote: 'not in the schema' } : r)) };
    let message = '';
    expect(() => {
      try {
        writeConformanceJson(extra, file);
      } catch (err) {
        message = (err as Error).message;
        throw err;
      }
    }).toThrow(
      expect.objectContaining({
        code: 'HUBPROOF_ERR_REPORT_SCHEMA',
        message: expect.stringMatching(/at results\.0: Unrecognized key: "verdictNote".*its content is in \S+\.json/),
      }),
    );
    expect(existsSync(file)).toBe(false);
    const kept = /its content is in (\S+\.json)/.exec(message)![1]!;
    expect(JSON.parse(readFileSync(kept, 'utf8')).results[0].verdictNote).toBe('not in the schema');
    rmSync(kept);
    expect(() => writeConformanceJsonDir(extra, join(dir, 'extra'))).toThrow(/HUBPROOF_ERR_REPORT_SCHEMA|does not match/);
    expect(existsSync(join(dir, 'extra'))).toBe(false);
  });

  it('refuse a figure that JSON cannot hold (NaN is written as null) and a value of the wrong type', () => {
    const nan = { ...loadReport(), driver: { node: 'v20', cores: Number.NaN, platform: 'linux' } };
    expect(() => writeLoadJson(join(dir, 'nan.json'), nan)).toThrow(/load report does not match its published schema at driver\.cores/);
    const wrong = { ...loadReport(), verdict: 'maybe' } as unknown as LoadReport;
    expect(() => writeLoadJson(join(dir, 'wrong.json'), wrong)).toThrow(/at verdict/);
    expect(existsSync(join(dir, 'nan.json')) || existsSync(join(dir, 'wrong.json'))).toBe(false);
    writeLoadJson(join(dir, 'ok.json'), loadReport());
    expect(publishedSchemaErrors('load', JSON.parse(readFileSync(join(dir, 'ok.json'), 'utf8')))).toEqual([]);
  });

  it('write the schema version and format the conformance JSON carries', () => {
    expect(conformanceJson(run)).toMatchObject({ format: 'hubproof-conformance/1', schemaVersion: '1.1' });
    expect(loadReport()).toMatchObject({ schemaVersion: '2.1', reportVersion: 2 });
  });
});

describe('hubproof merge reads by the contract', () => {
  const write = (name: string, value: unknown): string => {
    // Written by hand: what another hubproof, or a hand edit, would have left.
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(value));
    return path;
  };

  it('refuses a report of another major, naming both versions', () => {
    const path = write('v3.json', { ...loadReport(), schemaVersion: '3.0' });
    expect(() => readLoadReport(path)).toThrow(/schema 3\.0; this hubproof reads 2\.x/);
  });

  it('names the field of a malformed report', () => {
    const path = write('bad.json', { ...loadReport(), breaches: 'none' });
    expect(() => readLoadReport(path)).toThrow(/does not match the load report schema at breaches/);
  });

  it('reads a version-2 report written before schemaVersion existed as 2.0', () => {
    const { schemaVersion: _gone, ...old } = loadReport();
    expect(readLoadReport(write('old.json', old)).schemaVersion).toBe('2.0');
  });
});
