/** The `dependsOn` graph: known ids, no self-edges, no cycles; and the checks shown failing. */
import { describe, expect, it } from 'vitest';
import {
  dependencyProblems,
  derived,
  directDependants,
  REQUIREMENTS,
  req,
  transitiveDependencies,
  type Requirement,
} from '../../spec/requirements/index.ts';

const basis = derived('a fixture of this test');
const r = (id: string, dependsOn?: string[]): Requirement =>
  req(id, 'MUST', `Rule ${id} MUST hold.`, 'docs/protocol.md', basis, dependsOn ? { dependsOn } : {});

describe('requirement dependencies', () => {
  it('form a graph of registered ids without self-edges, repeats or cycles', () => {
    expect(dependencyProblems(REQUIREMENTS)).toEqual([]);
  });

  it('are declared for the cases that need another rule first (close codes, heartbeat, presence drops)', () => {
    const deps = (id: string) => REQUIREMENTS.find((x) => x.id === id)?.dependsOn ?? [];
    expect(deps('pusher/close-codes/1')).toContain('pusher/connection/8');
    expect(deps('pusher/close-codes/4')).toContain('pusher/bad-input/1');
    expect(deps('pusher/close-codes/5')).toContain('pusher/bad-input/1');
    expect(deps('pusher/heartbeat/4')).toContain('pusher/heartbeat/3');
    expect(deps('pusher/presence/7')).toContain('pusher/heartbeat/4');
  });

  it('reach back to the connection handshake from a deep rule', () => {
    expect(transitiveDependencies(REQUIREMENTS, 'pusher/presence/7')).toEqual(
      expect.arrayContaining(['pusher/presence/4', 'pusher/heartbeat/3', 'pusher/auth/2', 'pusher/connection/1']),
    );
    expect(directDependants(REQUIREMENTS, 'pusher/heartbeat/3')).toEqual(
      expect.arrayContaining(['pusher/heartbeat/4', 'pusher/heartbeat/5']),
    );
  });
});

describe('dependencyProblems', () => {
  it('finds an unknown id, a self-edge and a repeated edge', () => {
    const problems = dependencyProblems([
      r('pusher/a/1', ['pusher/a/1']),
      r('pusher/a/2', ['pusher/zz/9']),
      r('pusher/a/3', ['pusher/a/2', 'pusher/a/2']),
    ]);
    expect(problems).toEqual([
      'pusher/a/1 depends on itself',
      'pusher/a/2 depends on pusher/zz/9, which is not in the registry',
      'pusher/a/3 lists pusher/a/2 twice',
    ]);
  });

  it('finds a cycle through three rules once, and none in a diamond', () => {
    expect(dependencyProblems([r('pusher/a/1', ['pusher/a/2']), r('pusher/a/2', ['pusher/a/3']), r('pusher/a/3', ['pusher/a/1'])])).toEqual(
      ['cycle: pusher/a/1 → pusher/a/2 → pusher/a/3 → pusher/a/1'],
    );
    expect(
      dependencyProblems([
        r('pusher/a/1'),
        r('pusher/a/2', ['pusher/a/1']),
        r('pusher/a/3', ['pusher/a/1']),
        r('pusher/a/4', ['pusher/a/2', 'pusher/a/3']),
      ]),
    ).toEqual([]);
  });
});
