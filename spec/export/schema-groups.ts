/**
 * Which zod schemas are published, grouped by the module that declares them. A schema is published when
 * it is exported with `.meta({ id })` and survives JSON Schema conversion in both directions (schemas with
 * transforms, e.g. the decoded-frame variants, have no faithful JSON Schema and are skipped).
 */
import { z } from 'zod';
import * as requirements from '../requirements/types.ts';
import * as certifyReport from '../reports/certify-report.ts';
import * as conformanceReport from '../reports/conformance-report.ts';
import * as loadReport from '../reports/load-report.ts';
import * as agentPresence from '../schemas/agent-presence.ts';
import * as clientDriver from '../schemas/client-driver.ts';
import * as common from '../schemas/common.ts';
import * as pusherFrames from '../schemas/pusher-frames.ts';
import * as pusherHttp from '../schemas/pusher-http.ts';
import * as sync from '../schemas/sync.ts';
import * as target from '../target.ts';

export interface SchemaGroup {
  /** File stem in spec/generated: `<name>.schema.json`. */
  name: string;
  title: string;
  /** Source module, for the generated file's comment. */
  source: string;
  /** Published schemas by id, in id order. */
  schemas: Map<string, z.ZodType>;
  /**
   * A report's schema: the document validates that report at its root (`$ref` to this id), and its objects
   * are open, so a reader's copy of major N accepts every later N.x report (a minor adds optional fields).
   * The writers stay strict (spec/reports/).
   */
  report?: string;
}

type Module = { name: string; title: string; source: string; module: Record<string, unknown>; report?: string };

const MODULES: ReadonlyArray<Module> = [
  { name: 'common', title: 'Shared types (timestamps, error body, profiles)', source: 'spec/schemas/common.ts', module: common },
  {
    name: 'pusher-frames',
    title: 'Pusher protocol 7 frames, both directions',
    source: 'spec/schemas/pusher-frames.ts',
    module: pusherFrames,
  },
  { name: 'pusher-http', title: 'Pusher HTTP API bodies and webhooks', source: 'spec/schemas/pusher-http.ts', module: pusherHttp },
  { name: 'sync', title: 'Profile sync: events, envelope and API bodies', source: 'spec/schemas/sync.ts', module: sync },
  {
    name: 'agent-presence',
    title: 'Profile agent-presence: dashboard stream and API',
    source: 'spec/schemas/agent-presence.ts',
    module: agentPresence,
  },
  { name: 'target', title: 'The hubproof target file', source: 'spec/target.ts', module: target },
  { name: 'requirements', title: 'The requirement registry entry', source: 'spec/requirements/types.ts', module: requirements },
  {
    name: 'conformance-report',
    title: 'The conformance report (hubproof conform --json)',
    source: 'spec/reports/conformance-report.ts',
    module: conformanceReport,
    report: 'ConformanceReport',
  },
  {
    name: 'load-report',
    title: 'The load report (hubproof load --json, the k6 scripts, hubproof merge --json)',
    source: 'spec/reports/load-report.ts',
    module: loadReport,
    report: 'LoadReport',
  },
  {
    name: 'certify-report',
    title: 'The certification report (certify.json)',
    source: 'spec/reports/certify-report.ts',
    module: certifyReport,
    report: 'CertifyReport',
  },
  {
    name: 'client-driver',
    title: 'The client driver protocol of hubproof client: commands and observations',
    source: 'spec/schemas/client-driver.ts',
    module: clientDriver,
  },
];

function schemaId(value: unknown): string | undefined {
  if (!(value instanceof z.ZodType)) return undefined;
  const id = z.globalRegistry.get(value)?.id;
  return typeof id === 'string' ? id : undefined;
}

/** True when the schema converts in both io modes; transforms throw in `output` mode. */
function representable(schema: z.ZodType): boolean {
  try {
    z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'output', unrepresentable: 'throw' });
    z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'throw' });
    return true;
  } catch {
    return false;
  }
}

export function schemaGroups(): SchemaGroup[] {
  const seen = new Map<string, string>();
  return MODULES.map(({ name, title, source, module, report }) => {
    const schemas = new Map<string, z.ZodType>();
    const entries = Object.values(module)
      .map((v) => [schemaId(v), v] as const)
      .filter((e): e is readonly [string, z.ZodType] => e[0] !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [id, schema] of entries) {
      if (schemas.has(id)) continue;
      const owner = seen.get(id);
      if (owner !== undefined) throw new Error(`schema id ${id} is exported by both ${owner} and ${source}; ids must be unique`);
      if (!representable(schema)) continue;
      seen.set(id, source);
      schemas.set(id, schema);
    }
    return { name, title, source, schemas, ...(report ? { report } : {}) };
  });
}
