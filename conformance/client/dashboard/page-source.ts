/**
 * Where the dashboard page under test comes from: a folder of its files (the reference hub's page, which
 * the CLI locates: conformance/ never reaches into reference-server/), or a hub's page URL, whose page
 * and assets are fetched from that origin under the same paths. Either way the scripted stream serves
 * them on its own origin, so the page reaches the scripted `/ws/broadcasts` and `/api/presence` exactly as
 * it reaches its own hub's.
 */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { HubproofError } from '../../../spec/errors.ts';

export interface PageAsset {
  body: Buffer;
  type: string;
}

export interface PageSource {
  /** What the report names: the folder or the URL. */
  label: string;
  /** The page's path on the serving origin (`/dashboard`). */
  path: string;
  /** The asset at `path` of the serving origin, or undefined when there is none. */
  fetch(path: string): Promise<PageAsset | undefined>;
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

/** The page files of `dir` served as the reference hub serves them: `/dashboard` is index.html, `/dashboard/<file>` the rest. */
export function pageFromFolder(dir: string, path = '/dashboard'): PageSource {
  const cache = new Map<string, Buffer>();
  return {
    label: dir,
    path,
    async fetch(requested) {
      let name: string;
      if (requested === path || requested === `${path}/`) name = 'index.html';
      else if (requested.startsWith(`${path}/`)) name = requested.slice(path.length + 1);
      else return undefined;
      const file = normalize(join(dir, name));
      if (!file.startsWith(normalize(dir)) || name.includes('..')) return undefined;
      try {
        const body = cache.get(file) ?? (await readFile(file));
        cache.set(file, body);
        return { body, type: TYPES[extname(file)] ?? 'application/octet-stream' };
      } catch {
        return undefined;
      }
    },
  };
}

/** `--client-url URL`: the page at URL and every asset it loads, fetched from URL's origin (each once per run). */
export function pageFromUrl(url: string): PageSource {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new HubproofError(
      'HUBPROOF_ERR_USAGE',
      `--client-url ${url} is not a URL; give the page's address, e.g. http://127.0.0.1:8080/dashboard`,
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new HubproofError('HUBPROOF_ERR_USAGE', `--client-url ${url} is not an http(s) URL`);
  const cache = new Map<string, Promise<PageAsset | undefined>>();
  const get = async (path: string): Promise<PageAsset | undefined> => {
    const res = await fetch(new URL(path, parsed.origin), { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) return undefined;
    return { body: Buffer.from(await res.arrayBuffer()), type: res.headers.get('content-type') ?? 'application/octet-stream' };
  };
  return {
    label: url,
    path: parsed.pathname,
    fetch(path) {
      if (!cache.has(path)) cache.set(path, get(path));
      return cache.get(path)!;
    },
  };
}

/** Fails with exit 2 when the page cannot be fetched at all (a wrong URL or folder is the user's to fix). */
export async function checkPageSource(page: PageSource): Promise<void> {
  let asset: PageAsset | undefined;
  try {
    asset = await page.fetch(page.path);
  } catch (err) {
    throw new HubproofError(
      'HUBPROOF_ERR_TARGET_UNREACHABLE',
      `the dashboard page ${page.label} cannot be fetched: ${(err as Error).message}`,
    );
  }
  if (!asset)
    throw new HubproofError(
      'HUBPROOF_ERR_TARGET_UNREACHABLE',
      `the dashboard page ${page.label} was not found; give the page's URL with --client-url`,
    );
}
