/**
 * `hubproof init ws://HOST:PORT [ws://… more nodes] --app-id ID --key KEY --secret SECRET [options]`:
 * probes the hub from outside and writes a target file with what it found, and a `_todo` note for each
 * field it could not find. Bad credentials or an unreachable node: exit 2 with one `Error:` line saying which.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { HubproofError } from '../spec/errors.ts';
import { buildTarget } from '../target/init/build-target.ts';
import { probeHub, type InitAgent } from '../target/init/probe-hub.ts';
import { initNodes } from '../target/init/urls.ts';

/** Where the file goes without --out. */
export const DEFAULT_INIT_OUT = 'target.json';

/** `IDENTIFIER:TOKEN[:1,2]`: the identifier the hub knows the token by, the token, the projects it is scoped to. */
export function parseAgentToken(value: string): InitAgent {
  const at = value.indexOf(':');
  const identifier = value.slice(0, at);
  let token = at < 0 ? '' : value.slice(at + 1);
  const projects = /:(\d+(?:,\d+)*)$/.exec(token);
  if (projects) token = token.slice(0, projects.index);
  if (!identifier || !token)
    throw new HubproofError(
      'HUBPROOF_ERR_USAGE',
      `--agent-token "${value}" must be IDENTIFIER:TOKEN[:PROJECTS], e.g. claude-backend-001:token-backend-0001:1,2 (the identifier the hub knows the token by)`,
    );
  return { identifier, token, ...(projects ? { projects: projects[1]!.split(',').map(Number) } : {}) };
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'app-id': { type: 'string' },
      key: { type: 'string' },
      secret: { type: 'string' },
      'agent-token': { type: 'string', multiple: true },
      http: { type: 'string', multiple: true },
      name: { type: 'string' },
      out: { type: 'string' },
      force: { type: 'boolean', default: false },
    },
  });
  const nodes = initNodes(positionals, values.http);
  const missing = (['app-id', 'key', 'secret'] as const).filter((k) => !values[k]);
  if (missing.length)
    throw new HubproofError(
      'HUBPROOF_ERR_USAGE',
      `give the app's ${missing.map((k) => `--${k}`).join(', ')} (the hub's Pusher app credentials)`,
    );
  const agents = (values['agent-token'] ?? []).map(parseAgentToken);
  const out = resolve(values.out ?? DEFAULT_INIT_OUT);
  if (existsSync(out) && !values.force)
    throw new HubproofError('HUBPROOF_ERR_USAGE', `${out} exists; pass --force to replace it, or --out another path`);

  const app = { id: values['app-id']!, key: values.key!, secret: values.secret! };
  const findings = await probeHub(nodes, app, agents);
  const { target, summary } = buildTarget(findings, { name: values.name, app, agents });
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(target, null, 2)}\n`);
  process.stdout.write(`${summary.join('\n')}\nwrote ${out}; next: npx hubproof conform --target ${values.out ?? DEFAULT_INIT_OUT}\n`);
  return 0;
}
