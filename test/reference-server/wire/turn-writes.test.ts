/**
 * The hub's per-turn write coalescing on real loopback sockets: what one turn writes to a socket
 * reaches the kernel in one write, after the turn, in order (the hub's own replies written in between
 * included), and every socket written to in the turn is flushed.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { writeThisTurn } from '../../../reference-server/wire/turn-writes.ts';

let server: Server | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

interface Pair {
  /** The hub's side. */
  hub: Socket;
  /** Every byte the client side received, as text. */
  received: () => string;
  /** The hub side's calls into the kernel: how many chunks each carried. */
  kernelWrites: number[];
}

/** `n` loopback connections; the hub side of each counts its writes to the kernel (`_write` / `_writev`). */
async function pairs(n: number): Promise<Pair[]> {
  const accepted: Socket[] = [];
  server = createServer((s) => accepted.push(s));
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  const clients = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<Socket>((r) => {
          const c = connect(port, '127.0.0.1', () => r(c));
        }),
    ),
  );
  while (accepted.length < n) await new Promise((r) => setTimeout(r, 5));
  sockets.push(...clients, ...accepted);
  return clients.map((client, i) => {
    // Accepted sockets come in connect order on loopback; match them by the client's local port to be sure.
    const hub = accepted.find((a) => a.remotePort === client.localPort) ?? accepted[i]!;
    let text = '';
    client.on('data', (d: Buffer) => (text += d.toString('utf8')));
    const kernelWrites: number[] = [];
    const write = hub._write.bind(hub);
    const writev = hub._writev!.bind(hub);
    hub._write = (chunk, encoding, cb) => {
      kernelWrites.push(1);
      write(chunk, encoding, cb);
    };
    hub._writev = (chunks, cb) => {
      kernelWrites.push(chunks.length);
      writev(chunks, cb);
    };
    return { hub, received: () => text, kernelWrites };
  });
}

const until = async (cond: () => boolean, ms = 5000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('writeThisTurn', () => {
  it('hands the kernel nothing during the turn, then everything of the turn in one write, in order', async () => {
    const [p] = await pairs(1);
    writeThisTurn(p!.hub, Buffer.from('a'));
    writeThisTurn(p!.hub, Buffer.from('b'));
    p!.hub.write('reply;'); // a frame `ws` writes itself in the same turn
    writeThisTurn(p!.hub, Buffer.from('c'));
    expect(p!.kernelWrites).toEqual([]);
    await until(() => p!.received() === 'abreply;c');
    expect(p!.kernelWrites).toEqual([4]);
  });

  it('flushes every socket written to in the turn, and a later turn starts afresh', async () => {
    const ps = await pairs(3);
    for (const [i, p] of ps.entries()) for (const part of ['x', String(i), 'y']) writeThisTurn(p.hub, Buffer.from(part));
    await until(() => ps.every((p, i) => p.received() === `x${i}y`));
    for (const p of ps) expect(p.kernelWrites).toEqual([3]);
    writeThisTurn(ps[0]!.hub, Buffer.from('z'));
    await until(() => ps[0]!.received() === 'x0yz');
    expect(ps[0]!.kernelWrites).toEqual([3, 1]);
  });

  it('leaves a socket destroyed during the turn alone and still flushes the others', async () => {
    const [a, b] = await pairs(2);
    writeThisTurn(a!.hub, Buffer.from('lost'));
    writeThisTurn(b!.hub, Buffer.from('kept'));
    a!.hub.destroy();
    await until(() => b!.received() === 'kept');
    expect(a!.received()).toBe('');
  });
});
