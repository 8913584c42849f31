/**
 * The storm's figures from what the fleet and the publisher recorded (pure: timestamps in, figures out).
 * What "lost across the restart" means is decided here (docs/storm.md#lost): an event is owed to a
 * subscription when its publish was sent after that subscription was confirmed, was accepted (2xx) before
 * the client saw its connection go, and was either accepted before the hub was stopped or sent after the
 * hub answered again. So an accepted event published after a client's subscription is restored must reach
 * it; events published while the hub was going down, down or coming back are owed to nobody, and a
 * publish the hub refused is a publish error, never a loss.
 */
import type { PublishRecord } from './storm-publisher.ts';
import type { ClientRecord } from './storm-fleet.ts';
import type { DurationFigures, StormFigures, StormSecond } from './storm-types.ts';

export interface StormTimes {
  /** Performance-clock ms: publishing began (t = 0), the stop was issued, the hub answered again, the run ended. */
  t0: number;
  downAt: number;
  backAt: number;
  endAt: number;
}

export interface PresenceView {
  client: number;
  channel: string;
  count: number;
  me: string | null;
  ids: string[];
}

type Accounted = Omit<StormFigures, 'client' | 'restart' | 'groups'> & { restart: { downAtS: number; backAtS: number } };

const ok = (p: PublishRecord) => p.status >= 200 && p.status < 300 && p.answeredAt !== null;

/** When the client's connection last came up after its last loss since the stop (undefined: it did not). */
function backUp(r: ClientRecord, downAt: number): number | undefined {
  const lost = r.left.filter((t) => t >= downAt).at(-1);
  if (lost === undefined) return undefined;
  return r.connected.find((t) => t > lost);
}

/** When the subscription was confirmed again after the client's last loss since the stop (undefined: not). */
function restoredAt(r: ClientRecord, channel: string, downAt: number): number | undefined {
  const lost = r.left.filter((t) => t >= downAt).at(-1);
  if (lost === undefined) return undefined;
  return r.subscribed.get(channel)!.find((t) => t > lost);
}

export function durations(values: number[]): DurationFigures {
  const v = [...values].sort((a, b) => a - b);
  const at = (q: number) => (v.length ? round(v[Math.min(v.length - 1, Math.ceil(q * v.length) - 1)]! / 1000) : null);
  return { count: v.length, p50S: at(0.5), p99S: at(0.99), maxS: v.length ? round(v.at(-1)! / 1000) : null };
}

