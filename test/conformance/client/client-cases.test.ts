/** Every client rule has a case; case ids are unique and a case never proves one rule twice; the rows of a selection are what the CLI lists. */
import { describe, expect, it } from 'vitest';
import { assignClientCaseIds, CLIENT_CASES } from '../../../conformance/client/cases/index.ts';
import { selectClientCases } from '../../../conformance/client/client-runner.ts';
import { selectCases } from '../../../conformance/runner.ts';
import { PUSHER_CLIENT_REQUIREMENTS } from '../../../spec/requirements/index.ts';

describe('client cases', () => {
  it('cover every pusher-client requirement, MUST and SHOULD', () => {
    const proved = new Set(CLIENT_CASES.flatMap((c) => [c.requirement, ...(c.alsoProves ?? [])]));
    expect(PUSHER_CLIENT_REQUIREMENTS.filter((r) => !proved.has(r.id)).map((r) => r.id)).toEqual([]);
  });

  it('prove only client requirements, under unique ids', () => {
    const rows = assignClientCaseIds(CLIENT_CASES).flatMap((c) => c.rows);
    expect(rows.filter((r) => !r.requirement.startsWith('pusher-client/'))).toEqual([]);
    const ids = rows.map((r) => r.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('select by id prefix or case id, and refuse a selector matching no client rule', () => {
    expect(selectClientCases({ selectors: ['pusher-client/reconnect/1'] }).map((c) => c.id)).toEqual([
      'pusher-client/reconnect/1#1',
      'pusher-client/reconnect/1#2',
    ]);
    expect(selectClientCases({ selectors: ['pusher-client/reconnect/4#1'] }).map((c) => c.id)).toEqual(['pusher-client/reconnect/3#1']);
    expect(() => selectClientCases({ selectors: ['pusher/subscribe'] })).toThrow(/matches no client requirement/);
  });

  it('are not hub cases: `hubproof conform pusher-client…` is refused with the command that runs them, not run as zero cases', () => {
    expect(() => selectCases({ selectors: ['pusher-client/presence'] })).toThrow(
      /names client rules; run them with `hubproof client pusher-client\/presence`/,
    );
    expect(selectCases({ selectors: ['pusher/presence/1'] }).length).toBeGreaterThan(0);
  });
});
