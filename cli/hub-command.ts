/**
 * `hubproof hub`: starts the reference hub, prints its URLs and credentials, optionally writes a target
 * file, and runs until SIGINT/SIGTERM, then shuts down gracefully (sockets closed with 4200).
 * Config precedence: built-in defaults < --config file < command-line flags.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { HubproofError } from '../spec/errors.ts';
import { parseHubConfig, type HubConfig } from '../reference-server/config.ts';
import { startHub, type RunningHub } from '../reference-server/hub.ts';

export interface HubCommandOptions {
  port?: number;
  host?: string;
  configFile?: string;
  dataDir?: string;
  targetOut?: string;
}

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
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0) throw new HubproofError('HUBPROOF_ERR_USAGE', `unexpected argument "${positionals[0]}"; see hubproof hub --help`);
  const opts: HubCommandOptions = {};
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65535) throw new HubproofError('HUBPROOF_ERR_USAGE', `--port must be a number from 0 to 65535, got "${values.port}"`);
    opts.port = port;
  }
  if (values.host !== undefined) opts.host = values.host;
  if (values.config !== undefined) opts.configFile = values.config;
  if (values['data-dir'] !== undefined) opts.dataDir = values['data-dir'];
  if (values['target-out'] !== undefined) opts.targetOut = values['target-out'];
  return opts;
}

function readConfigFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new HubproofError('HUBPROOF_ERR_CONFIG_INVALID', `cannot read config file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
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
    `  Data       ${dataDir === ':memory:' ? '(in memory)' : join(resolve(dataDir), 'hub.sqlite')}`,
  ];
  if (targetOut !== undefined) lines.push(`  Target     ${resolve(targetOut)}`);
  lines.push('Press Ctrl+C to stop.');
  return `${lines.join('\n')}\n`;
}

export async function run(argv: string[]): Promise<number> {
  const opts = parseHubArgs(argv);
  const config = resolveHubConfig(opts);
  const hub = await startHub(config);
  if (opts.targetOut !== undefined) {
    mkdirSync(dirname(resolve(opts.targetOut)), { recursive: true });
    writeFileSync(opts.targetOut, `${JSON.stringify(hub.target(), null, 2)}\n`);
  }
  process.stdout.write(describeHub(hub, opts.targetOut));

  const signal = await new Promise<NodeJS.Signals>((resolveSignal) => {
    const onSignal = (sig: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolveSignal(sig);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  process.stdout.write(`${signal}: closing connections (4200) and the database…\n`);
  await hub.close();
  process.stdout.write('hub stopped\n');
  setTimeout(() => process.exit(0), EXIT_GRACE_MS).unref();
  return 0;
}
