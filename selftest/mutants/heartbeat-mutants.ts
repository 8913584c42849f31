/**
 * A hub that never pings (issue #12, Soketi's shape; Reverb's, which pings only subscribed connections,
 * is the second mutant below): it announces `activity_timeout` 30
 * and closes a connection only after 30 s without a frame from the client. Built as the fast reference
 * hub behind a relay that answers the hub's own `pusher:ping`s itself and never forwards them, as long
 * as the client sent something in the last 30 s; after that it lets the hub's pong timeout close the
 * connection (4201). WebSocket pings from the hub are answered by the relay's own socket and never reach
 * the client either. Breaks pusher/heartbeat/3 only: rows that need the hub's ping are blocked by it.
 * Also the "30 s hub without server pings" the pusher profile's time budget is measured against.
 */
import { REQUIREMENTS } from '../../spec/requirements/index.ts';
import type { RunReport } from '../../conformance/runner.ts';
import type { ProxyConn } from '../kit/mutating-proxy.ts';
import { startProxied } from './proxy-mutant.ts';
import type { Mutant, RunningMutant } from './types.ts';

export const ANNOUNCED_ACTIVITY_S = 30;
const NO_PING = 'pusher/heartbeat/3';

export function startNoPingHub(activityS = ANNOUNCED_ACTIVITY_S): Promise<RunningMutant> {
  return startProxied(`no server pings (activity_timeout ${activityS} s)`, () => {
    const lastFromClient = new Map<ProxyConn, number>();
    return {
      ws: {
        onOpen: (conn) => void lastFromClient.set(conn, Date.now()),
        onClose: (conn) => void lastFromClient.delete(conn),
        fromClient(conn) {
          lastFromClient.set(conn, Date.now());
          return undefined;
        },
        fromHub(conn, _text, json) {
          const f = json as { event?: unknown; data?: unknown } | undefined;
          if (f?.event === 'pusher:ping') {
            // The hub's idle check stands in for a 30 s idle timeout: answered while the client is active.
            if (Date.now() - (lastFromClient.get(conn) ?? 0) <= activityS * 1000)
              conn.toHub(JSON.stringify({ event: 'pusher:pong', data: {} }));
            return null;
          }
          if (f?.event === 'pusher:connection_established' && typeof f.data === 'string') {
            const data = JSON.parse(f.data) as Record<string, unknown>;
            return JSON.stringify({ ...f, data: JSON.stringify({ ...data, activity_timeout: activityS }) });
          }
          return undefined;
        },
      },
      http: {
        response(req, res) {
          if (req.method !== 'GET' || res.status !== 200 || !/^\/api\/hub(\?|$)/.test(req.url)) return;
          const body = JSON.parse(res.body.toString('utf8')) as { timings?: Record<string, unknown> };
          if (body.timings) body.timings.activity_timeout_s = activityS;
          res.body = Buffer.from(JSON.stringify(body));
        },
      },
    };
  }).then((m) => ({ ...m, target: { ...m.target, timings: { ...m.target.timings, activity_timeout_s: activityS } } }));
}

/** Requirements that need `id` met, directly or through others (the rows that may be blocked by it). */
function dependants(id: string): Set<string> {
  const out = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const r of REQUIREMENTS) {
      if (out.has(r.id) || !(r.dependsOn ?? []).some((d) => d === id || out.has(d))) continue;
      out.add(r.id);
      grew = true;
    }
  }
  return out;
}

/** heartbeat/3 misses; every other row passes or is skipped, or is blocked by heartbeat/3 where it needs the ping. */
export function judgeNoPingRun(report: RunReport): string[] {
  const problems: string[] = [];
  const needs = dependants(NO_PING);
  const own = report.results.find((r) => r.requirement === NO_PING && r.id.endsWith('#1'));
  if (own?.outcome !== 'fail' && own?.outcome !== 'non-strict') problems.push(`${NO_PING}#1 is ${own?.outcome ?? 'missing'}, not a miss`);
  for (const r of report.results) {
    if (r === own || r.outcome === 'pass' || r.outcome === 'skipped') continue;
    if (r.outcome === 'blocked' && needs.has(r.requirement) && r.blockedBy?.kind === 'requirement') continue;
    problems.push(`${r.id} is ${r.outcome}${r.reason ? ` (${r.reason.slice(0, 160)})` : ''}`);
  }
  if (report.findings.some((f) => f.kind === 'crash'))
    problems.push(`a crash was reported: ${report.findings.map((f) => f.text).join(' | ')}`);
  return problems;
}

