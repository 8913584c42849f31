/**
 * `npm run mutants`: runs every mutant (or those named on the command line) and prints the mutation
 * score table, after a control run of the same selectors against the unmutated hub. Exit 1 when a
 * mutant survived or the control run failed.
 */
import { findMutant, MUTANTS } from './index.ts';
import { formatScoreTable, runControl, scoreMutants, MUTANT_SEED } from './score-run.ts';

const names = process.argv.slice(2);
const mutants = names.length ? names.map(findMutant) : MUTANTS;

const control = await runControl(mutants);
const controlFailed = control.results.filter((r) => r.outcome === 'fail' || r.outcome === 'non-strict');
process.stdout.write(
  `control (unmutated hub, ${control.results.length} cases): ${controlFailed.length ? `FAILED ${controlFailed.map((r) => r.id).join(' ')}` : 'all passed'}\n`,
);
const rows = await scoreMutants(mutants, { onRow: (r) => process.stderr.write(`${r.caught ? 'caught  ' : 'SURVIVED'} ${r.mutant}\n`) });
process.stdout.write(`\n${formatScoreTable(rows)}  (seed ${MUTANT_SEED})\n`);
process.exitCode = controlFailed.length || rows.some((r) => !r.caught) ? 1 : 0;
