/**
 * `npm run spec:export`: writes spec/generated/* from the zod schemas and the requirement registry, and
 * the generated pages under docs/ (the requirements catalogue). Files in spec/generated/ that are no
 * longer generated are removed, so the directory never holds stale artefacts.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GENERATED_DIR, generateArtefacts, generateDocs, REPO_ROOT } from './artefacts.ts';

/** Writes `content` to `path` unless it is already there; reports which, under `label`. */
function writeIfChanged(path: string, label: string, content: string): void {
  let old: string | undefined;
  try {
    old = readFileSync(path, 'utf8');
  } catch {
    old = undefined;
  }
  if (old !== content) writeFileSync(path, content);
  process.stdout.write(`${old === content ? 'unchanged' : 'wrote    '} ${label}\n`);
}

const dir = fileURLToPath(GENERATED_DIR);
mkdirSync(dir, { recursive: true });
const files = generateArtefacts();
for (const [name, content] of files) writeIfChanged(`${dir}/${name}`, `spec/generated/${name}`, content);
const root = fileURLToPath(REPO_ROOT);
for (const [path, content] of generateDocs()) {
  mkdirSync(dirname(`${root}${path}`), { recursive: true });
  writeIfChanged(`${root}${path}`, path, content);
}
for (const name of readdirSync(dir)) {
  if (!files.has(name) && name.endsWith('.json')) {
    rmSync(`${dir}/${name}`);
    process.stdout.write(`removed   spec/generated/${name}\n`);
  }
}