export const noServerPings: Mutant = {
  name: 'no-server-pings',
  breaks: NO_PING,
  // Every case that waits on a ping or an idle connection: heartbeats, silent closes, the stalled member.
  selectors: ['pusher/heartbeat', 'pusher/close-codes', 'pusher/presence/7'],
  describe: `never pings (pusher:ping nor WebSocket ping), announces activity_timeout ${ANNOUNCED_ACTIVITY_S} s and closes connections idle for that long`,
  runOptions: { strict: true },
  judge: judgeNoPingRun,
  story: {
    notPassing: { 'pusher/heartbeat/3#1': 'non-strict', 'pusher/heartbeat/5#1': 'blocked:pusher/heartbeat/3' },
    groups: { 'no-server-ping': ['pusher/heartbeat/3#1', 'pusher/heartbeat/5#1'] },
  },
  // The hub ends idle connections after 30 s; the stalled member of presence/7 after 30 s and its pong timeout.
  slowMs: 60_000,
  start: () => startNoPingHub(),
};

/**
 * A hub that pings only connections holding a subscription, as Laravel Reverb does (its ping sweep walks
 * the channels, laravel/reverb#375). Built as the fast reference hub behind a relay that drops the hub's
 * `pusher:ping` to a connection with no subscription (none `subscription_succeeded`, or all unsubscribed
 * since), so the client never sees it and the hub's pong timeout closes it (4201), as the no-server-pings
 * hub closes every idle connection. Reverb instead leaves such a connection open for ever; that shape
 * makes heartbeat/3 wait out its whole ping window (134 s) for the same verdict, too long for the
 * self-test (server-ping.test.ts holds its wording). Breaks pusher/heartbeat/3 for connections without
 * subscriptions only: the cases that need the ping judge it on subscribed connections (heartbeat/4 and
 * 5, close-codes, presence/7) and pass.
 */
export function startSubscribedOnlyPingHub(): Promise<RunningMutant> {
  return startProxied('pings only subscribed connections', () => {
    const channels = new Map<ProxyConn, Set<string>>();
    const held = (conn: ProxyConn) => channels.get(conn) ?? channels.set(conn, new Set()).get(conn)!;
    return {
      ws: {
        onClose: (conn) => void channels.delete(conn),
        fromClient(conn, _text, json) {
          const f = json as { event?: unknown; data?: { channel?: unknown } } | undefined;
          if (f?.event === 'pusher:unsubscribe' && typeof f.data?.channel === 'string') held(conn).delete(f.data.channel);
          return undefined;
        },
        fromHub(conn, _text, json) {
          const f = json as { event?: unknown; channel?: unknown } | undefined;
          if (f?.event === 'pusher_internal:subscription_succeeded' && typeof f.channel === 'string') held(conn).add(f.channel);
          return f?.event === 'pusher:ping' && held(conn).size === 0 ? null : undefined;
        },
      },
    };
  });
}

/** heartbeat/3 misses for the connection without subscriptions, said so, under its own root cause. */
export function judgeSubscribedOnlyRun(report: RunReport): string[] {
  const problems: string[] = [];
  const own = report.results.find((r) => r.id === `${NO_PING}#1`);
  if (
    !/^hub never pinged an idle connection without subscriptions \(.+\), though it pinged one holding a subscription \(idle-subscribed: (pusher:ping|ws ping)\)$/.test(
      own?.reason ?? '',
    )
  )
    problems.push(`${NO_PING}#1 does not say which connection went unpinged: ${own?.reason ?? 'missing'}`);
  if (own?.rootCause?.fingerprint !== 'no-server-ping:without-subscriptions')
    problems.push(`${NO_PING}#1 root cause is ${own?.rootCause?.fingerprint ?? 'none'}, not no-server-ping:without-subscriptions`);
  return problems;
}

export const pingsOnlySubscribed: Mutant = {
  name: 'pings-only-subscribed',
  breaks: NO_PING,
  selectors: noServerPings.selectors,
  describe:
    'pings idle connections that hold a subscription and never one without (as Laravel Reverb, laravel/reverb#375), timing those out unpinged',
  runOptions: { strict: true },
  // One row, so no group (groups hold two or more); its own root cause and wording are judged below.
  story: { notPassing: { 'pusher/heartbeat/3#1': 'non-strict' }, groups: {} },
  judge: judgeSubscribedOnlyRun,
  start: startSubscribedOnlyPingHub,
};
