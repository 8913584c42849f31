/**
 * The sync-client suite: a case for every rule, the reference agent passes everything (strict), and every
 * mutant agent (the reference with one rule broken) is caught on exactly that rule: its row missed, every
 * other row passed or blocked by it. Runs one after another: the back-off and heartbeat cases judge gaps of
 * a few hundred ms, which six runs side by side on two cores would stretch.
 */
import { describe, expect, it } from 'vitest';
import { AGENT_CASES } from '../../../conformance/client/agent-cases/index.ts';
import { runClientConformance, selectClientCases } from '../../../conformance/client/client-runner.ts';
import { AGENT_MUTANTS, agentMutantDriver } from '../../../selftest/client-mutants/agent-mutants.ts';
import { storyProblems } from '../../../selftest/client-mutants/score.ts';
import { SYNC_CLIENT_REQUIREMENTS } from '../../../spec/requirements/index.ts';

const run = (name: string) =>
  runClientConformance({
    driver: agentMutantDriver(name),
    cases: AGENT_CASES,
    requirements: SYNC_CLIENT_REQUIREMENTS,
    strict: true,
    progress: null,
  });

describe('sync-client cases', () => {
  it('cover every sync-client requirement, MUST and SHOULD', () => {
    const proved = new Set(
      selectClientCases({ cases: AGENT_CASES, requirements: SYNC_CLIENT_REQUIREMENTS }).flatMap((c) => c.rows.map((r) => r.requirement)),
    );
    expect(SYNC_CLIENT_REQUIREMENTS.map((r) => r.id).filter((id) => !proved.has(id))).toEqual([]);
  });

  it('pass the reference agent on every rule, --strict included', async () => {
    const report = await run('reference');
    expect(report.results.filter((r) => r.outcome !== 'pass').map((r) => `${r.id} ${r.outcome}: ${r.reason} ${r.actual ?? ''}`)).toEqual(
      [],
    );
    expect(report.client?.library).toBe('reference agent, mutant reference');
  }, 60_000);

  for (const m of AGENT_MUTANTS) {
    it(`catch the ${m.name} agent on ${m.breaks} and nothing else`, async () => {
      expect(storyProblems(await run(m.name), m.breaks)).toEqual([]);
    }, 60_000);
  }
});
