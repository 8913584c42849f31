/**
 * Who may import whom, checked by reading every import specifier (static, `export … from`, dynamic
 * `import()`, `new URL('…', import.meta.url)` and `import.meta.resolve('…')`) with TypeScript's own
 * pre-processor, so comments and strings never count. The harness reaches hubs only through a target
 * file (target/); only the CLI layer starts the reference hub (cli/embedded-target.ts), and the self-test
 * (selftest/) breaks hubs on purpose. The reference hub depends on none of them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

const RULES: Array<{ from: string[]; never: string[]; why: string }> = [
  {
    from: ['conformance', 'load', 'reports', 'certify', 'target'],
    never: ['reference-server', 'cli', 'selftest'],
    why: 'harness code reaches a hub only through a target; starting hubs is the CLI’s job, breaking them the self-test’s',
  },
  {
    from: ['reference-server'],
    never: ['conformance', 'load', 'reports', 'certify', 'cli', 'selftest', 'target'],
    why: 'the reference hub is a hub like any other: the harness may start it, it knows nothing of the harness',
  },
];

/** Every relative specifier in `source`, in order of appearance. */
function specifiers(source: string): string[] {
  const imports = ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
  // Files a module reaches without importing them (worker scripts, child-process entry points).
  const urls = [
    ...source.matchAll(/new URL\(\s*(['"`])([^'"`]+)\1\s*,\s*import\.meta\.url\s*\)|import\.meta\.resolve\(\s*(['"`])([^'"`]+)\3\s*\)/g),
  ].map((m) => m[2] ?? m[4]!);
  return [...imports, ...urls].filter((s) => s.startsWith('.'));
}

function tsFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));
}

/** `file → top-level folder` for every relative specifier of every .ts file under `dir`. */
function edges(dir: string): Array<{ file: string; spec: string; to: string }> {
  return tsFiles(dir).flatMap((file) =>
    specifiers(readFileSync(join(ROOT, file), 'utf8')).map((spec) => {
      const to = relative(ROOT, resolve(ROOT, dirname(file), spec)).split(sep)[0]!;
      return { file, spec, to };
    }),
  );
}

describe('import rules', () => {
  it('reads static, re-exported, dynamic and URL specifiers, and ignores comments and strings', () => {
    const src = [
      "import a from './a.ts';",
      'import type { B } from "../b.ts";',
      "export * from './c.ts';",
      "// import z from '../commented.ts';",
      'const s = "import y from \'../in-a-string.ts\'";',
      "const hub = await import('../reference-server/hub.ts');",
      "const w = new Worker(new URL('./worker.ts', import.meta.url));",
      "const p = import.meta.resolve('../bin/x.js');",
      "import fs from 'node:fs';",
    ].join('\n');
    expect(specifiers(src)).toEqual(['./a.ts', '../b.ts', './c.ts', '../reference-server/hub.ts', './worker.ts', '../bin/x.js']);
  });

  it('sees the edges that exist (the scan is not vacuous)', () => {
    expect(edges('cli').some((e) => e.file === join('cli', 'embedded-target.ts') && e.to === 'reference-server')).toBe(true);
    expect(edges('conformance').some((e) => e.file === join('conformance', 'runner.ts') && e.to === 'target')).toBe(true);
  });

  for (const rule of RULES) {
    it(`${rule.from.join(', ')} import nothing from ${rule.never.join(', ')}`, () => {
      const bad = rule.from.flatMap(edges).filter((e) => rule.never.includes(e.to));
      expect(bad.map((e) => `${e.file} imports ${e.spec} (${rule.why})`)).toEqual([]);
    });
  }
});
