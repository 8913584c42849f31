/** One run of a case that proves several requirements: which rows fail, pass or are blocked. */
import { describe, expect, it } from 'vitest';
import { rowVerdicts } from '../../conformance/case-rows.ts';
import { CheckFailure, DependencyUnmet } from '../../conformance/types.ts';
import { NO_SERVER_PING } from '../../conformance/root-cause.ts';

const REQS = ['sync/delivery/5', 'sync/idempotency/5', 'sync/history/1'];
const brief = (vs: ReturnType<typeof rowVerdicts>) =>
  vs.map((v) => (v.verdict === 'blocked' ? `${v.requirement} blocked by ${v.by}` : `${v.requirement} ${v.verdict}`));

describe('rowVerdicts', () => {
  it('passes every row when the run passed', () => {
    expect(brief(rowVerdicts(REQS, undefined))).toEqual(['sync/delivery/5 pass', 'sync/idempotency/5 pass', 'sync/history/1 pass']);
  });

  it('charges an unscoped failure to the first requirement and blocks the rest: not reached is neither fail nor pass', () => {
    expect(brief(rowVerdicts(REQS, new CheckFailure('no answer within 40000 ms')))).toEqual([
      'sync/delivery/5 miss',
      'sync/idempotency/5 blocked by sync/delivery/5',
      'sync/history/1 blocked by sync/delivery/5',
    ]);
  });

  it('charges a scoped failure to the requirement it names', () => {
    expect(
      brief(
        rowVerdicts(REQS, new CheckFailure('history holds event_id twice', 'x', 'y', undefined, { requirement: 'sync/idempotency/5' })),
      ),
    ).toEqual(['sync/delivery/5 blocked by sync/idempotency/5', 'sync/idempotency/5 miss', 'sync/history/1 blocked by sync/idempotency/5']);
  });

  it('passes what the failing check judged alongside, and fails each requirement only for its own failure', () => {
    const more = [new CheckFailure('ack missing', 'a', 'b', undefined, { requirement: 'sync/history/1' })];
    const v = rowVerdicts(
      REQS,
      new CheckFailure('seq skipped', 'c', 'd', undefined, { requirement: 'sync/delivery/5', judged: REQS, more }),
    );
    expect(brief(v)).toEqual(['sync/delivery/5 miss', 'sync/idempotency/5 pass', 'sync/history/1 miss']);
    expect(v.map((x) => (x.verdict === 'miss' ? x.failure.message : ''))).toEqual(['seq skipped', '', 'ack missing']);
  });

  it('charges a failure naming a requirement the case does not prove to its first one', () => {
    expect(
      brief(
        rowVerdicts(
          ['pusher/presence/6', 'pusher/presence/4'],
          new CheckFailure('x', undefined, undefined, undefined, { requirement: 'sync/ordering/1' }),
        ),
      ),
    ).toEqual(['pusher/presence/6 miss', 'pusher/presence/4 blocked by pusher/presence/6']);
  });

  it('blocks a row by the requirement a check needed and did not get, keeping the observed behaviour', () => {
    const vs = rowVerdicts(
      ['pusher/heartbeat/4'],
      new DependencyUnmet('pusher/heartbeat/3', 'the hub sent ws#1 no ping within 2000 ms', { rootCause: NO_SERVER_PING }),
    );
    expect(brief(vs)).toEqual(['pusher/heartbeat/4 blocked by pusher/heartbeat/3']);
    const v = vs[0]!;
    expect(v.verdict === 'blocked' && v.reason).toBe('blocked by pusher/heartbeat/3: the hub sent ws#1 no ping within 2000 ms');
    expect(v.verdict === 'blocked' && v.failure.rootCause?.fingerprint).toBe('no-server-ping');
  });

  it('blocks rows not reached by the unmet dependency, not by the case’s own requirement', () => {
    const deps = (id: string) => (id === 'a/1' ? ['z/9'] : []);
    expect(brief(rowVerdicts(['a/1', 'a/2'], new DependencyUnmet('z/9', 'z never happened'), deps))).toEqual([
      'a/1 blocked by z/9',
      'a/2 blocked by z/9',
    ]);
  });

  it('refuses an excuse outside the requirement’s dependsOn: the row misses and says the case is wrong', () => {
    // pusher/close-codes/1 does not rely on pusher/heartbeat/3 in the registry.
    const vs = rowVerdicts(['pusher/close-codes/1'], new DependencyUnmet('pusher/heartbeat/3', 'no ping'));
    expect(brief(vs)).toEqual(['pusher/close-codes/1 miss']);
    expect(vs[0]!.verdict === 'miss' && vs[0]!.failure.message).toMatch(
      /^case error: pusher\/close-codes\/1 cannot be blocked by pusher\/heartbeat\/3, which is not among its dependsOn/,
    );
  });

  it('accepts a dependency reached through others (transitively)', () => {
    // presence/7 → heartbeat/4 → heartbeat/3
    expect(brief(rowVerdicts(['pusher/presence/7'], new DependencyUnmet('pusher/heartbeat/3', 'no ping')))).toEqual([
      'pusher/presence/7 blocked by pusher/heartbeat/3',
    ]);
  });
});
