/**
 * The HTTP API on a cluster node. A request that changes state (publish, terminate, every sync and
 * presence mutation) becomes an `http` command in the shared log: every node runs the same handler on
 * the same state at the same instant, and the node that took the request answers with what its run
 * produced. A read first catches up with the log (barrier), so it sees every change acknowledged
 * anywhere before it arrived. Everything else (GET /api/hub, pages) runs locally.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Router, RouteGate } from '../http/router.ts';
import type { Command } from './command-log.ts';
import type { ClusterNode } from './cluster-node.ts';

/** Request headers a handler may read; nothing else is logged. */
const LOGGED_HEADERS = ['authorization', 'content-type', 'idempotency-key', 'content-length'] as const;

export type Consistency = 'replicate' | 'read' | 'local';

export function consistencyOf(method: string, rawPath: string): Consistency {
  if (!/^\/(api|apps|broadcasting)\//.test(rawPath) || rawPath === '/api/hub') return 'local';
  // Signing a channel subscription reads who may see the channel; it changes nothing.
  if (method === 'GET' || method === 'HEAD' || rawPath === '/broadcasting/auth') return 'read';
  return 'replicate';
}

interface Recorded {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Stands in for ServerResponse while a logged request runs: the handlers only write status, headers and a body. */
class RecordingResponse {
  statusCode = 200;
  headersSent = false;
  private readonly headers: Record<string, string> = {};
  private readonly chunks: string[] = [];

  setHeader(name: string, value: string | number): this {
    this.headers[name.toLowerCase()] = String(value);
    return this;
  }

  writeHead(status: number, headers: Record<string, string | number> = {}): this {
    this.statusCode = status;
    for (const [k, v] of Object.entries(headers)) this.setHeader(k, v);
    this.headersSent = true;
    return this;
  }

  end(chunk?: string | Buffer): this {
    if (chunk !== undefined) this.chunks.push(String(chunk));
    this.headersSent = true;
    return this;
  }

  recorded(): Recorded {
    return { status: this.statusCode, headers: this.headers, body: this.chunks.join('') };
  }
}

function send(res: ServerResponse, r: Recorded): void {
  res.writeHead(r.status, r.headers);
  res.end(r.body);
}

// implements: sync/cluster/1, sync/cluster/2, sync/cluster/3, pusher/cluster/1, pusher/cluster/4, pusher/cluster/6 — every HTTP API call is a log command every node applies
export function installHttpGate(node: ClusterNode, router: Router): void {
  node.on('http', async (c: Command) => {
    const headers = (c.h ?? {}) as Record<string, string>;
    const req = { method: c.m, url: c.u, headers, socket: { remoteAddress: 'cluster' } } as unknown as IncomingMessage;
    const res = new RecordingResponse();
    await router.dispatch(String(c.m), String(c.u), req, res as unknown as ServerResponse, String(c.b ?? ''));
    return res.recorded();
  });

  const gate: RouteGate = async (r) => {
    const mode = consistencyOf(r.method, r.rawPath);
    if (mode === 'local') return r.run();
    if (mode === 'read') {
      await node.log.barrier();
      return r.run();
    }
    const h: Record<string, string> = {};
    for (const name of LOGGED_HEADERS) {
      const v = r.req.headers[name];
      if (typeof v === 'string') h[name] = v;
    }
    const recorded = (await node.submit({ t: 'http', m: r.method, u: r.url, h, b: r.body })) as Recorded;
    send(r.res, recorded);
  };
  router.gate = gate;
}
