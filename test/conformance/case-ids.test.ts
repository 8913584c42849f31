/** Case ids: one per requirement a case proves, unique across the suite, stable as cases are appended. */
import { describe, expect, it } from 'vitest';
import { ALL_CASES, assignCaseIds, provedBy } from '../../conformance/cases/index.ts';
import type { Case } from '../../conformance/types.ts';

describe('case ids', () => {
  it('are unique across every row of the suite, and no case proves one requirement twice', () => {
    const ids = assignCaseIds(ALL_CASES).flatMap((c) => c.rows.map((r) => r.id));
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    for (const c of ALL_CASES) expect(new Set(provedBy(c)).size, c.desc).toBe(provedBy(c).length);
  });

  it('number a requirement’s own cases before those that prove it besides, so an added alsoProves renumbers nothing', () => {
    const own = (requirement: string, desc: string): Case => ({ requirement, desc, run: async () => undefined });
    const before = [own('a/b/2', 'two'), own('a/b/1', 'one, first'), own('a/b/1', 'one, second')];
    const after = [{ ...before[0]!, alsoProves: ['a/b/1'] }, ...before.slice(1)];
    const idsOf = (cases: Case[]) => assignCaseIds(cases).map((c) => c.rows.map((r) => r.id));
    expect(idsOf(before)).toEqual([['a/b/2#1'], ['a/b/1#1'], ['a/b/1#2']]);
    expect(idsOf(after)).toEqual([['a/b/2#1', 'a/b/1#3'], ['a/b/1#1'], ['a/b/1#2']]);
  });
});
