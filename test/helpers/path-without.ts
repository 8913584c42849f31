/**
 * A PATH like this process's, less some programs: a temporary folder of links to every program on PATH
 * but those, so a child process finds the rest (sh, node, nice…) and not them, as on a machine without.
 */
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export function pathWithout(...programs: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'hubproof-path-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const seen = new Set(programs);
  for (const d of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      continue;
    }
    for (const name of names) {
      if (seen.has(name)) continue;
      seen.add(name);
      symlinkSync(join(d, name), join(bin, name));
    }
  }
  return bin;
}
