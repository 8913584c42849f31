/**
 * RFC 6455 framing for a server-to-client text message (FIN, opcode 1, unmasked). Fan-out frames a
 * message once and writes the same bytes to every subscriber's socket, instead of letting `ws` build a
 * header per send. Only valid while permessage-deflate is off (it is: see mount.ts).
 */
// implements: pusher/connection/9
export function textFrame(payload: Buffer): Buffer {
  const n = payload.length;
  let head: Buffer;
  if (n < 126) {
    head = Buffer.from([0x81, n]);
  } else if (n < 65536) {
    head = Buffer.from([0x81, 126, n >> 8, n & 0xff]);
  } else {
    head = Buffer.alloc(10);
    head[0] = 0x81;
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(n), 2);
  }
  return Buffer.concat([head, payload]);
}
