/**
 * `npx tsx selftest/serve-soak-mutant.ts <soak-mutant> [--leak-kb N] [--target-out FILE]`: one soak
 * mutant (selftest/mutants/soak-mutants.ts) as a process of its own, its target naming this process's
 * pid, up until SIGINT/SIGTERM or until the process that started it goes away. Then
 * `hubproof load --target FILE --scenario soak` judges it.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { findSoakMutant } from './mutants/soak-mutants.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'target-out': { type: 'string' }, 'leak-kb': { type: 'string' } },
});
const name = positionals[0];
if (!name) {
  process.stderr.write('usage: npx tsx selftest/serve-soak-mutant.ts <soak-mutant> [--leak-kb N] [--target-out FILE]\n');
  process.exit(2);
}
const leakKb = values['leak-kb'] === undefined ? undefined : Number(values['leak-kb']);
const running = await findSoakMutant(name).start(leakKb === undefined ? {} : { leakKb });
const json = JSON.stringify(running.target, null, 2);
if (values['target-out']) writeFileSync(values['target-out'], `${json}\n`);
else process.stdout.write(`${json}\n`);
process.stderr.write(`${name}: up at ${running.target.nodes[0]!.ws}, pid ${process.pid}; Ctrl-C stops it\n`);
const stop = () => void running.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
process.once('disconnect', stop);
