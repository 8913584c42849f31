/**
 * `hubproof hub`: starts the reference hub, prints its URLs and credentials, optionally writes a target
 * file, and runs until SIGINT/SIGTERM, then shuts down gracefully (sockets closed with 4200). SIGHUP
 * restarts it in place.
 * Config precedence: built-in defaults < --config file < command-line flags.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { HubproofError } from '../spec/errors.ts';
import { parseHubConfig, type HubConfig } from '../reference-server/config.ts';
import { startHub, type RunningHub } from '../reference-server/hub.ts';
import { maskRedisUrl } from '../reference-server/cluster/redis-link.ts';
import { startCluster } from '../reference-server/cluster/start-cluster.ts';
import type { TargetFile } from '../spec/target.ts';

export interface HubCommandOptions {
  port?: number;
  host?: string;
  configFile?: string;
  dataDir?: string;
  targetOut?: string;
  redis?: string;
  redisPrefix?: string;
  /** Nodes of a local cluster (a private redis-server is started unless `redis` is given). */
  cluster?: number;
}

/** Stands for the redis-server `--cluster` starts until its port is known. */
const CLUSTER_URL_PLACEHOLDER = 'redis://127.0.0.1:0';

/** After a graceful close, a handle someone forgot must not keep the process alive past this. */
const EXIT_GRACE_MS = 2_000;

export function parseHubArgs(argv: string[]): HubCommandOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      config: { type: 'string' },
      'data-dir': { type: 'string' },
      'target-out': { type: 'string' },
      redis: { type: 'string' },
      'redis-prefix': { type: 'string' },
      cluster: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0)
    throw new HubproofError('HUBPROOF_ERR_USAGE', `unexpected argument "${positionals[0]}"; see hubproof hub --help`);
  const opts: HubCommandOptions = {};
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65535)
      throw new HubproofError('HUBPROOF_ERR_USAGE', `--port must be a number from 0 to 65535, got "${values.port}"`);
    opts.port = port;
  }
  if (values.host !== undefined) opts.host = values.host;
  if (values.config !== undefined) opts.configFile = values.config;
  if (values['data-dir'] !== undefined) opts.dataDir = values['data-dir'];
  if (values['target-out'] !== undefined) opts.targetOut = values['target-out'];
  if (values.redis !== undefined) opts.redis = values.redis;
  if (values['redis-prefix'] !== undefined) opts.redisPrefix = values['redis-prefix'];
  if (values.cluster !== undefined) {
    const n = Number(values.cluster);
    if (!/^\d+$/.test(values.cluster) || n < 1 || n > 16)
      throw new HubproofError('HUBPROOF_ERR_USAGE', `--cluster must be a number of nodes from 1 to 16, got "${values.cluster}"`);
    opts.cluster = n;
  }
  return opts;
}

function readConfigFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new HubproofError(
      'HUBPROOF_ERR_CONFIG_INVALID',
      `cannot read config file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new HubproofError('HUBPROOF_ERR_CONFIG_INVALID', `config file ${path} is not JSON: ${(err as Error).message}`);
  }
}

/** Merges the config file and the flags and validates the result (a bad field throws, naming it). */
export function resolveHubConfig(opts: HubCommandOptions): HubConfig {
  const fromFile = opts.configFile === undefined ? {} : readConfigFile(opts.configFile);
  if (fromFile === null || typeof fromFile !== 'object' || Array.isArray(fromFile)) {
    throw new HubproofError('HUBPROOF_ERR_CONFIG_INVALID', `config file ${opts.configFile} must hold a JSON object`);
  }
  const merged: Record<string, unknown> = { ...fromFile };
  if (opts.port !== undefined) merged.port = opts.port;
  if (opts.host !== undefined) merged.host = opts.host;
  if (opts.dataDir !== undefined) merged.dataDir = opts.dataDir;
  const fromConfig = (merged.redis ?? undefined) as Record<string, unknown> | undefined;
  if (opts.redisPrefix !== undefined && opts.redis === undefined && fromConfig === undefined && opts.cluster === undefined) {
    throw new HubproofError('HUBPROOF_ERR_USAGE', '--redis-prefix needs --redis URL (or --cluster N)');
  }
  // A local cluster without a Redis of its own gets the URL of the redis-server it starts.
  const url = opts.redis ?? fromConfig?.url ?? (opts.cluster !== undefined ? CLUSTER_URL_PLACEHOLDER : undefined);
  if (url !== undefined) {
    merged.redis = { ...(fromConfig ?? {}), url, ...(opts.redisPrefix === undefined ? {} : { prefix: opts.redisPrefix }) };
  }
  return parseHubConfig(merged, opts.configFile === undefined ? 'hub config' : `config file ${opts.configFile}`);
}

export function describeHub(hub: RunningHub, targetOut?: string): string {
  const { app, agents, dataDir } = hub.config;
  const lines = [
    `hubproof reference hub "${hub.config.name}" is up (pid ${process.pid})`,
    `  WebSocket  ${hub.wsUrl}/app/${app.key}?protocol=7`,
    `  HTTP API   ${hub.httpUrl}/apps/${app.id}/events`,
    `  Sync API   ${hub.httpUrl}/api/hub`,
    `  Dashboard  ${hub.httpUrl}/dashboard?token=${agents[0]?.token ?? '<agent token>'}  (stream: ${hub.wsUrl}/ws/broadcasts)`,
    `  App        id=${app.id}  key=${app.key}  secret=${app.secret}`,
    ...agents.map((a, i) => `  ${i === 0 ? 'Agents' : '      '}     ${a.identifier}  token=${a.token}  projects=${a.projects.join(',')}`),
    hub.config.redis === undefined
      ? `  Data       ${dataDir === ':memory:' ? '(in memory)' : join(resolve(dataDir), 'hub.sqlite')}`
      : `  Data       shared in Redis ${maskRedisUrl(hub.config.redis.url)} (prefix ${hub.config.redis.prefix ?? `hubproof:${app.id}`})`,
  ];
  if (targetOut !== undefined) lines.push(`  Target     ${resolve(targetOut)}`);
  lines.push('Press Ctrl+C to stop.');
  return `${lines.join('\n')}\n`;
}

function writeTarget(path: string, target: TargetFile): void {
  mkdirSync(dirname(resolve(path)), { recursive: true });
  writeFileSync(path, `${JSON.stringify(target, null, 2)}\n`);
}

/**
 * Resolves on SIGINT/SIGTERM, or when the parent that started this process over IPC goes away
 * (a cluster node started by `hub --cluster` or a test must not outlive it).
 */
function untilStopped(): Promise<string> {
  return new Promise((resolveStop) => {
    const stop = (why: string) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolveStop(why);
    };
    const onSignal = (sig: NodeJS.Signals) => stop(sig);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    if (process.send !== undefined) process.once('disconnect', () => stop('parent gone'));
  });
}

export async function run(argv: string[]): Promise<number> {
  const opts = parseHubArgs(argv);
  const config = resolveHubConfig(opts);
  if (opts.cluster !== undefined) return runCluster(opts, config);
  let hub = await startHub(config);
  if (opts.targetOut !== undefined) writeTarget(opts.targetOut, hub.target());
  process.stdout.write(describeHub(hub, opts.targetOut));

  // SIGHUP restarts the hub in place: connections closed (4200), the database closed and reopened, the
  // same port; the target file is written again once it listens (what the embedded hub's restart waits for).
  let restarts = Promise.resolve();
  const onHangup = () =>
    (restarts = restarts.then(async () => {
      process.stdout.write('SIGHUP: restarting in place (connections closed with 4200, same port and data)…\n');
      await hub.close();
      try {
        hub = await startHub({ ...config, port: hub.port });
      } catch (err) {
        process.stderr.write(`Error: the hub did not come back after SIGHUP: ${(err as Error).message}\n`);
        process.exit(2);
      }
      if (opts.targetOut !== undefined) writeTarget(opts.targetOut, hub.target());
      process.stdout.write('hub restarted\n');
    }));
  process.on('SIGHUP', onHangup);
  const why = await untilStopped();
  process.off('SIGHUP', onHangup);
  await restarts;
  process.stdout.write(`${why}: closing connections (4200) and the database…\n`);
  await hub.close();
  process.stdout.write('hub stopped\n');
  setTimeout(() => process.exit(0), EXIT_GRACE_MS).unref();
  return 0;
}

/** `--cluster N`: redis-server and N child nodes, one target, everything stopped on exit. */
async function runCluster(opts: HubCommandOptions, config: HubConfig): Promise<number> {
  const n = opts.cluster!;
  const ports = config.port === 0 ? undefined : Array.from({ length: n }, (_, i) => config.port + i);
  const url = config.redis!.url;
  const cluster = await startCluster({
    nodes: n,
    ...(url === CLUSTER_URL_PLACEHOLDER ? {} : { redisUrl: url }),
    hub: config,
    ...(ports === undefined ? {} : { ports }),
  });
  const target = cluster.target();
  if (opts.targetOut !== undefined) writeTarget(opts.targetOut, target);
  const { app, agents } = target;
  const lines = [
    `hubproof reference cluster "${target.name}": ${n} node(s) sharing ${cluster.redisUrl}${cluster.redis ? ` (redis-server pid ${cluster.redis.pid()}, AOF in ${cluster.redis.dir})` : ''}`,
    ...cluster.nodes.map(
      (node, i) => `  Node ${i + 1}     ${node.ws}/app/${app.key}?protocol=7   ${node.http}/api/hub   (pid ${node.pid})`,
    ),
    `  App        id=${app.id}  key=${app.key}  secret=${app.secret}`,
    ...agents.map((a, i) => `  ${i === 0 ? 'Agents' : '      '}     ${a.identifier}  token=${a.token}`),
  ];
  if (opts.targetOut !== undefined) lines.push(`  Target     ${resolve(opts.targetOut)}`);
  lines.push('Press Ctrl+C to stop.');
  process.stdout.write(`${lines.join('\n')}\n`);

  const why = await untilStopped();
  process.stdout.write(`${why}: stopping ${n} node(s) and redis-server…\n`);
  await cluster.dispose();
  process.stdout.write('cluster stopped\n');
  setTimeout(() => process.exit(0), EXIT_GRACE_MS).unref();
  return 0;
}
