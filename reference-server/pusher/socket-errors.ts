/**
 * Errors a frame handler raises. The dispatcher turns them into `pusher:error {code, message}`; the
 * connection stays open unless `close` is set (the client-event rate limit ends the connection).
 */
import { CloseCode } from '../../spec/protocol/close-codes.ts';

export class FrameError extends Error {
  override readonly name = 'FrameError';
  constructor(
    /** The Pusher error code sent in `pusher:error` (and used as the close code when `close`). */
    readonly code: number,
    message: string,
    readonly close = false,
  ) {
    super(message);
  }
}

/** Bad input that must not end the connection. */
// implements: pusher/bad-input/7, pusher/close-codes/4
export const invalidMessage = (message: string): FrameError => new FrameError(CloseCode.INVALID_MESSAGE, message);
/** A failed channel authorization or sign-in. */
// implements: pusher/auth/9
export const unauthorized = (message: string): FrameError => new FrameError(CloseCode.UNAUTHORIZED, message);

/** `pusher:error` carries its data as an object (not double-encoded), as the public protocol page shows. */
// implements: pusher/close-codes/5, pusher/close-codes/6
export function errorFrame(code: number, message: string): string {
  return JSON.stringify({ event: 'pusher:error', data: { code, message } });
}

/** RFC 6455 limits a close reason to 123 bytes of UTF-8; cut on a character boundary. */
export function closeReason(reason: string): string {
  if (Buffer.byteLength(reason) <= 123) return reason;
  let out = '';
  let bytes = 0;
  for (const ch of reason) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > 120) break;
    out += ch;
    bytes += n;
  }
  return `${out}…`; // at most 120 + 3 bytes
}
