/**
 * Did the hub really go down? A restart command may return before the hub acts on it (`kill -HUP <pid>`
 * returns at once; the hub restarts a moment later), and a probe right after it would find the old hub
 * still answering. A witness connection opened before the command tells: the restart has happened once
 * the hub has closed it (or, for a hub that keeps connections across a restart, once `settleMs` passed).
 */
import WebSocket from 'ws';
import type { TargetFile } from '../spec/target.ts';

/** Waits at most this long for the witness to open; a hub that does not answer then has no witness. */
const OPEN_WITHIN_MS = 2000;

export interface RestartWitness {
  /** Resolves when the hub has closed the witness, or after `settleMs` (then closes it itself). */
  gone(settleMs: number): Promise<void>;
}

const witnessUrl = (target: TargetFile): string =>
  `${target.nodes[0]!.ws.replace(/\/$/, '')}/app/${encodeURIComponent(target.app.key)}?protocol=7&client=hubproof-restart-witness`;

/** Opens a WebSocket to the first node; resolves with no witness when it cannot be opened. */
export async function openRestartWitness(target: TargetFile): Promise<RestartWitness> {
  const ws = new WebSocket(witnessUrl(target), { handshakeTimeout: OPEN_WITHIN_MS });
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  ws.on('error', () => undefined);
  const opened = await Promise.race([
    new Promise<boolean>((resolve) => ws.once('open', () => resolve(true))),
    closed.then(() => false),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), OPEN_WITHIN_MS).unref()),
  ]);
  if (!opened) {
    ws.terminate();
    return { gone: () => Promise.resolve() };
  }
  return {
    async gone(settleMs) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, settleMs)))]);
      clearTimeout(timer);
      ws.terminate();
    },
  };
}

/** One Pusher handshake to the first node: true once `pusher:connection_established` arrives. */
function handshakes(target: TargetFile): Promise<boolean> {
  return new Promise((resolve) => {
    const ws = new WebSocket(witnessUrl(target), { handshakeTimeout: OPEN_WITHIN_MS });
    const done = (ok: boolean) => (clearTimeout(timer), ws.terminate(), resolve(ok));
    const timer = setTimeout(() => done(false), OPEN_WITHIN_MS);
    ws.on('error', () => done(false));
    ws.once('close', () => done(false));
    ws.once('message', (data: Buffer) => done(/"pusher:connection_established"/.test(data.toString('utf8'))));
  });
}

/**
 * Waits until a new connection is welcomed again (`pusher:connection_established`), not just accepted:
 * a hub still shutting down may accept TCP and close at once. Resolves false after `withinMs`.
 */
export async function untilWelcomed(target: TargetFile, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (await handshakes(target)) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}
