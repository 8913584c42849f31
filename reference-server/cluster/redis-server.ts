/**
 * A private `redis-server` (Debian's package, from PATH) on a free loopback port with its own temporary
 * directory, for `hub --cluster` and the tests. AOF with `appendfsync always`: a write Redis has
 * answered is on disk, so an acknowledged sync event survives a Redis restart.
 *
 * It runs under `sh`, which kills it when our end of its stdin closes: if this process dies, even by
 * SIGKILL, the pipe closes and redis-server goes with it, so nothing is left running.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HubproofError } from '../../spec/errors.ts';

export interface RedisServer {
  url: string;
  port: number;
  dir: string;
  pid(): number | undefined;
  /** Kills redis-server at once (SIGKILL: what a crash looks like); the directory is kept. */
  kill(): Promise<void>;
  /** Starts it again on the same port and directory (AOF replayed). */
  restart(): Promise<void>;
  /** Stops it and removes its directory. */
  stop(): Promise<void>;
}

export interface RedisServerOptions {
  /** Data directory; default a new temporary one, removed by stop(). */
  dir?: string;
  /** Default true: `appendonly yes`, `appendfsync always`. */
  aof?: boolean;
  /** How long to wait for PONG. */
  startTimeoutMs?: number;
}

/** The path of redis-server, or undefined when it is not installed. */
export function findRedisServer(): string | undefined {
  const r = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  const path = r.stdout.trim();
  return r.status === 0 && path !== '' ? path : undefined;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

// `exec` would replace sh; instead sh waits on stdin and kills redis-server when it closes.
const GUARD =
  'redis-server "$@" & pid=$!; trap \'kill -9 $pid 2>/dev/null; exit 0\' TERM INT; cat >/dev/null; kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null; exit 0';

/** True when a Redis on 127.0.0.1:`port` answers PING. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ host: '127.0.0.1', port });
    let buf = '';
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(500, () => done(false));
    sock.on('error', () => done(false));
    sock.on('connect', () => sock.write('PING\r\n'));
    sock.on('data', (d) => {
      buf += d.toString();
      if (buf.includes('\r\n')) done(buf.startsWith('+PONG'));
    });
  });
}

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  if (findRedisServer() === undefined) {
    throw new HubproofError('HUBPROOF_ERR_REDIS_MISSING', 'redis-server is not on PATH; install it: apt-get install redis-server');
  }
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'hubproof-redis-'));
  const port = await freePort();
  const aof = options.aof ?? true;
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--daemonize',
    'no',
    '--appendonly',
    aof ? 'yes' : 'no',
    '--appendfsync',
    'always',
    '--protected-mode',
    'yes',
    '--logfile',
    join(dir, 'redis.log'),
  ];
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const launch = async () => {
    const c = spawn('sh', ['-c', GUARD, 'redis-guard', ...args], { stdio: ['pipe', 'ignore', 'ignore'] });
    child = c;
    exited = new Promise((resolve) => c.once('exit', () => resolve()));
    const deadline = Date.now() + (options.startTimeoutMs ?? 10_000);
    while (!(await ping(port))) {
      if (c.exitCode !== null || Date.now() > deadline) {
        c.stdin?.end();
        throw new Error(`redis-server did not start on 127.0.0.1:${port} (see ${join(dir, 'redis.log')})`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const halt = async () => {
    if (child === undefined || child.exitCode !== null) return;
    child.stdin?.end(); // the guard kills redis-server and exits
    await exited;
    // The guard has reaped it; make sure the port is free before a restart binds it again.
    for (let i = 0; i < 100 && (await ping(port)); i++) await new Promise((r) => setTimeout(r, 20));
  };

  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    pid: () => child?.pid,
    kill: halt,
    restart: async () => {
      await halt();
      await launch();
    },
    stop: async () => {
      await halt();
      if (ownDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
