/**
 * The pusher profile: Pusher Channels protocol 7 over `ws` at `/app/{key}` plus the signed HTTP API at
 * `/apps/{id}/…`. Returns the Broadcaster the sync profile publishes through.
 */
import { WebSocketServer } from 'ws';
import { CloseCode } from '../../spec/protocol/close-codes.ts';
import type { Broadcaster, HubContext } from '../context.ts';
import { claimPusherUpgrades } from './handshake.ts';
import { startHeartbeat } from './heartbeat.ts';
import { createPusherHub, publishEvent } from './hub-state.ts';
import { mountEventRoutes } from './http-events.ts';
import { mountQueryRoutes } from './http-queries.ts';
import { replicatePusher } from './replicated.ts';

/** How long shutdown waits for clients to answer the 4200 close before destroying their sockets. */
const SHUTDOWN_GRACE_MS = 1_000;

export function mountPusher(ctx: HubContext): Broadcaster {
  const hub = createPusherHub(ctx);
  if (ctx.cluster) hub.cluster = replicatePusher(hub, ctx.cluster);
  const { limits } = ctx.config;
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    // implements: pusher/bad-input/5
    // Frames above maxFrameBytes are answered with pusher:error 4302 (connection kept); only frames far
    // beyond it are cut off by ws itself (close 1009), which bounds the memory one frame can take.
    maxPayload: Math.max(limits.maxFrameBytes * 16, 1024 * 1024),
    // UTF-8 is checked by the dispatcher so bad bytes get a pusher:error instead of a 1007 close.
    skipUTF8Validation: true,
  });
  let closing = false;
  ctx.upgrades.push(claimPusherUpgrades(hub, wss, () => closing));
  const stopHeartbeat = startHeartbeat(hub);
  mountEventRoutes(hub);
  mountQueryRoutes(hub);

  // implements: pusher/shutdown/1, pusher/close-codes/3
  // implements: pusher/shutdown/2 — publishing writes to the sockets synchronously, so every accepted event is queued ahead of the close frame
  ctx.onClose.push(async () => {
    closing = true;
    stopHeartbeat();
    hub.webhooks.close();
    const conns = [...hub.connections.values()];
    await Promise.all(
      conns.map(
        (conn) =>
          new Promise<void>((resolve) => {
            const ws = conn.ws!; // hub.connections holds this node's own connections only
            if (ws.readyState === ws.CLOSED) return resolve();
            const timer = setTimeout(() => {
              ws.terminate();
              resolve();
            }, SHUTDOWN_GRACE_MS);
            ws.once('close', () => {
              clearTimeout(timer);
              resolve();
            });
            conn.close(CloseCode.GENERIC_RECONNECT, 'hub shutting down');
          }),
      ),
    );
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  });

  return {
    publish: (channel, event, data, exceptSocketId) =>
      void publishEvent(hub, channel, event, data, exceptSocketId === undefined ? undefined : hub.connections.get(exceptSocketId)),
    subscriberCount: (channel) => hub.channels.count(channel),
  };
}
