/**
 * heartbeat/3's verdict on one idle connection without subscriptions and one holding a subscription
 * (server-ping.ts idlePingMiss): a hub that pings only one kind is told which kind it never pings, under
 * a root cause of its own; one that pings neither keeps "never pings an idle connection".
 */
import { describe, expect, it } from 'vitest';
import type { PusherSocket } from '../../../conformance/clients/pusher-socket.ts';
import { idlePingMiss, type IdleSeen, type PingSeen } from '../../../conformance/cases/pusher/server-ping.ts';

function seen(label: string, what: PingSeen): IdleSeen {
  const sock = {
    label,
    closeInfo: what === 'closed' ? { code: 4201, reason: 'Pong reply not received' } : undefined,
    recentSummary: () => `last frames on ${label}`,
  } as unknown as PusherSocket;
  return { sock, seen: what, windowMs: 134_000 };
}

describe('idlePingMiss', () => {
  it('passes a hub that pinged both connections, whichever way', () => {
    expect(idlePingMiss(seen('idle', 'pusher:ping'), seen('idle-subscribed', 'ws ping'))).toBeUndefined();
  });

  it('says a hub that pings only subscribed connections never pings one without subscriptions', () => {
    const miss = idlePingMiss(seen('idle', 'none'), seen('idle-subscribed', 'pusher:ping'));
    expect(miss?.message).toBe(
      'hub never pinged an idle connection without subscriptions (the hub sent idle no ping within 134000 ms of idleness), though it pinged one holding a subscription (idle-subscribed: pusher:ping)',
    );
    expect(miss?.rootCause.fingerprint).toBe('no-server-ping:without-subscriptions');
    expect(miss?.actual).toBe('no ping on idle; last frames on idle');
  });

  it('names the reverse too, and a close without a ping', () => {
    const miss = idlePingMiss(seen('idle', 'ws ping'), seen('idle-subscribed', 'closed'));
    expect(miss?.message).toBe(
      'hub never pinged an idle connection holding a subscription (the hub closed idle-subscribed (4201 Pong reply not received) without pinging it first), though it pinged one without subscriptions (idle: ws ping)',
    );
    expect(miss?.rootCause.fingerprint).toBe('no-server-ping:with-subscriptions');
  });

  it('keeps "never pinged an idle connection" for a hub that pinged neither', () => {
    const none = idlePingMiss(seen('idle', 'none'), seen('idle-subscribed', 'none'));
    expect(none?.message).toBe('hub never pinged an idle connection within 134000 ms, with or without a subscription');
    expect(none?.rootCause.fingerprint).toBe('no-server-ping');
    const closed = idlePingMiss(seen('idle', 'closed'), seen('idle-subscribed', 'none'));
    expect(closed?.message).toBe(
      'hub never pinged an idle connection, with or without a subscription: the hub closed idle (4201 Pong reply not received) without pinging it first; the hub sent idle-subscribed no ping within 134000 ms of idleness',
    );
    expect(closed?.rootCause.fingerprint).toBe('no-server-ping');
  });
});
