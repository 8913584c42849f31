// @ts-check
/** Loads a client library: the copy hubproof depends on, or the installed copy at `--client-path`. */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);

/**
 * The package folder of `name`: `dir` itself when it is that package, else `dir/node_modules/name`;
 * without `dir`, the copy this driver resolves.
 * @param {string} name
 * @param {string | undefined} dir
 */
export function packageDir(name, dir) {
  if (dir === undefined) {
    // Not require.resolve(`${name}/package.json`): packages with an `exports` map (laravel-echo) hide it.
    const found = (require.resolve.paths(name) ?? []).map((p) => join(p, name)).find((p) => existsSync(join(p, 'package.json')));
    if (!found) throw new Error(`${name} is not installed next to hubproof (npm install ${name})`);
    return found;
  }
  for (const candidate of [resolve(dir), join(resolve(dir), 'node_modules', name)]) {
    const manifest = join(candidate, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === name) return candidate;
  }
  throw new Error(`--client-path ${dir}: neither it nor its node_modules holds an installed ${name} (npm install ${name}@VERSION there)`);
}

/**
 * `require`s the package (its CommonJS entry, the one a Node app gets, or `entry` inside it when that
 * file exists) and reads its version.
 * @param {string} name
 * @param {string | undefined} dir
 * @param {string} [entry]
 * @returns {{ module: any, version: string, dir: string }}
 */
export function loadLibrary(name, dir, entry) {
  const at = packageDir(name, dir);
  const file = entry !== undefined && existsSync(join(at, entry)) ? join(at, entry) : at;
  return { module: require(file), version: manifest(at).version, dir: at };
}

/**
 * `import`s the package's ES module entry (`exports["."].import`, else `module`, else `main`), for
 * packages whose CommonJS build Node cannot load.
 * @param {string} name
 * @param {string | undefined} dir
 * @returns {Promise<{ module: any, version: string, dir: string }>}
 */
export async function importLibrary(name, dir) {
  const at = packageDir(name, dir);
  const m = manifest(at);
  const dot = m.exports?.['.'] ?? m.exports;
  const entry =
    (typeof dot === 'object' ? (dot.import ?? dot.default) : typeof dot === 'string' ? dot : undefined) ?? m.module ?? m.main ?? 'index.js';
  return { module: await import(pathToFileURL(join(at, entry)).href), version: m.version, dir: at };
}

/** @param {string} at @returns {any} */
function manifest(at) {
  const m = JSON.parse(readFileSync(join(at, 'package.json'), 'utf8'));
  return { ...m, version: String(m.version) };
}
