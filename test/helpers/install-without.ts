/**
 * hubproof as an install without some packages: a temporary folder holding a copy of the sources
 * (copies, not links: Node resolves packages from a file's real path) and a node_modules of links to
 * this checkout's packages but those. Importing a left-out package fails there as it does where it was
 * never installed, in worker threads too.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SOURCES = ['package.json', 'bin', 'bench', 'certify', 'cli', 'conformance', 'load', 'reference-server', 'reports', 'spec', 'target'];

/** Returns the folder; its `bin/hubproof.js` runs the copy. The caller removes it. */
export function installWithout(root: string, ...packages: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'hubproof-without-'));
  for (const s of SOURCES) cpSync(join(root, s), join(dir, s), { recursive: true });
  const modules = join(dir, 'node_modules');
  mkdirSync(modules);
  for (const name of readdirSync(join(root, 'node_modules'))) {
    if (name.startsWith('@')) {
      mkdirSync(join(modules, name));
      for (const sub of readdirSync(join(root, 'node_modules', name)))
        if (!packages.includes(`${name}/${sub}`)) symlinkSync(join(root, 'node_modules', name, sub), join(modules, name, sub));
    } else if (!packages.includes(name)) symlinkSync(join(root, 'node_modules', name), join(modules, name));
  }
  return dir;
}
