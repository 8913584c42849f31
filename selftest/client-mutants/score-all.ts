/**
 * `npm run mutants:client`: every mutant client against the whole client suite (strict), then the
 * conformant base and pusher-js as it is; prints the score and exits 1 when a mutant is not caught on
 * exactly its requirement or the base misses anything. Minutes, not seconds: not part of `npm test`,
 * whose self-test runs each mutant's own selectors.
 */
import { runClientConformance } from '../../conformance/client/client-runner.ts';
import { CLIENT_MUTANTS, mutantDriver } from './index.ts';
import { formatClientScore, scoreClientMutant, type ClientMutantScore } from './score.ts';

const rows: ClientMutantScore[] = [];
for (const m of CLIENT_MUTANTS) {
  const row = await scoreClientMutant(m, { full: true });
  rows.push(row);
  process.stderr.write(`${row.caught ? 'caught' : 'MISSED'} ${m.name} (${Math.round(row.durationMs / 1000)} s)\n`);
}
const base = await runClientConformance({ driver: mutantDriver('base'), strict: true, progress: null });
const baseMisses = base.results.filter((r) => r.outcome !== 'pass').map((r) => `${r.id} ${r.outcome}`);
const plain = await runClientConformance({ driver: mutantDriver('pusher-js'), strict: true, progress: null });
const plainMisses = plain.results.filter((r) => r.outcome !== 'pass').map((r) => `${r.id} ${r.outcome}`);
process.stdout.write(`${formatClientScore(rows)}\n`);
process.stdout.write(
  `base (pusher-js + jitter, public-client-events, malformed-frames fixes): ${base.summary.pass}/${base.summary.total} passed${baseMisses.length ? `; ${baseMisses.join(', ')}` : ''} (${Math.round(base.durationMs / 1000)} s)\n`,
);
process.stdout.write(
  `pusher-js as it is: ${plain.summary.pass}/${plain.summary.total} passed; ${plainMisses.join(', ') || 'nothing else'} (${Math.round(plain.durationMs / 1000)} s)\n`,
);
process.exitCode = rows.every((r) => r.caught) && baseMisses.length === 0 ? 0 : 1;
