/**
 * A hub that never pings (issue #12, Soketi's and Reverb's shape): it announces `activity_timeout` 30
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
