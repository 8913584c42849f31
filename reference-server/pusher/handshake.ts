/**
 * The WebSocket handshake at `/app/{key}?protocol=7&client=…&version=…`: unknown key → 4001, missing
 * protocol → 4008, any protocol but 7 → 4007 (each sent as `pusher:error` first, then the close).
 * A good handshake gets `pusher:connection_established` with a fresh socket id and the activity timeout.
 * Source: https://pusher.com/docs/channels/library_auth_reference/pusher-websockets-protocol/#connection-events
 */
import type { IncomingMessage } from 'node:http';
import type { WebSocket, WebSocketServer } from 'ws';
import { CloseCode } from '../../spec/protocol/close-codes.ts';
import { encodeFrame, PROTOCOL_VERSION, PusherEvent } from '../../spec/protocol/frames.ts';
import type { Duplex } from 'node:stream';
import type { UpgradeHandler } from '../context.ts';
import { newSocketId, PusherConnection } from './connection.ts';
import { handleMessage } from './dispatch.ts';
import type { PusherHub } from './hub-state.ts';
import { closeReason, errorFrame } from './socket-errors.ts';
import { dropConnection } from './subscribe.ts';

const APP_PATH = /^\/app\/([^/]+)$/;

export type HandshakeResult = { ok: true } | { ok: false; code: number; message: string };

/** Checks the upgrade URL's key and protocol version. */
// implements: pusher/connection/6, pusher/connection/7, pusher/connection/8, pusher/close-codes/1
export function checkHandshake(hub: PusherHub, key: string, query: URLSearchParams): HandshakeResult {
  if (key !== hub.config.app.key)
    return { ok: false, code: CloseCode.APP_NOT_FOUND, message: `Application does not exist: no app with key "${key.slice(0, 60)}"` };
  const protocol = query.get('protocol');
  if (protocol === null || protocol === '') {
    return { ok: false, code: CloseCode.NO_PROTOCOL, message: `No protocol version supplied; connect with ?protocol=${PROTOCOL_VERSION}` };
  }
  if (protocol !== String(PROTOCOL_VERSION)) {
    return {
      ok: false,
      code: CloseCode.UNSUPPORTED_PROTOCOL,
      message: `Unsupported protocol version "${protocol.slice(0, 20)}"; this hub speaks ${PROTOCOL_VERSION}`,
    };
  }
  return { ok: true };
}

/** Claims upgrades for `/app/{key}`; `isClosing` turns new connections away during shutdown. */
// implements: pusher/connection/1
export function claimPusherUpgrades(hub: PusherHub, wss: WebSocketServer, isClosing: () => boolean): UpgradeHandler {
  return (req, socket, head) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const match = APP_PATH.exec(q === -1 ? url : url.slice(0, q));
    if (match === null) return false;
    wss.handleUpgrade(req, socket, head, (ws) => {
      let key: string;
      try {
        key = decodeURIComponent(match[1]!);
      } catch {
        key = match[1]!;
      }
      try {
        accept(hub, ws, socket, req, key, new URLSearchParams(q === -1 ? '' : url.slice(q + 1)), isClosing());
      } catch (err) {
        // Never let one bad handshake throw out of the ws callback (that would end the process).
        hub.ctx.log(`handshake failed: ${(err as Error).stack ?? String(err)}`);
        ws.terminate();
      }
    });
    return true;
  };
}

function accept(
  hub: PusherHub,
  ws: WebSocket,
  socket: Duplex,
  req: IncomingMessage,
  key: string,
  query: URLSearchParams,
  closing: boolean,
): void {
  ws.on('error', (err) => hub.ctx.log(`websocket error: ${err.message}`));
  const check: HandshakeResult = closing
    ? { ok: false, code: CloseCode.GENERIC_RECONNECT, message: 'hub shutting down' }
    : checkHandshake(hub, key, query);
  if (!check.ok) {
    hub.ctx.log(`refused ${req.socket.remoteAddress ?? '?'}: ${check.code} ${check.message}`);
    ws.send(errorFrame(check.code, check.message));
    ws.close(check.code, closeReason(check.message));
    setTimeout(() => ws.terminate(), 1000).unref();
    return;
  }

  // implements: pusher/connection/4
  const socketId = newSocketId((id) => hub.connections.has(id));
  const conn = new PusherConnection(socketId, ws, socket, hub.ctx.now());
  hub.connections.set(socketId, conn);
  ws.on('message', (raw: Buffer, isBinary) => handleMessage(hub, conn, raw, isBinary));
  // Control frames count as activity too: a client using WebSocket pings is alive.
  // implements: pusher/heartbeat/2 — ws answers each ping control frame with a pong by itself
  ws.on('ping', () => conn.touch(hub.ctx.now()));
  // implements: pusher/heartbeat/5
  ws.on('pong', () => conn.touch(hub.ctx.now()));
  // implements: pusher/presence/6, pusher/presence/7 — a TCP connection that ends without a close frame ends here too
  ws.on('close', (code) => {
    try {
      if (hub.cluster) hub.cluster.drop(conn);
      else dropConnection(hub, conn);
    } catch (err) {
      hub.ctx.log(`cleanup of ${socketId} failed: ${(err as Error).stack ?? String(err)}`);
    }
    hub.ctx.log(`${socketId} closed (${code})`);
  });

  // implements: pusher/connection/2, pusher/connection/3, pusher/connection/5
  // Announced in whole seconds (the schema's integer); sub-second test timings announce 1.
  const activityTimeout = Math.max(1, Math.ceil(hub.config.timings.activityTimeoutS));
  conn.send(encodeFrame(PusherEvent.CONNECTION_ESTABLISHED, JSON.stringify({ socket_id: socketId, activity_timeout: activityTimeout })));
  hub.ctx.log(`${socketId} connected from ${req.socket.remoteAddress ?? '?'}`);
}
