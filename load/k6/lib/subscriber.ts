/**
 * Many WebSocket clients per VU (k6/websockets is event-loop based): each subscribes, then records every
 * marker it receives against its scheduled time, and closes after `holdMs`.
 */
import { WebSocket } from 'k6/websockets';
import { setTimeout } from 'k6/timers';
import { channelAuth } from './pusher.ts';
import type { K6Target } from './target.ts';
import { readMarker, SeqBitmap } from './marker.ts';
import * as m from './metrics.ts';

export interface SocketPlan {
  url: string;
  /** Pusher channel to subscribe, or undefined for a dashboard stream (no subscribe frame). */
  channel?: string;
  /** Marker streams this socket expects; others are ignored. */
  streams?: number[];
}

export interface HoldOptions {
  holdMs: number;
  /** Largest sequence number a stream can reach (sizes the bitmaps). */
  maxSeq: number;
  /** Frames for which this returns false skip marker accounting and go to onOther (default: all are markers). */
  isMarkerFrame?: (text: string) => boolean;
  onOther?: (text: string, socketIndex: number) => void;
}

export function holdSockets(t: K6Target, plans: SocketPlan[], o: HoldOptions): void {
  const { holdMs, maxSeq, onOther } = o;
  plans.forEach((plan, socketIndex) => {
    const ws = new WebSocket(plan.url);
    const trackers = new Map<number, SeqBitmap>();
    let ready = !plan.channel;
    ws.onopen = () => undefined;
    ws.onerror = () => m.connectFailures.add(1);
    ws.onmessage = (ev) => {
      const now = Date.now();
      const text = typeof ev?.data === 'string' ? ev.data : '';
      if (ready && (!o.isMarkerFrame || o.isMarkerFrame(text))) {
        const mk = readMarker(text);
        if (mk) {
          if (plan.streams && !plan.streams.includes(mk.stream)) return;
          let tr = trackers.get(mk.stream);
          if (!tr) trackers.set(mk.stream, (tr = new SeqBitmap(maxSeq)));
          const arrival = tr.record(mk.seq, mk.after);
          if (arrival === 'duplicate') return void m.duplicated.add(1);
          if (arrival === 'out-of-order') m.outOfOrder.add(1);
          m.delivered.add(1);
          m.propagation.add(Math.max(0, now - mk.scheduledUs / 1000));
          return;
        }
      }
      if (text.indexOf('pusher:connection_established') >= 0 && plan.channel) {
        const outer = JSON.parse(text) as { data: string };
        const socketId = (JSON.parse(outer.data) as { socket_id: string }).socket_id;
        const auth = plan.channel.startsWith('private-') ? channelAuth(t, socketId, plan.channel) : undefined;
        ws.send(JSON.stringify({ event: 'pusher:subscribe', data: auth ? { channel: plan.channel, auth } : { channel: plan.channel } }));
      } else if (text.indexOf('pusher_internal:subscription_succeeded') >= 0) {
        ready = true;
      } else if (text.indexOf('"pusher:ping"') >= 0) {
        ws.send(JSON.stringify({ event: 'pusher:pong', data: {} }));
      } else if (onOther && ready) {
        onOther(text, socketIndex);
      }
    };
    setTimeout(() => {
      for (const tr of trackers.values()) {
        const g = tr.gaps(1);
        m.gaps.add(g);
        for (let i = 0; i < tr.unique; i++) m.delivery.add(true);
        for (let i = 0; i < g; i++) m.delivery.add(false);
      }
      ws.close();
    }, holdMs);
  });
}
