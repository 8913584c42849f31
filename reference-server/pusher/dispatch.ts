/**
 * Routes one incoming WebSocket message to its handler. Every kind of bad input (binary, oversize,
 * invalid UTF-8, not JSON, not an object, no event, unknown `pusher:` event, bad channel) becomes a
 * `pusher:error` and the connection with its other subscriptions keeps working. Nothing thrown here
 * escapes into the ws event emitter.
 */
import { isUtf8 } from 'node:buffer';
import { CloseCode } from '../../spec/protocol/close-codes.ts';
import { CLIENT_EVENT_PREFIX } from '../../spec/protocol/channels.ts';
import { decodeFrame, encodeFrame, FrameDecodeError, frameData, PusherEvent, type Frame } from '../../spec/protocol/frames.ts';
import { handleClientEvent } from './client-events.ts';
import type { PusherConnection } from './connection.ts';
import type { PusherHub } from './hub-state.ts';
import { handleSignin } from './signin.ts';
import { FrameError, invalidMessage } from './socket-errors.ts';
import { handleSubscribe, handleUnsubscribe } from './subscribe.ts';

export const PONG_FRAME = encodeFrame(PusherEvent.PONG, {});

export function handleMessage(hub: PusherHub, conn: PusherConnection, raw: Buffer, isBinary: boolean): void {
  conn.touch(hub.ctx.now());
  try {
    route(hub, conn, parse(hub, raw, isBinary));
  } catch (err) {
    if (err instanceof FrameError) {
      conn.sendError(err.code, err.message);
      if (err.close) conn.close(err.code, err.message);
      return;
    }
    // A bug in a handler must not take the hub down or leave the client guessing.
    hub.ctx.log(`internal error handling a frame from ${conn.socketId}: ${(err as Error).stack ?? String(err)}`);
    conn.sendError(CloseCode.INVALID_MESSAGE, `internal error handling the frame: ${(err as Error).message}`);
  }
}

// implements: pusher/bad-input/1, pusher/bad-input/2, pusher/bad-input/5
function parse(hub: PusherHub, raw: Buffer, isBinary: boolean): Frame {
  if (isBinary) throw invalidMessage('binary frames are not part of the Pusher protocol; send JSON text frames');
  const max = hub.config.limits.maxFrameBytes;
  if (raw.length > max) throw invalidMessage(`frame of ${raw.length} bytes exceeds the ${max}-byte limit`);
  // The server skips ws's UTF-8 check (which would close with 1007) so this can answer instead.
  if (!isUtf8(raw)) throw invalidMessage('frame is not valid UTF-8');
  try {
    return decodeFrame(raw.toString('utf8'));
  } catch (err) {
    if (err instanceof FrameDecodeError) throw invalidMessage(`${err.message}; expected {"event": "...", "data": ...}`);
    throw err;
  }
}

function route(hub: PusherHub, conn: PusherConnection, frame: Frame): void {
  switch (frame.event) {
    // implements: pusher/heartbeat/1
    case PusherEvent.PING:
      conn.send(PONG_FRAME);
      return;
    // implements: pusher/heartbeat/5
    case PusherEvent.PONG:
      return; // touch() above already recorded the activity
    case PusherEvent.SUBSCRIBE:
      handleSubscribe(hub, conn, frameData(frame));
      return;
    case PusherEvent.UNSUBSCRIBE:
      handleUnsubscribe(hub, conn, frameData(frame));
      return;
    case PusherEvent.SIGNIN:
      handleSignin(hub, conn, frameData(frame));
      return;
  }
  if (frame.event.startsWith(CLIENT_EVENT_PREFIX)) {
    handleClientEvent(hub, conn, frame);
    return;
  }
  const shown = JSON.stringify(frame.event.slice(0, 60));
  // implements: pusher/bad-input/3
  if (frame.event.startsWith('pusher:') || frame.event.startsWith('pusher_internal:')) {
    throw invalidMessage(`unknown event ${shown}`);
  }
  // implements: pusher/client-events/5
  throw invalidMessage(`unknown event ${shown}; events sent by clients must start with "${CLIENT_EVENT_PREFIX}"`);
}
