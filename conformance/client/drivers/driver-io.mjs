// @ts-check
/**
 * The driver side of the client driver protocol (docs/client-driver-protocol.md): one JSON object per
 * line each way. Commands come on stdin; observations go to stdout. Shared by the shipped drivers; a
 * driver in another language needs nothing of it, only the protocol.
 */
import { createInterface } from 'node:readline';

/** The driver protocol revision these drivers speak. */
export const DRIVER_PROTOCOL = 1;

/**
 * Writes one observation line.
 * @param {Record<string, unknown>} observation
 */
export function emit(observation) {
  process.stdout.write(`${JSON.stringify(observation, (_k, v) => (v === undefined ? null : v))}\n`);
}

/**
 * Says hello, then answers every command with the handler of its `cmd`: a handler's return (or resolved)
 * value is ignored, a throw becomes `ack` with `error`. Ends the process on `exit` or when stdin closes.
 * @param {{ driver: string, library: string, version: string }} hello
 * @param {Record<string, (cmd: any) => unknown>} handlers
 * @param {() => void} shutdown called before the process exits
 */
export function serveDriver(hello, handlers, shutdown) {
  emit({ type: 'hello', protocol: DRIVER_PROTOCOL, ...hello });
  const lines = createInterface({ input: process.stdin });
  /** @param {number} [id] the `exit` command's, acknowledged once every client is disconnected */
  const exit = (id) => {
    try {
      shutdown();
    } finally {
      if (id !== undefined) emit({ type: 'ack', id });
      // Let the last lines drain, then leave whatever sockets and timers the library keeps.
      process.stdout.write('', () => process.exit(0));
    }
  };
  /** @param {string} line */
  const handle = async (line) => {
    if (line.trim() === '') return;
    /** @type {any} */
    let cmd;
    try {
      cmd = JSON.parse(line);
    } catch {
      emit({ type: 'error', message: `driver: a command line is not JSON: ${line.slice(0, 200)}` });
      return;
    }
    const id = typeof cmd?.id === 'number' ? cmd.id : -1;
    if (cmd?.cmd === 'exit') return exit(id);
    const handler = handlers[cmd?.cmd];
    if (!handler) {
      emit({ type: 'ack', id, error: `driver: unknown command ${JSON.stringify(cmd?.cmd)}` });
      return;
    }
    try {
      await handler(cmd);
      emit({ type: 'ack', id });
    } catch (err) {
      emit({ type: 'ack', id, error: String(/** @type {Error} */ (err)?.message ?? err) || 'refused' });
    }
  };
  // One command at a time, in order, as hubproof sent them.
  let queue = Promise.resolve();
  lines.on('line', (line) => {
    queue = queue.then(() => handle(line));
  });
  lines.on('close', () => {
    queue = queue.then(() => exit());
  });
  // A library that throws from a socket callback would kill the process silently; say what it was first.
  process.on('uncaughtException', (err) => {
    emit({ type: 'error', message: `uncaught exception in the client library: ${err?.stack ?? err}` });
    process.exit(70);
  });
}

/**
 * `--client-path DIR` (the folder of an installed copy of the library, or a folder whose node_modules
 * holds one) and any other `--name value` pairs.
 * @param {string[]} argv
 * @returns {Record<string, string>}
 */
export function driverArgs(argv) {
  /** @type {Record<string, string>} */
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (!a.startsWith('--')) throw new Error(`driver: unexpected argument ${a}`);
    const [name, inline] = a.slice(2).split('=', 2);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`driver: --${name} needs a value`);
    out[name ?? ''] = value;
  }
  return out;
}

/**
 * Runs `load` (finding and loading the library); on failure writes one `driver: …` line to stderr and
 * exits 2, so hubproof's error says what to fix instead of a stack.
 * @template T
 * @param {() => T | Promise<T>} load
 * @returns {Promise<T>}
 */
export async function orExit(load) {
  try {
    return await load();
  } catch (err) {
    process.stderr.write(`driver: ${/** @type {Error} */ (err)?.message ?? err}\n`);
    process.exit(2);
  }
}
