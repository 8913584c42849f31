/**
 * The globals a k6 script's init code reads (__ENV, __VU, open), set before the script module evaluates
 * (the bundle imports this first). `__hpResolve` stands in for import.meta.resolve, which the bundler
 * rewrites so a path stays relative to the file it was written in, as in k6.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { workerData } from 'node:worker_threads';

const init = workerData as { script: string; env: Record<string, string>; vuId: number };
const g = globalThis as Record<string, unknown>;
g.__ENV = init.env;
g.__VU = init.vuId;
g.open = (path: string): string => {
  const p = path.startsWith('file://') ? fileURLToPath(path) : path;
  return readFileSync(isAbsolute(p) ? p : resolve(dirname(init.script), p), 'utf8');
};
g.__hpResolve = (base: string, specifier: string): string => new URL(specifier, base).href;
