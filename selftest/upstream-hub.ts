/**
 * The real reference hub a relayed broken hub wraps: the embedded hub (fast timings, in-process, a temp
 * data dir) plus a loopback control endpoint, so a target file's `restart.command` can restart it from
 * another process (the CLI replay runs in a child process). `freshOnRestart` is the "loses events on
 * restart" wrapper: the hub comes back on the same port with an empty database.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmbeddedTarget } from '../cli/embedded-target.ts';
import type { HubConfigInput } from '../reference-server/config.ts';
import type { TargetFile } from '../spec/target.ts';

export interface UpstreamOptions {
  /** Restart with a new, empty data dir instead of the same one (default false). */
  freshOnRestart?: boolean;
  /** Extra hub config (merged over the fast timings). */
  hubConfig?: HubConfigInput;
  /** POST webhooks to a loopback URL the target names (default false: most mutants never look at them). */
  webhooks?: boolean;
}

export interface UpstreamHub {
  /** Points at the hub itself; broken hubs rewrite `nodes` to point at their relay. */
  target: TargetFile;
  app: { id: string; key: string; secret: string };
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startUpstreamHub(opts: UpstreamOptions = {}): Promise<UpstreamHub> {
  // In-process: dozens of broken hubs start per self-test run, and their RSS is never measured.
  const hub = await startEmbeddedTarget({
    timers: 'fast',
    mode: 'in-process',
    webhooks: opts.webhooks ?? false,
    hubConfig: opts.hubConfig,
    restartWith: opts.freshOnRestart ? 'empty-data' : 'same-data',
  });
  let control: Server;
  try {
    control = await startControl(hub.restart);
  } catch (err) {
    await hub.dispose();
    throw err;
  }
  // No `process`: the hub runs inside the harness, its RSS says nothing about a hub.
  const { process: _inHarness, ...base } = hub.target;
  const target: TargetFile = {
    ...base,
    // Node's global fetch, so the command works wherever hubproof runs; exit 0 only on 204.
    restart: { command: restartCommand(control) },
  };
  return {
    target,
    app: { ...base.app },
    restart: hub.restart,
    async close() {
      control.closeAllConnections();
      await new Promise<void>((r) => control.close(() => r()));
      await hub.dispose();
    },
  };
}

/** The `restart.command` that posts to a control endpoint: Node's global fetch, so it works wherever hubproof runs; exit 0 only on 204. */
export function restartCommand(control: Server): string {
  const url = `http://127.0.0.1:${(control.address() as AddressInfo).port}/restart`;
  return `node -e "fetch('${url}',{method:'POST'}).then(r=>process.exit(r.status===204?0:1),()=>process.exit(1))"`;
}

/** A loopback `POST /restart` endpoint (204 once `restart` resolved), for a target's `restart.command`. */
export function startControl(restart: () => Promise<void>): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/restart') return void res.writeHead(404).end();
    restart().then(
      () => res.writeHead(204).end(),
      (err: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(err.message),
    );
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
