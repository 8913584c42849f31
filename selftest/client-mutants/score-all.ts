/**
 * `npm run mutants:client`: every mutant client against the whole client suite (strict), then the
 * conformant base and pusher-js as it is, then each mutant agent against the sync-client suite and the
 * reference agent; prints the score and exits 1 when a mutant is not caught on
 * exactly its requirement or the base misses anything. Minutes, not seconds: not part of `npm test`,
 * whose self-test runs each mutant's own selectors.
 */
import { runClientConformance } from '../../conformance/client/client-runner.ts';
import { AGENT_CASES, SYNC_API_ADVERTISED } from '../../conformance/client/agent-cases/index.ts';
import { SYNC_CLIENT_REQUIREMENTS } from '../../spec/requirements/index.ts';
import { AGENT_MUTANTS, agentMutantDriver } from './agent-mutants.ts';
import { CLIENT_MUTANTS, mutantDriver } from './index.ts';
import { formatClientScore, scoreClientMutant, storyProblems, type ClientMutantScore } from './score.ts';

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
// Agents (profile sync-client): each mutant agent against the whole agent suite, then the reference agent.
const agentRun = (name: string) =>
  runClientConformance({
    driver: agentMutantDriver(name),
    cases: AGENT_CASES,
    requirements: SYNC_CLIENT_REQUIREMENTS,
    advertised: SYNC_API_ADVERTISED,
    strict: true,
    progress: null,
  });
const agentRows: string[] = [];
let agentsCaught = true;
for (const m of AGENT_MUTANTS) {
  const report = await agentRun(m.name);
  const problems = storyProblems(report, m.breaks);
  agentsCaught &&= problems.length === 0;
  agentRows.push(
    `${problems.length ? 'MISSED ' : 'caught '} ${m.name.padEnd(26)} ${m.breaks.padEnd(30)} ${(report.durationMs / 1000).toFixed(1).padStart(5)} s  ${problems.join('; ')}`,
  );
}
const reference = await agentRun('reference');
const referenceMisses = reference.results.filter((r) => r.outcome !== 'pass').map((r) => `${r.id} ${r.outcome}`);
process.stdout.write(
  `agent mutants: ${agentRows.filter((r) => r.startsWith('caught')).length}/${AGENT_MUTANTS.length} caught on exactly the requirement they break\n${agentRows.join('\n')}\n`,
);
process.stdout.write(
  `reference agent: ${reference.summary.pass}/${reference.summary.total} passed${referenceMisses.length ? `; ${referenceMisses.join(', ')}` : ''} (${(reference.durationMs / 1000).toFixed(1)} s)\n`,
);
process.exitCode = rows.every((r) => r.caught) && baseMisses.length === 0 && agentsCaught && referenceMisses.length === 0 ? 0 : 1;
