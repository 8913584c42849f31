/**
 * Serves hubproof's measuring page (`load/browser/page/`) on loopback, port 0, for the browser scenario's
 * Chromium pages. The hub under test never serves it: the page is the harness's, the hub only streams.
 */
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';

const PAGE_DIR = new URL('./page/', import.meta.url);
const FILES: Readonly<Record<string, { file: string; type: string }>> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/measure-page.js': { file: 'measure-page.js', type: 'text/javascript; charset=utf-8' },
};

/** The instrument every measuring page gets before its own scripts (see page/instrument.js). */
export const INSTRUMENT_SCRIPT = readFileSync(new URL('instrument.js', PAGE_DIR), 'utf8');

export interface PageServer {
  /** `http://127.0.0.1:PORT/?ws=<url>`: the measuring page following `wsUrl`. */
  pageUrl(wsUrl: string): string;
  close(): Promise<void>;
}

export async function startPageServer(): Promise<PageServer> {
  const bodies = new Map(Object.entries(FILES).map(([path, f]) => [path, { body: readFileSync(new URL(f.file, PAGE_DIR)), type: f.type }]));
  const server = createServer((req, res) => {
    const asset = bodies.get(new URL(req.url ?? '/', 'http://page').pathname);
    if (!asset || req.method !== 'GET') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': asset.type, 'content-length': asset.body.length, 'cache-control': 'no-store' });
    res.end(asset.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    pageUrl: (wsUrl) => `http://127.0.0.1:${port}/?${new URLSearchParams({ ws: wsUrl })}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
