/**
 * `npm run mutants`: runs every mutant (or those named on the command line) and prints the mutation
 * score table, after a control run of the same selectors against the unmutated hub, and the fair mutants
 * (fair-mutants.ts), which must pass every case they reach. Exit 1 when a mutant survived, the control
 * run failed or a fair mutant got a false failure.
 */
import { runConformance } from '../../conformance/runner.ts';
import { startClusterControl } from './cluster-mutant.ts';
import { FAIR_MUTANTS } from './fair-mutants.ts';
import { CLUSTER_MUTANTS, findMutant, MUTANTS, startControl, type Mutant } from './index.ts';
import { formatScoreTable, runControl, scoreMutants, MUTANT_SEED } from './score-run.ts';

const names = process.argv.slice(2);
const isFair = (name: string) => FAIR_MUTANTS.some((f) => f.name === name);
const mutants = names.length ? names.filter((n) => !isFair(n)).map(findMutant) : [...MUTANTS, ...CLUSTER_MUTANTS];
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
// Fair mutants break nothing: every case they reach must pass (only with no mutant named, or when named).
const fair = names.length ? FAIR_MUTANTS.filter((m) => names.includes(m.name)) : FAIR_MUTANTS;
let fairFailed = 0;
for (const m of fair) {
  const running = await m.start();
  try {
    const report = await runConformance({
      target: running.target,
      ...(running.nodeControl ? { nodeControl: running.nodeControl } : {}),
      selectors: m.selectors,
      seed: MUTANT_SEED,
      strict: true,
      progress: null,
    });
    const bad = report.results.filter((r) => !['pass', 'skipped', 'unimplemented', 'informational'].includes(r.outcome));
    fairFailed += bad.length;
    process.stdout.write(
      `fair ${m.name} (${report.results.length} cases): ${bad.length ? `FALSE FAILURES ${bad.map((r) => `${r.id} ${r.outcome}`).join(' ')}` : 'all passed'}\n`,
    );
  } finally {
    await running.close();
  }
}
const rows = await scoreMutants(mutants, { onRow: (r) => process.stderr.write(`${r.caught ? 'caught  ' : 'SURVIVED'} ${r.mutant}\n`) });
process.stdout.write(`\n${formatScoreTable(rows)}  (seed ${MUTANT_SEED})\n`);
process.exitCode = controlFailed || fairFailed || rows.some((r) => !r.caught) ? 1 : 0;
