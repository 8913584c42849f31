/**
 * `npx tsx selftest/serve-mutant.ts <mutant> [--target-out FILE]`: starts one mutant (a fair one too, or `control`) and
 * keeps it up until SIGINT/SIGTERM, with its target file written, so `hubproof conform --target FILE`
 * can be run and timed against it by hand (the budgets of issue #12 are measured this way against
 * `no-server-pings`, the 30 s hub that never pings).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { FAIR_MUTANTS } from './mutants/fair-mutants.ts';
import { startControl, startMutant } from './mutants/index.ts';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { 'target-out': { type: 'string' } } });
const name = positionals[0];
if (!name) {
  process.stderr.write('usage: npx tsx selftest/serve-mutant.ts <mutant|control> [--target-out FILE]\n');
  process.exit(2);
}
const fair = FAIR_MUTANTS.find((m) => m.name === name);
const running = name === 'control' ? await startControl() : fair ? await fair.start() : await startMutant(name);
const json = JSON.stringify(running.target, null, 2);
if (values['target-out']) writeFileSync(values['target-out'], `${json}\n`);
else process.stdout.write(`${json}\n`);
process.stderr.write(`${name}: up at ${running.target.nodes[0]!.ws}; Ctrl-C stops it\n`);
const stop = () => void running.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
