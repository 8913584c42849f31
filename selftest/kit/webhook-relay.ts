/**
 * A relay for webhooks: listens where the hub posts them (the URL it was started with) and forwards every
 * POST to where the harness listens, after a hook that may drop it or add copies. A POST that finds no
 * listener is dropped, as a hub's would be. Loopback only.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';

export interface WebhookPost {
  headers: IncomingHttpHeaders;
  body: string;
}

export interface WebhookRelayOptions {
  /** Where the hub posts (`http://127.0.0.1:P/webhooks`). */
  listen: string;
  /** Where the harness listens. */
  forwardTo: string;
  /** The POSTs to forward in place of `post` (default: it alone). */
  posts?(post: WebhookPost): WebhookPost[];
}

export interface WebhookRelay {
  close(): Promise<void>;
}

const FORWARDED = ['content-type', 'x-pusher-key', 'x-pusher-signature'];

export async function startWebhookRelay(opts: WebhookRelayOptions): Promise<WebhookRelay> {
  const at = new URL(opts.listen);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.writeHead(200).end();
      const post = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      for (const p of opts.posts?.(post) ?? [post]) {
        const headers = Object.fromEntries(FORWARDED.flatMap((h) => (typeof p.headers[h] === 'string' ? [[h, p.headers[h]]] : [])));
        fetch(opts.forwardTo, { method: 'POST', headers, body: p.body, signal: AbortSignal.timeout(5000) }).then(
          (r) => void r.body?.cancel(),
          () => undefined,
        );
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(at.port), at.hostname, () => resolve());
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port free right now (for a webhook URL the harness will listen on). */
export async function freeLoopbackPort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