export function accountStorm(clients: ClientRecord[], publishes: PublishRecord[], times: StormTimes, views: PresenceView[]): Accounted {
  const { t0, downAt, backAt, endAt } = times;
  // Reconnects and restores, per client, from the hub answering again.
  const reconnectAt: number[] = [];
  const noticedMs: number[] = [];
  const restoreMs: number[] = [];
  let unrestored = 0;
  const restoredChannel = new Map<string, boolean>();
  for (const r of clients) {
    const noticed = r.left.find((t) => t >= downAt);
    if (noticed !== undefined) noticedMs.push(noticed - downAt);
    const up = backUp(r, downAt);
    if (up !== undefined) reconnectAt.push(up);
    const each = r.channels.map((c) => restoredAt(r, c, downAt));
    each.forEach((t, i) => restoredChannel.set(`${r.id} ${r.channels[i]}`, t !== undefined));
    unrestored += each.filter((t) => t === undefined).length;
    if (each.every((t) => t !== undefined)) restoreMs.push(Math.max(0, Math.max(...(each as number[])) - backAt));
  }
  const sortedUp = [...reconnectAt].sort((a, b) => a - b);
  const pick = (q: number) => sortedUp[Math.min(sortedUp.length - 1, Math.max(0, Math.ceil(q * sortedUp.length) - 1))]!;

  // Deliveries owed, received, duplicated.
  const byChannel = new Map<string, PublishRecord[]>();
  for (const p of publishes) if (ok(p)) (byChannel.get(p.channel) ?? byChannel.set(p.channel, []).get(p.channel)!).push(p);
  let expected = 0;
  let received = 0;
  let duplicated = 0;
  const lostSamples: string[] = [];
  for (const r of clients) {
    for (const channel of r.channels) {
      const arrivals = r.arrivals.get(channel)!;
      for (const times of arrivals.values()) duplicated += times.length - 1;
      const starts = r.subscribed.get(channel)!;
      for (const p of byChannel.get(channel) ?? []) {
        if (!(p.answeredAt! < downAt || p.sentAt >= backAt)) continue;
        const start = starts.filter((s) => s <= p.sentAt).at(-1);
        if (start === undefined) continue;
        const end = r.left.find((t) => t > start) ?? Infinity;
        if (p.answeredAt! > end) continue;
        expected++;
        if (arrivals.has(p.n)) received++;
        else if (lostSamples.length < 5)
          lostSamples.push(
            `client ${r.id} ${channel}: event ${p.n} (sent at ${s(p.sentAt - t0)} s, ${s(p.sentAt - start)} s after the subscription was confirmed)`,
          );
      }
    }
  }

  // Presence: each restored client should see every restored member of its group, and itself as `me`.
  const group = new Map<string, string[]>();
  for (const r of clients)
    if (restoredChannel.get(`${r.id} ${r.channels[2]}`))
      (group.get(r.channels[2]!) ?? group.set(r.channels[2]!, []).get(r.channels[2]!)!).push(r.user);
  let checked = 0;
  const wrong: string[] = [];
  for (const v of views) {
    const r = clients[v.client]!;
    if (!restoredChannel.get(`${r.id} ${v.channel}`)) continue;
    checked++;
    const want = group.get(v.channel) ?? [];
    const missing = want.filter((u) => !v.ids.includes(u));
    if (v.count !== want.length || missing.length || v.me !== r.user)
      wrong.push(
        `client ${r.id} ${v.channel}: ${v.count} members (want ${want.length}${missing.length ? `, missing ${missing.slice(0, 3).join(', ')}` : ''}), me ${v.me ?? 'none'}`,
      );
  }

  const timeline = perSecond(clients, publishes, times);
  const refused = publishes.filter((p) => !ok(p));
  const inOutage = (p: PublishRecord) => p.sentAt >= downAt && p.sentAt < backAt;
  const spreadKnown = sortedUp.length > 0;
  const p10ToP90Ms = spreadKnown ? Math.round(pick(0.9) - pick(0.1)) : null;
  return {
    clients: clients.length,
    subscriptions: clients.length * 3,
    restart: { downAtS: s(downAt - t0), backAtS: s(backAt - t0) },
    noticed: durations(noticedMs),
    reconnect: durations(reconnectAt.map((t) => Math.max(0, t - backAt))),
    restore: { ...durations(restoreMs), unrestoredSubscriptions: unrestored },
    spread: {
      firstToLastMs: spreadKnown ? Math.round(sortedUp.at(-1)! - sortedUp[0]!) : null,
      p10ToP90Ms,
      peakPerSecond: Math.max(0, ...timeline.filter((x) => x.t >= Math.floor((backAt - t0) / 1000)).map((x) => x.reconnects)),
      lockStep: sortedUp.length >= 5 && p10ToP90Ms !== null && p10ToP90Ms < 250,
    },
    events: {
      published: publishes.length,
      accepted: publishes.filter(ok).length,
      refusedDuringOutage: refused.filter(inOutage).length,
      refusedOutside: refused.filter((p) => !inOutage(p)).length,
      expected,
      received,
      lost: expected - received,
      duplicated,
      lostSamples,
    },
    presence: { checked, wrong: wrong.length, samples: wrong.slice(0, 5) },
    timeline,
  };
  // `endAt` bounds the timeline only.
  void endAt;
}

function perSecond(clients: ClientRecord[], publishes: PublishRecord[], t: StormTimes): StormSecond[] {
  const seconds = Math.max(1, Math.ceil((t.endAt - t.t0) / 1000));
  const rows: StormSecond[] = Array.from({ length: seconds }, (_, i) => ({
    t: i,
    reconnects: 0,
    restored: 0,
    published: 0,
    refused: 0,
    delivered: 0,
    down: t.t0 + (i + 1) * 1000 > t.downAt && t.t0 + i * 1000 < t.backAt,
  }));
  const bump = (at: number, key: 'reconnects' | 'restored' | 'published' | 'refused' | 'delivered') => {
    const i = Math.floor((at - t.t0) / 1000);
    if (i >= 0 && i < rows.length) rows[i]![key]++;
  };
  for (const r of clients) {
    r.connected.forEach((at) => bump(at, 'reconnects'));
    for (const times of r.subscribed.values()) times.forEach((at) => bump(at, 'restored'));
    for (const m of r.arrivals.values()) for (const times of m.values()) times.forEach((at) => bump(at, 'delivered'));
  }
  for (const p of publishes) {
    bump(p.sentAt, 'published');
    if (!ok(p)) bump(p.sentAt, 'refused');
  }
  return rows;
}

const round = (x: number) => Math.round(x * 1000) / 1000;
const s = (ms: number) => Math.round(ms / 100) / 10;
