/** Load SLOs name the requirements whose figures they certify, and the matrix links them back. */
import { describe, expect, it } from 'vitest';
import { linkSlos } from '../../certify/matrix.ts';
import { sloRequirements } from '../../certify/slo-requirements.ts';
import type { RequirementRow, SloRow } from '../../reports/model/index.ts';
import { SCENARIOS } from '../../load/scenarios/index.ts';
import { requirementById } from '../../spec/requirements/index.ts';
import type { ScenarioResult } from '../../load/report-types.ts';

const scenario = (name: string, notes: string[] = []): Pick<ScenarioResult, 'kind' | 'scenario' | 'notes'> => {
  const s = SCENARIOS.find((x) => x.name === name)!;
  return { kind: s.kind, scenario: s, notes };
};

describe('sloRequirements', () => {
  it('maps the presence, agents and dashboard-memory thresholds to their performance requirements', () => {
    expect(sloRequirements(scenario('presence'), 'p99Ms')).toEqual(['agent-presence/performance/1']);
    expect(sloRequirements(scenario('presence'), 'minRate')).toEqual(['agent-presence/performance/1']);
    expect(sloRequirements(scenario('agents'), 'p99Ms')).toEqual(['sync/propagation/1']);
    expect(sloRequirements(scenario('agents'), 'conflictP99Ms')).toEqual(['sync/conflicts/5']);
    expect(sloRequirements(scenario('connections', ['clients: /ws/broadcasts dashboards']), 'maxMbPer1000')).toEqual([
      'agent-presence/performance/2',
    ]);
  });

  it('maps nothing where the figure is about something else', () => {
    expect(sloRequirements(scenario('connections', ['clients: Pusher sockets, one public channel each']), 'maxMbPer1000')).toEqual([]);
    expect(sloRequirements(scenario('fanout'), 'p99Ms')).toEqual([]);
  });

  it('names only registered requirements', () => {
    const ids = ['presence', 'agents', 'connections', 'fanout', 'capacity'].flatMap((n) =>
      ['p99Ms', 'minRate', 'minReach', 'maxMbPer1000', 'conflictP99Ms'].flatMap((t) =>
        sloRequirements(scenario(n, ['/ws/broadcasts dashboards']), t),
      ),
    );
    expect(ids.length).toBeGreaterThan(4);
    for (const id of ids) expect(requirementById(id), id).toBeDefined();
  });
});

describe('linkSlos', () => {
  it('points a requirement row at the SLO rows that certify it', () => {
    const row: RequirementRow = {
      id: 'agent-presence/performance/1',
      level: 'MUST',
      section: 'agent-presence/performance',
      text: 't',
      outcome: 'pass',
      cases: ['agent-presence/performance/1#1'],
      worstCase: 'agent-presence/performance/1#1',
    };
    const slo: SloRow = {
      id: 'presence/p99Ms',
      scenario: 'presence',
      name: 'p99Ms',
      label: 'p99 propagation',
      comparator: '<',
      limit: 50,
      actual: 3,
      unit: 'ms',
      status: 'held',
      requirements: ['agent-presence/performance/1'],
    };
    const other = { ...row, id: 'pusher/auth/1' };
    expect(linkSlos([row, other], [slo])).toEqual([{ ...row, slos: ['presence/p99Ms'] }, other]);
  });
});
