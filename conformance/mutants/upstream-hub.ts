/**
 * The real reference hub a mutant wraps: fast timings (as the embedded hub of `hubproof conform`), a temp
 * SQLite dir, and a loopback control endpoint so a target file's `restart.command` can restart it from
 * another process (the CLI replay runs in a child process). `freshOnRestart` is the "loses events on
 * restart" wrapper: the hub comes back on the same port with an empty database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TargetFile } from '../../spec/target.ts';
import type { HubConfigInput } from '../../reference-server/config.ts';
import { startHub, type RunningHub } from '../../reference-server/hub.ts';
import { FAST_HUB_TIMINGS } from '../target-resolve.ts';

export interface UpstreamOptions {
  /** Restart with a new, empty data dir instead of the same one (default false). */
  freshOnRestart?: boolean;
  /** Extra hub config (merged over the fast timings). */
  hubConfig?: HubConfigInput;
}

export interface UpstreamHub {
  /** Points at the hub itself; mutants rewrite `nodes` to point at their proxy. */
  target: TargetFile;
  app: { id: string; key: string; secret: string };
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startUpstreamHub(opts: UpstreamOptions = {}): Promise<UpstreamHub> {
  const dirs = [mkdtempSync(join(tmpdir(), 'hubproof-mutant-'))];
  const config: HubConfigInput = {
    port: 0,
    dataDir: dirs[0]!,
    ...opts.hubConfig,
    timings: { ...FAST_HUB_TIMINGS, ...(opts.hubConfig?.timings ?? {}) },
  };
  let hub: RunningHub = await startHub(config);
  const port = hub.port;
  let restarting: Promise<void> | undefined;
  const restart = () =>
    (restarting ??= (async () => {
      await hub.close();
      let dataDir = config.dataDir!;
      if (opts.freshOnRestart) {
        dataDir = mkdtempSync(join(tmpdir(), 'hubproof-mutant-'));
        dirs.push(dataDir);
      }
      hub = await startHub({ ...config, port, dataDir });
    })().finally(() => (restarting = undefined)));

  const control = await startControl(restart);
  const controlUrl = `http://127.0.0.1:${(control.address() as AddressInfo).port}/restart`;
  // No `process`: the hub runs inside the harness, its RSS says nothing about a hub.
  const { process: _inHarness, ...base } = hub.target();
  const target: TargetFile = {
    ...base,
    // Node's global fetch, so the command works wherever hubproof runs; exit 0 only on 204.
    restart: {
      command: `node -e "fetch('${controlUrl}',{method:'POST'}).then(r=>process.exit(r.status===204?0:1),()=>process.exit(1))"`,
    },
  };
  return {
    target,
    app: { ...hub.config.app },
    restart,
    async close() {
      control.closeAllConnections();
      await new Promise<void>((r) => control.close(() => r()));
      await restarting?.catch(() => undefined);
      await hub.close();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  };
}

function startControl(restart: () => Promise<void>): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/restart') return void res.writeHead(404).end();
    restart().then(
      () => res.writeHead(204).end(),
      (err: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(err.message),
    );
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
