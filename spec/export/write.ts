/**
 * `npm run spec:export`: writes spec/generated/* from the zod schemas and the requirement registry.
 * Files that are no longer generated are removed, so the directory never holds stale artefacts.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GENERATED_DIR, generateArtefacts } from './artefacts.ts';

const dir = fileURLToPath(GENERATED_DIR);
mkdirSync(dir, { recursive: true });
const files = generateArtefacts();
for (const [name, content] of files) {
  let old: string | undefined;
  try {
    old = readFileSync(`${dir}/${name}`, 'utf8');
  } catch {
    old = undefined;
  }
  if (old !== content) writeFileSync(`${dir}/${name}`, content);
  process.stdout.write(`${old === content ? 'unchanged' : 'wrote    '} spec/generated/${name}\n`);
}
for (const name of readdirSync(dir)) {
  if (!files.has(name) && name.endsWith('.json')) {
    rmSync(`${dir}/${name}`);
    process.stdout.write(`removed   spec/generated/${name}\n`);
  }
}
