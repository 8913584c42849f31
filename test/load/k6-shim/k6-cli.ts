/**
 * A `k6` executable for tests of `hubproof load --engine k6`, backed by the stand-in engine: `k6 version`
 * prints HP_FAKE_K6_VERSION (default v2.2.0); `k6 run [--quiet] [-e K=V]… script` runs the script with the
 * system environment in __ENV plus the -e values (as k6 does), prints its summary, exits 0 or 99.
 */
import { runK6 } from './engine.ts';

const [command, ...rest] = process.argv.slice(2);
if (command === 'version') {
  process.stdout.write(`k6 ${process.env.HP_FAKE_K6_VERSION ?? 'v2.2.0'} (stand-in, linux/amd64)\n`);
  process.exit(0);
}
if (command !== 'run') {
  process.stderr.write(`the k6 stand-in knows only "version" and "run", got "${command}"\n`);
  process.exit(2);
}
const env: Record<string, string> = Object.fromEntries(
  Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined),
);
let script: string | undefined;
for (let i = 0; i < rest.length; i++) {
  const a = rest[i]!;
  if (a === '-e') {
    const kv = rest[++i]!;
    const eq = kv.indexOf('=');
    env[kv.slice(0, eq)] = kv.slice(eq + 1);
  } else if (!a.startsWith('-')) script = a;
}
const r = await runK6(script!, env);
process.stdout.write(r.stdout);
for (const e of r.errors) process.stderr.write(`ERRO ${e}\n`);
process.exit(r.code);
