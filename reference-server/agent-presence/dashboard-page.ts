/**
 * `GET /dashboard`: the live agent dashboard, served by the hub itself. Plain HTML, CSS and ES modules
 * from `./dashboard/` (no build step), read once at mount and served from memory. The page takes an
 * agent token from `?token=` or a form, reads `GET /api/presence` and follows `WS /ws/broadcasts`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HttpError, type RequestContext, type Router } from '../http/router.ts';

export const DASHBOARD_PAGE_PATH = '/dashboard';
const ASSET_DIR = fileURLToPath(new URL('./dashboard/', import.meta.url));

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * Same-origin scripts, styles and connections only (the WebSocket included), no framing; no referrer,
 * because the page URL may carry the token.
 */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

function loadAssets(): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const name of readdirSync(ASSET_DIR)) {
    const type = TYPES[extname(name)];
    if (!type) continue;
    const body = readFileSync(join(ASSET_DIR, name));
    assets.set(name, { body, type, etag: `"${createHash('sha1').update(body).digest('base64url').slice(0, 16)}"` });
  }
  return assets;
}

function send(rc: RequestContext, asset: Asset): void {
  // Revalidated on every load, so a page open on a wall screen picks up a new hub version on reload.
  const headers = { 'content-type': asset.type, 'cache-control': 'no-cache', etag: asset.etag, ...SECURITY_HEADERS };
  if (rc.req.headers['if-none-match'] === asset.etag) {
    rc.res.writeHead(304, headers).end();
    return;
  }
  rc.res.writeHead(200, { ...headers, 'content-length': asset.body.length });
  rc.res.end(rc.method === 'HEAD' ? undefined : asset.body);
}

export function mountDashboardPage(router: Router): void {
  const assets = loadAssets();
  const index = assets.get('index.html');
  if (!index) throw new Error(`dashboard page missing: ${join(ASSET_DIR, 'index.html')}`);
  for (const method of ['GET', 'HEAD']) {
    router.add(method, DASHBOARD_PAGE_PATH, (rc) => send(rc, index));
    router.add(method, `${DASHBOARD_PAGE_PATH}/:asset`, (rc) => {
      const asset = rc.params.asset === 'index.html' ? undefined : assets.get(rc.params.asset!);
      if (!asset) throw new HttpError(404, 'not_found', `no dashboard asset ${rc.params.asset}`);
      send(rc, asset);
    });
  }
}
