/**
 * Listens where the target posts webhooks (`target.webhooks.listen`) for the length of one case, logs
 * every POST to the wire log, and lets the case wait for a webhook event matching a predicate.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { CaseContext } from '../types.ts';
import { clip, nextLabel, waitUntil } from './wait.ts';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  /** The parsed body, or undefined when it is not JSON. */
  json: { time_ms?: unknown; events?: Array<Record<string, unknown>> } | undefined;
  at: number;
}

export interface WebhookSink {
  received: ReceivedWebhook[];
  /** Every event of every received webhook, in arrival order, with the webhook it came in. */
  events(): Array<{ event: Record<string, unknown>; hook: ReceivedWebhook }>;
  waitForEvent(
    pred: (e: Record<string, unknown>) => boolean,
    desc: string,
    timeoutMs?: number,
  ): Promise<{ event: Record<string, unknown>; hook: ReceivedWebhook }>;
}

/** Starts the sink; closed after the case. Undefined when the target names no webhook URL. */
export async function startWebhookSink(ctx: CaseContext): Promise<WebhookSink | undefined> {
  const listen = ctx.target.webhooks?.listen;
  if (!listen) return undefined;
  const url = new URL(listen);
  const label = nextLabel(ctx, 'webhook');
  const received: ReceivedWebhook[] = [];
  const listeners = new Set<() => void>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: ReceivedWebhook['json'];
      try {
        json = JSON.parse(body) as ReceivedWebhook['json'];
      } catch {
        json = undefined;
      }
      ctx.log('http<', label, `${req.method} ${req.url} ${clip(body, 1000)}`);
      received.push({ headers: req.headers, body, json, at: Date.now() });
      res.writeHead(200).end();
      for (const l of listeners) l();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(url.port || 80), url.hostname.replace(/^\[|\]$/g, ''), () => resolve());
  });
  ctx.defer(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const events = () =>
    received.flatMap((hook) => (Array.isArray(hook.json?.events) ? hook.json!.events!.map((event) => ({ event, hook })) : []));
  return {
    received,
    events,
    waitForEvent(pred, desc, timeoutMs = 5000) {
      return waitUntil(
        ctx,
        (resolve) => {
          const check = () => {
            const hit = events().find((e) => pred(e.event));
            if (hit) resolve(hit);
          };
          listeners.add(check);
          check();
          return () => listeners.delete(check);
        },
        {
          timeoutMs,
          desc: `webhook ${desc}`,
          actual: () => `webhook events received: ${JSON.stringify(events().map((e) => e.event)).slice(0, 400)}`,
        },
      );
    },
  };
}
