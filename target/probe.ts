/**
 * Is the hub there? Every node's HTTP and WebSocket endpoint must accept a TCP connection, else one coded
 * error (exit 2) that names the URL. Used before a run, and after a restart until the hub answers again.
 */
import { connect } from 'node:net';
import { HubproofError } from '../spec/errors.ts';
import type { TargetFile } from '../spec/target.ts';

/** Default wait for one endpoint's TCP handshake. */
export const PROBE_TIMEOUT_MS = 3000;

/** Throws HUBPROOF_ERR_TARGET_UNREACHABLE for the first endpoint that does not accept a connection. */
export async function probeTarget(target: TargetFile, timeoutMs = PROBE_TIMEOUT_MS): Promise<void> {
  const seen = new Set<string>();
  for (const node of target.nodes) {
    for (const url of [node.http, node.ws]) {
      const { host, port } = hostPort(url);
      const key = `${host}:${port}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const err = await tcpProbe(host, port, timeoutMs);
      if (err) {
        throw new HubproofError(
          'HUBPROOF_ERR_TARGET_UNREACHABLE',
          `target "${target.name}" did not answer at ${url} (${err}); check that the hub runs and the URLs in the target file`,
        );
      }
    }
  }
}

/** Probes until the hub answers or `withinMs` has passed (then the last probe's error is thrown). */
export async function waitUntilReachable(target: TargetFile, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    try {
      return await probeTarget(target, 1000);
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** Undefined when `host:port` accepts a TCP connection within `timeoutMs`, else why not (`ECONNREFUSED`). */
export function tcpProbe(host: string, port: number, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const sock = connect({ host, port });
    const done = (err?: string) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(err);
    };
    const timer = setTimeout(() => done(`no answer within ${timeoutMs} ms`), timeoutMs);
    sock.once('connect', () => done());
    sock.once('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
  });
}

export function hostPort(url: string): { host: string; port: number } {
  const u = new URL(url);
  const secure = u.protocol === 'https:' || u.protocol === 'wss:';
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port: u.port ? Number(u.port) : secure ? 443 : 80 };
}
