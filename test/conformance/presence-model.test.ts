/** The presence model charges a stream that differs from it to the rule the difference breaks. */
import { describe, expect, it } from 'vitest';
import { rowVerdicts } from '../../conformance/case-rows.ts';
import { modelMismatch, presenceModelCase } from '../../conformance/cases/pusher/presence-model.ts';
import { provedBy } from '../../conformance/cases/index.ts';

const verdicts = (expected: string, seen: string) =>
  rowVerdicts(provedBy(presenceModelCase), modelMismatch(expected.split(' '), seen.split(' '))).map((v) => `${v.requirement} ${v.verdict}`);

// One comparison judges both rules; as a property the case then reports the rule that did not fail
// `blocked` (see runner.test.ts), since the property stopped at the failing run.
describe('the presence model property', () => {
  it('is one case proving pusher/presence/6 and /4', () => {
    expect(provedBy(presenceModelCase)).toEqual(['pusher/presence/6', 'pusher/presence/4']);
  });

  it('charges a member_removed for a user who still has a connection to /6 only', () => {
    expect(verdicts('+u1', '+u1 -u1')).toEqual(['pusher/presence/6 miss', 'pusher/presence/4 pass']);
  });

  it('charges a second member_added for the same user to /4 only', () => {
    expect(verdicts('+u1', '+u1 +u1')).toEqual(['pusher/presence/6 pass', 'pusher/presence/4 miss']);
  });

  it('charges both when each kind matches alone but their order does not', () => {
    expect(verdicts('+u1 -u1 +u1', '+u1 +u1 -u1')).toEqual(['pusher/presence/6 miss', 'pusher/presence/4 miss']);
    const f = modelMismatch(['+u1', '-u1'], ['-u1', '+u1']);
    expect([f.message, f.expected, f.actual]).toEqual([
      'observer member_added and member_removed events come in another order than the per-user model',
      '+u1 -u1',
      '-u1 +u1',
    ]);
  });
});
