/**
 * The sync-client suite: a case for every rule, the reference agent passes everything (strict), and every
 * mutant agent (the reference with one rule broken) is caught on exactly that rule: its row missed, every
 * other row passed or blocked by it. Runs one after another: the back-off and heartbeat cases judge gaps of
 * a few hundred ms, which six runs side by side on two cores would stretch.
 */
import { describe, expect, it } from 'vitest';
import { AGENT_CASES, SYNC_API_ADVERTISED } from '../../../conformance/client/agent-cases/index.ts';
import { runClientConformance, selectClientCases } from '../../../conformance/client/client-runner.ts';
import { AGENT_MUTANTS, agentMutantDriver } from '../../../selftest/client-mutants/agent-mutants.ts';
import { storyProblems } from '../../../selftest/client-mutants/score.ts';
import { SYNC_CLIENT_REQUIREMENTS } from '../../../spec/requirements/index.ts';

/** What a mutant must be caught by, where the case has more than one check that could catch it. */
const REASONS: Record<string, RegExp> = {
  // By the creates the API received, not only by the missing paused/resumed observations.
  'ignores-conflicts': /^the agent kept creating while the conflict was unresolved/,
  'backoff-without-cap': /its back-off grew past its ceiling$/,
};

const run = (name: string) =>
  runClientConformance({
    driver: agentMutantDriver(name),
    cases: AGENT_CASES,
    requirements: SYNC_CLIENT_REQUIREMENTS,
    advertised: SYNC_API_ADVERTISED,
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

  it('judge an agent whose back-off ceiling is fixed (1.6 s) against the ceiling it reports, and pass it', async () => {
    const report = await runClientConformance({
      driver: agentMutantDriver('fixed-ceiling'),
      cases: AGENT_CASES,
      requirements: SYNC_CLIENT_REQUIREMENTS,
      advertised: SYNC_API_ADVERTISED,
      selectors: ['sync-client/backoff/2'],
      progress: null,
    });
    const row = report.results[0]!;
    expect(`${row.outcome} ${row.reason ?? ''} ${row.actual ?? ''}`).toMatch(/^pass /);
    expect(row.wire.some((w) => w.dir === 'note' && /ceiling its own 1600 ms \(reported in joined\), bound 2750 ms/.test(w.text))).toBe(
      true,
    );
  }, 60_000);

  for (const m of AGENT_MUTANTS) {
    it(`catch the ${m.name} agent on ${m.breaks} and nothing else`, async () => {
      const report = await run(m.name);
      expect(storyProblems(report, m.breaks)).toEqual([]);
      const why = REASONS[m.name];
      if (why) expect(report.results.find((r) => r.requirement === m.breaks)?.reason).toMatch(why);
    }, 60_000);
  }
});
