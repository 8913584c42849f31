/**
 * One soak cycle (docs/soak.md): a silent client, then `clients` clients that subscribe to the cycle's
 * public, private and presence channels (and, when they will leave without a goodbye, a probe channel of
 * their own), `events` publishes to the three channels on a fixed schedule with every delivery counted,
 * and the leaving, round robin over the four ways. Abandoned connections go to the reap watch.
 */
import type { TargetFile } from '../../spec/target.ts';
import { nowUs } from '../measure/clock.ts';
import type { Histogram } from '../measure/histogram.ts';
import { SequenceTracker } from '../measure/sequence-tracker.ts';
import type { HubApi } from './hub-api.ts';
import type { ReapWatch } from './reap-watch.ts';
import { SoakClient } from './soak-client.ts';
import { LEAVE_KINDS, type LeaveKind } from './soak-types.ts';

export interface CycleSpec {
  k: number;
  /** This run's id: every channel name carries it. */
  run: string;
  target: TargetFile;
  api: HubApi;
  reap: ReapWatch;
  clients: number;
  events: number;
  /** Publishes are spread over this window, ms. */
  publishMs: number;
  /** How long to wait for the last deliveries after the last publish was answered, ms. */
  deliveryWaitMs: number;
  latency: Histogram;
  /** Who left which channel how and when, for naming leftovers. */
  history: LeaveHistory;
}

/** channel → the clients that were in it: user (presence), how they left, when (Date.now()). */
export type LeaveHistory = Map<string, Array<{ user?: string; kind: LeaveKind; at: number }>>;

export interface CycleTally {
  expected: number;
  received: number;
  duplicated: number;
  outOfOrder: number;
  unexpected: number;
  published: number;
  publishErrors: string[];
  connectErrors: string[];
  /** Clients the hub closed before they left. */
  disconnects: string[];
}

export const channelsOf = (run: string, k: number): string[] => [
  `soak-${run}-${k}`,
  `private-soak-${run}-${k}`,
  `presence-soak-${run}-${k}`,
];
export const probeOf = (run: string, k: number, i: number): string => `private-soak-${run}-reap-${k}-${i}`;

export async function runCycle(c: CycleSpec, tally: CycleTally): Promise<void> {
  const nodes = c.target.nodes;
  const channels = channelsOf(c.run, c.k);
  const open = (node: number, silent: boolean, onEvent?: (ch: string, ev: string, d: string) => void) =>
    SoakClient.open({ ws: nodes[node % nodes.length]!.ws, app: c.target.app, silent, ...(onEvent ? { onEvent } : {}) });

  // The silent client: connects, never subscribes, never sends; the hub must close it within its bound.
  const silentNode = c.k % nodes.length;
  open(silentNode, true).then(
    (s) => c.reap.add('silent', s, s.openedAt, `silent client of cycle ${c.k} (node ${silentNode + 1})`),
    (e: Error) => note(tally.connectErrors, `silent client of cycle ${c.k}: ${e.message}`),
  );

  const trackers = new Map<string, SequenceTracker>();
  const members = await Promise.all(
    Array.from({ length: c.clients }, async (_, i) => {
      const kind = LEAVE_KINDS[i % LEAVE_KINDS.length]!;
      const user = `u-${i}`;
      const probe = kind === 'destroy' || kind === 'unresponsive' ? probeOf(c.run, c.k, i) : undefined;
      try {
        const client = await open(c.k * c.clients + i, false, (ch, _ev, data) => arrive(c, tally, trackers, i, ch, data));
        await Promise.all([...channels, ...(probe ? [probe] : [])].map((ch) => client.subscribe(ch, user)));
        for (const ch of channels) trackers.set(`${i}|${ch}`, new SequenceTracker());
        return { i, kind, user, probe, client };
      } catch (e) {
        note(tally.connectErrors, `cycle ${c.k} client ${i}: ${(e as Error).message}`);
        return undefined;
      }
    }),
  );
  const live = members.filter((m) => m !== undefined);

  // Publish on schedule, each event to the three channels; `after` names the last one answered before it went out.
  let acked = 0;
  const ok: number[] = [];
  const start = performance.now();
  const sends: Array<Promise<void>> = [];
  for (let seq = 1; seq <= c.events; seq++) {
    const due = start + ((seq - 1) * c.publishMs) / Math.max(1, c.events);
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const at = Math.round((performance.timeOrigin + due) * 1000);
    const after = acked;
    tally.published++;
    sends.push(
      c.api.publish(channels, 'soak', JSON.stringify({ s: seq, a: after, t: at })).then((r) => {
        if (r.status >= 200 && r.status < 300) {
          ok.push(seq);
          acked = Math.max(acked, seq);
        } else note(tally.publishErrors, `POST /events → ${r.status} ${r.body.slice(0, 120)}`);
      }),
    );
  }
  await Promise.all(sends);
  const want = ok.length * channels.length * live.length;
  const deadline = performance.now() + c.deliveryWaitMs;
  while (countReceived(trackers, ok) < want && performance.now() < deadline) await sleep(10);
  tally.expected += want;
  tally.received += countReceived(trackers, ok);

  // Leave, round robin over the four ways.
  const now = Date.now();
  await Promise.all(
    live.map(async (m) => {
      if (!m.client.open) note(tally.disconnects, `cycle ${c.k} client ${m.i} closed by the hub before leaving`);
      for (const ch of channels) push(c.history, ch, { ...(ch.startsWith('presence-') ? { user: m.user } : {}), kind: m.kind, at: now });
      if (m.probe) push(c.history, m.probe, { kind: m.kind, at: now });
      await m.client.leave(m.kind, channels);
      const label = `cycle ${c.k} client ${m.i} (${m.user}, ${m.kind === 'destroy' ? 'socket destroyed' : 'stopped reading'})`;
      if (m.kind === 'destroy') c.reap.add('destroyed', m.client, performance.now(), label, m.probe);
      if (m.kind === 'unresponsive') c.reap.add('unresponsive', m.client, m.client.lastSentAt, label, m.probe);
    }),
  );
}

function arrive(c: CycleSpec, tally: CycleTally, trackers: Map<string, SequenceTracker>, i: number, ch: string, data: string): void {
  const recv = nowUs();
  let d: { s?: number; a?: number; t?: number };
  try {
    d = JSON.parse(data) as typeof d;
  } catch {
    tally.unexpected++;
    return;
  }
  const tracker = trackers.get(`${i}|${ch}`);
  if (!tracker || typeof d.s !== 'number') {
    tally.unexpected++;
    return;
  }
  const seen = tracker.record(d.s, d.a ?? 0);
  if (seen === 'duplicate') tally.duplicated++;
  else {
    if (seen === 'out-of-order') tally.outOfOrder++;
    if (typeof d.t === 'number') c.latency.recordValue(Math.max(1, recv - d.t));
  }
}

function countReceived(trackers: Map<string, SequenceTracker>, ok: readonly number[]): number {
  let n = 0;
  for (const t of trackers.values()) for (const seq of ok) n += t.countUnique(seq, seq);
  return n;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

function note(list: string[], line: string): void {
  if (list.length < 1000) list.push(line);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
