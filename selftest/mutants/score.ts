/**
 * `npm run mutants`: runs every mutant (or those named on the command line) and prints the mutation
 * score table, after a control run of the same selectors against the unmutated hub. Exit 1 when a
 * mutant survived or the control run failed.
 */
import { startClusterControl } from './cluster-mutant.ts';
import { CLUSTER_MUTANTS, findMutant, MUTANTS, startControl, type Mutant } from './index.ts';
import { formatScoreTable, runControl, scoreMutants, MUTANT_SEED } from './score-run.ts';

const names = process.argv.slice(2);
const mutants = names.length ? names.map(findMutant) : [...MUTANTS, ...CLUSTER_MUTANTS];
const onCluster = new Set<Mutant>(CLUSTER_MUTANTS);

// Cluster mutants are compared with the same 2-node cluster behind faithful relays.
const controls = [
  { what: 'unmutated hub', mutants: mutants.filter((m) => !onCluster.has(m)), start: startControl },
  { what: 'unmutated 2-node cluster', mutants: mutants.filter((m) => onCluster.has(m)), start: startClusterControl },
];
let controlFailed = 0;
for (const c of controls.filter((x) => x.mutants.length)) {
  const control = await runControl(c.mutants, {}, c.start);
  const failed = control.results.filter((r) => r.outcome === 'fail' || r.outcome === 'non-strict');
  controlFailed += failed.length;
  process.stdout.write(
    `control (${c.what}, ${control.results.length} cases): ${failed.length ? `FAILED ${failed.map((r) => r.id).join(' ')}` : 'all passed'}\n`,
  );
}
const rows = await scoreMutants(mutants, { onRow: (r) => process.stderr.write(`${r.caught ? 'caught  ' : 'SURVIVED'} ${r.mutant}\n`) });
process.stdout.write(`\n${formatScoreTable(rows)}  (seed ${MUTANT_SEED})\n`);
process.exitCode = controlFailed || rows.some((r) => !r.caught) ? 1 : 0;
