/**
 * Every generated file, as `name → content`, computed in memory. write.ts writes them; the drift test
 * compares them with the committed copies. `generateArtefacts` fills spec/generated/, `generateDocs` the
 * generated pages under docs/ (paths relative to the repository root).
 */
import { readFileSync } from 'node:fs';
import { REQUIREMENTS } from '../requirements/index.ts';
import { asyncApiDocument } from './asyncapi.ts';
import { canonicalJson } from './canonical.ts';
import { jsonSchemaDocuments } from './json-schema.ts';
import { REQUIREMENTS_DOC_PATH, requirementsMarkdown } from './requirements-doc.ts';

export const GENERATED_DIR = new URL('../generated/', import.meta.url);
export const REPO_ROOT = new URL('../../', import.meta.url);

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export function generateArtefacts(): Map<string, string> {
  const files = new Map<string, string>();
  for (const [name, doc] of jsonSchemaDocuments()) files.set(name, canonicalJson(doc));
  files.set('requirements.json', canonicalJson(REQUIREMENTS));
  files.set('asyncapi.json', canonicalJson(asyncApiDocument(packageVersion())));
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)));
}

export function generateDocs(): Map<string, string> {
  return new Map([[REQUIREMENTS_DOC_PATH, requirementsMarkdown(REQUIREMENTS)]]);
}
