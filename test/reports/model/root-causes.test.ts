/** The story of a run: blocked rows linked to the row that judged their blocker, groups by observed behaviour, the blocked tree. */
import { describe, expect, it } from 'vitest';
import type { CaseResult } from '../../../reports/model/case-result.ts';
import { blockedTree, groupRootCauses, linkBlockers } from '../../../reports/model/root-causes.ts';
import { httpStatusCause, NO_SERVER_PING, subscriptionRefusedCause } from '../../../conformance/root-cause.ts';

const row = (id: string, outcome: CaseResult['outcome'], extra: Partial<CaseResult> = {}): CaseResult => ({
  id,
  requirement: id.slice(0, id.indexOf('#')),
  level: 'MUST',
  desc: id,
  outcome,
  durationMs: 1,
  wire: [],
  ...extra,
});
const twoHundred = httpStatusCause(200, [401], '{"error":"Invalid signature","code":401}');

describe('root causes', () => {
  it('fingerprints the behaviour, not the case: every error answered 200 with the error in the body is one fingerprint', () => {
    expect(httpStatusCause(200, [400], '{"error":"too many channels"}')).toEqual(twoHundred);
    expect(twoHundred.cause).toBe('HTTP API errors answered with status 200 (the body carries the real code)');
    expect(httpStatusCause(200, [413, 400], '{}').fingerprint).toBe('http-error-as-2xx:200');
    expect(httpStatusCause(500, [400], 'oops').fingerprint).toBe('http-error-as-5xx:500');
    expect(
      subscriptionRefusedCause({ kind: 'presence', userInfo: false }, 'pusher:error', 4200, 'Invalid message format').fingerprint,
    ).toBe('subscription-refused:presence:no-user_info:pusher:error:4200');
  });

  it('groups rows by fingerprint, two or more to a group, largest first; passes and lone causes are not groups', () => {
    const rows = [
      row('pusher/http-auth/2#1', 'fail', { rootCause: twoHundred }),
      row('pusher/heartbeat/3#1', 'non-strict', { level: 'SHOULD', rootCause: NO_SERVER_PING }),
      row('pusher/http-api/6#1', 'fail', { rootCause: twoHundred }),
      row('pusher/http-api/7#1', 'fail', { rootCause: twoHundred }),
      row('pusher/heartbeat/4#1', 'blocked', { blockedBy: { kind: 'requirement', id: 'pusher/heartbeat/3' }, rootCause: NO_SERVER_PING }),
      row('pusher/http-api/1#1', 'pass'),
      row('pusher/close-codes/3#1', 'fail', { rootCause: { fingerprint: 'close-code-class:4001', cause: 'x' } }),
    ];
    expect(groupRootCauses(rows)).toEqual([
      {
        fingerprint: twoHundred.fingerprint,
        cause: twoHundred.cause,
        cases: ['pusher/http-auth/2#1', 'pusher/http-api/6#1', 'pusher/http-api/7#1'],
      },
      { fingerprint: 'no-server-ping', cause: NO_SERVER_PING.cause, cases: ['pusher/heartbeat/3#1', 'pusher/heartbeat/4#1'] },
    ]);
  });

  it('links a blocked row to the row that judged its blocker and gives it the blocker’s cause, through chains', () => {
    const rows = linkBlockers([
      row('pusher/heartbeat/3#1', 'non-strict', { level: 'SHOULD', rootCause: NO_SERVER_PING }),
      row('pusher/heartbeat/4#1', 'blocked', { blockedBy: { kind: 'requirement', id: 'pusher/heartbeat/3' } }),
      row('pusher/presence/7#1', 'blocked', { blockedBy: { kind: 'requirement', id: 'pusher/heartbeat/4' } }),
    ]);
    expect(rows.map((r) => [r.id, r.blockedBy?.kind === 'requirement' ? r.blockedBy.case : undefined, r.rootCause?.fingerprint])).toEqual([
      ['pusher/heartbeat/3#1', undefined, 'no-server-ping'],
      ['pusher/heartbeat/4#1', 'pusher/heartbeat/3#1', 'no-server-ping'],
      ['pusher/presence/7#1', 'pusher/heartbeat/4#1', 'no-server-ping'],
    ]);
    expect(groupRootCauses(rows)).toHaveLength(1);
  });

  it('shows each unmet requirement once, its dependants under it, and theirs under them', () => {
    const rows = linkBlockers([
      row('pusher/heartbeat/3#1', 'non-strict', { level: 'SHOULD', reason: 'no ping' }),
      row('pusher/heartbeat/4#1', 'blocked', {
        blockedBy: { kind: 'requirement', id: 'pusher/heartbeat/3' },
        reason: 'blocked by pusher/heartbeat/3: no ping',
      }),
      row('pusher/heartbeat/5#1', 'blocked', {
        blockedBy: { kind: 'requirement', id: 'pusher/heartbeat/3' },
        reason: 'blocked by pusher/heartbeat/3: no ping',
      }),
      row('pusher/presence/7#1', 'blocked', {
        blockedBy: { kind: 'requirement', id: 'pusher/heartbeat/4' },
        reason: 'blocked by pusher/heartbeat/4: stall',
      }),
    ]);
    const tree = blockedTree(rows);
    expect(tree).toHaveLength(1);
    expect(tree[0]!.blocker).toBe('pusher/heartbeat/3');
    expect(tree[0]!.row?.outcome).toBe('non-strict');
    expect(tree[0]!.dependants.map((d) => d.row.id)).toEqual(['pusher/heartbeat/4#1', 'pusher/heartbeat/5#1']);
    expect(tree[0]!.dependants[0]!.below.map((b) => [b.blocker, b.dependants.map((d) => d.row.id)])).toEqual([
      ['pusher/heartbeat/4', ['pusher/presence/7#1']],
    ]);
  });
});
