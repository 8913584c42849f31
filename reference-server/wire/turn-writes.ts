/**
 * Holds a socket's writes until the end of the event-loop turn, so the frames several events put on one
 * connection in the same turn leave in one TCP write instead of one each (as uWebSockets-based hubs cork
 * per loop iteration). Under load more events land in a turn and the batches grow by themselves; one
 * event alone waits only for the rest of the turn (setImmediate). Anything else written to a held socket
 * in the meantime (`ws`'s own frames: replies, pings, close) is queued behind it in order.
 */
import type { Duplex } from 'node:stream';

const held = new Set<Duplex>();
let flushScheduled = false;

function flush(): void {
  flushScheduled = false;
  for (const socket of held) socket.uncork();
  held.clear();
}

/** Writes `bytes` to `socket` at the end of this turn, together with its other writes of the turn. */
export function writeThisTurn(socket: Duplex, bytes: Buffer): void {
  if (!held.has(socket)) {
    socket.cork();
    held.add(socket);
  }
  socket.write(bytes);
  if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flush);
  }
}
