/**
 * Activity timeout: a client silent for `activityTimeoutS` gets a `pusher:ping`; if nothing comes back
 * within `pongTimeoutMs` the hub closes it with 4201. One sweeper for the whole hub instead of a timer
 * per connection, so ten thousand idle sockets cost one interval.
 * Source: https://pusher.com/docs/channels/library_auth_reference/pusher-websockets-protocol/#ping-and-pong-messages
 */
import { CloseCode } from '../../spec/protocol/close-codes.ts';
import { encodeFrame, PusherEvent } from '../../spec/protocol/frames.ts';
import type { PusherHub } from './hub-state.ts';

export const PING_FRAME = encodeFrame(PusherEvent.PING, {});

/** The sweep runs four times per shortest bound, between 25 ms and 1 s, so a bound is overshot by ≤ 25 %. */
export function sweepIntervalMs(activityTimeoutMs: number, pongTimeoutMs: number): number {
  return Math.min(1000, Math.max(25, Math.floor(Math.min(activityTimeoutMs, pongTimeoutMs) / 4)));
}

/** Starts the sweeper; returns its stop function. */
// implements: pusher/heartbeat/3
export function startHeartbeat(hub: PusherHub): () => void {
  const activityMs = hub.config.timings.activityTimeoutS * 1000;
  const pongMs = hub.config.timings.pongTimeoutMs;
  const timer = setInterval(
    () => {
      const now = hub.ctx.now();
      for (const conn of hub.connections.values()) {
        if (conn.closing) continue;
        if (conn.pingSentAt !== 0) {
          // implements: pusher/heartbeat/4, pusher/presence/7, pusher/close-codes/3
          if (now - conn.pingSentAt >= pongMs) {
            hub.ctx.log(`${conn.socketId} did not answer pusher:ping within ${pongMs} ms`);
            conn.close(CloseCode.PONG_NOT_RECEIVED, 'Pong reply not received');
          }
        } else if (now - conn.lastSeen >= activityMs) {
          conn.pingSentAt = now;
          conn.send(PING_FRAME);
        }
      }
    },
    sweepIntervalMs(activityMs, pongMs),
  );
  timer.unref();
  return () => clearInterval(timer);
}
