/**
 * Many WebSocket clients per VU (k6/websockets is event-loop based): each subscribes, records every marker
 * of the measured window against its scheduled time, and at the end of the hold counts what never came,
 * from the send plan (lib/plan.ts) rather than from a later event proving the gap.
 */
import { WebSocket } from 'k6/websockets';
import { setTimeout } from 'k6/timers';
import { channelAuth } from './pusher.ts';
import type { K6Target } from './target.ts';
import { readMarker, SeqBitmap, type Marker } from './marker.ts';
import * as m from './metrics.ts';
import { countFor, windowSeqs, type SendPlan } from './plan.ts';
import { LatencyRecorder, Tally } from './recorder.ts';
import { VuHealth, type HealthOptions } from './vu-health.ts';

export interface SocketPlan {
  url: string;
  /** Pusher channel to subscribe, or undefined for a dashboard stream (no subscribe frame). */
  channel?: string;
  /** Marker streams this socket expects (every stream when undefined); others count as unexpected. */
  streams?: number[];
}

export interface HoldOptions {
  holdMs: number;
  /** The publishers' schedule; undefined = the caller accounts deliveries itself (onOther). */
  plan?: SendPlan;
  /** Latency at or over this (ms) counts toward the p99 exit threshold. */
  p99Ms?: number;
  health: Omit<HealthOptions, 'onSecond'>;
  /** Frames that are not load markers (agents: sync events), once the socket is subscribed. */
  onOther?: (text: string, socketIndex: number, now: number) => void;
  /** Called about once a second and at the end, to add the caller's own counts to their Counters. */
  onFlush?: () => void;
  /** Called once when the hold ends, after the sockets closed. */
  onEnd?: () => void;
}

export function holdSockets(t: K6Target, plans: SocketPlan[], o: HoldOptions): void {
  const startedMs = Date.now();
  const latency = new LatencyRecorder(m.propagation, o.p99Ms);
  const dup = new Tally(m.duplicated);
  const ooo = new Tally(m.outOfOrder);
  const unexpected = new Tally(m.unexpected);
  const flush = (): void => {
    latency.flush();
    dup.flush();
    ooo.flush();
    unexpected.flush();
    o.onFlush?.();
  };
  const health = new VuHealth({ ...o.health, onSecond: flush });
  const plan = o.plan;
  const windows = plan ? Array.from({ length: plan.streams }, (_, s) => windowSeqs(plan, s)) : [];
  const marker: Marker = { stream: 0, seq: 0, scheduledUs: 0, after: 0 };
  const closers: Array<() => void> = [];

  plans.forEach((p, socketIndex) => {
    const streams = p.streams ?? windows.map((_, s) => s);
    const trackers = new Map<number, SeqBitmap>();
    if (plan) for (const s of streams) m.expected.add(Math.max(0, windows[s]![1] - windows[s]![0] + 1));
    let ready = !p.channel;
    let failed = false;
    let closing = false;
    let accounted = false;
    const account = (): void => {
      if (accounted || !plan) return;
      accounted = true;
      let got = 0;
      let want = 0;
      for (const s of streams) {
        const [from, to] = windows[s]!;
        want += Math.max(0, to - from + 1);
        got += trackers.get(s)?.countIn(from, to) ?? 0;
      }
      m.received.add(got);
      m.lost.add(want - got);
    };
    const ws = new WebSocket(p.url);
    ws.onopen = () => {
      if (!p.channel) ready = true;
    };
    ws.onerror = () => {
      if (ready || failed) return;
      failed = true;
      m.connectFailures.add(1);
    };
    ws.onclose = () => {
      if (!ready && !failed) {
        failed = true;
        m.connectFailures.add(1);
      } else if (ready && !closing) m.disconnects.add(1);
      account();
    };
    ws.onmessage = (ev) => {
      const text = typeof ev?.data === 'string' ? ev.data : '';
      // A dashboard also gets status changes (idle/offline) that repeat the last tool name: only a
      // tool_execute update is an event the publishers sent.
      if (ready && plan && (p.channel || text.indexOf('tool_execute') >= 0) && readMarker(text, marker)) {
        const now = Date.now();
        const sentMs = marker.scheduledUs / 1000;
        if (sentMs < startedMs) return; // an earlier run's event, not ours
        if (marker.stream >= plan.streams || streams.indexOf(marker.stream) < 0) {
          unexpected.n++;
          return;
        }
        let tr = trackers.get(marker.stream);
        if (!tr) trackers.set(marker.stream, (tr = new SeqBitmap(countFor(plan.total, plan.streams, marker.stream) + 1)));
        const arrival = tr.record(marker.seq, marker.after);
        // Indexes, not `const [from, to] =`: array destructuring costs a k6 VU (goja) 3 µs a frame.
        const w = windows[marker.stream]!;
        if (marker.seq < w[0] || marker.seq > w[1]) return; // warm-up: tracked for order only
        health.windowFrames++;
        if (arrival === 'duplicate') {
          dup.n++;
          return;
        }
        if (arrival === 'out-of-order') ooo.n++;
        latency.add(now - sentMs);
        return;
      }
      if (text.indexOf('pusher:connection_established') >= 0 && p.channel) {
        const outer = JSON.parse(text) as { data: string };
        const socketId = (JSON.parse(outer.data) as { socket_id: string }).socket_id;
        const auth = p.channel.startsWith('private-') ? channelAuth(t, socketId, p.channel) : undefined;
        ws.send(JSON.stringify({ event: 'pusher:subscribe', data: auth ? { channel: p.channel, auth } : { channel: p.channel } }));
      } else if (text.indexOf('pusher_internal:subscription_succeeded') >= 0) {
        ready = true;
      } else if (text.indexOf('"pusher:ping"') >= 0) {
        ws.send(JSON.stringify({ event: 'pusher:pong', data: {} }));
      } else if (o.onOther && ready) {
        o.onOther(text, socketIndex, Date.now());
      }
    };
    closers.push(() => {
      closing = true;
      account();
      ws.close();
    });
  });

  health.start();
  setTimeout(() => {
    for (const close of closers) close();
    health.finish();
    flush();
    latency.finish();
    o.onEnd?.();
    m.lost.add(0);
  }, o.holdMs);
}
