/**
 * Main-thread side of the subscriber workers: spreads connections over worker threads, waits until they
 * are subscribed, merges their per-second ticks and final accounting.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { HubproofError } from '../../spec/errors.ts';
import { createHistogram, mergeEncoded, type Histogram } from '../measure/histogram.ts';
import type { ConnSpec, FinalMsg, FrameMsg, FromWorker, TickMsg, ToWorker, WorkerInit } from './worker-protocol.ts';

const TSX_API = import.meta.resolve('tsx/esm/api');
const WORKER_URL = new URL('./subscriber-worker.ts', import.meta.url).href;

export interface PoolOptions {
  app: { key: string; secret: string };
  conns: ConnSpec[];
  mode: 'marker' | 'frames';
  /** Worker threads; 0 = one per core, at most 4 (default 0). Never more than there are connections. */
  workers?: number;
  measureFromUs?: number;
  /** Connections opened per second over all workers (0 = as fast as they open). */
  openPerS?: number;
  /** Deadline per connection to open and subscribe (default 10 s). */
  connectTimeoutMs?: number;
  onTick?: (t: TickMsg) => void;
  /** Frames forwarded in 'frames' mode; the connection index is the pool-wide index into `conns`. */
  onFrames?: (f: FrameMsg) => void;
  onProgress?: (open: number, failed: number) => void;
}

export interface PoolReady {
  open: number;
  failed: number;
  errors: string[];
}

export interface PoolFinal {
  hist: Histogram;
  streams: Map<number, { unique: number; subscribers: number }>;
  duplicated: number;
  outOfOrder: number;
  unexpected: number;
  disconnects: number;
  closeReasons: string[];
}

export class SubscriberPool {
  private readonly workers: Worker[] = [];
  private readonly progress = new Map<number, { open: number; failed: number }>();
  readonly size: number;

  constructor(private readonly options: PoolOptions) {
    const wanted = options.workers && options.workers > 0 ? options.workers : Math.min(4, availableParallelism());
    this.size = Math.max(1, Math.min(wanted, options.conns.length));
  }

  /** Starts the workers and resolves once every connection is open and subscribed (or failed). */
  async start(): Promise<PoolReady> {
    const o = this.options;
    const slices: ConnSpec[][] = Array.from({ length: this.size }, () => []);
    o.conns.forEach((c, i) => slices[i % this.size]!.push(c));
    const timeout = o.connectTimeoutMs ?? 10_000;
    const readies = slices.map(
      (conns, workerId) =>
        new Promise<PoolReady>((resolve, reject) => {
          const init: WorkerInit = {
            workerId,
            app: o.app,
            conns,
            mode: o.mode,
            measureFromUs: o.measureFromUs ?? Number.MAX_SAFE_INTEGER,
            openPerS: (o.openPerS ?? 0) / this.size,
            connectTimeoutMs: timeout,
          };
          // tsx is registered inside the worker so it can load the TypeScript module (workers do not inherit loader hooks).
          const w = new Worker(
            `import(${JSON.stringify(TSX_API)}).then((m) => { m.register(); return import(${JSON.stringify(WORKER_URL)}); })`,
            { eval: true, workerData: init },
          );
          this.workers.push(w);
          w.on('message', (m: FromWorker) => {
            if (m.type === 'ready') resolve(m);
            else if (m.type === 'tick') o.onTick?.(m);
            else if (m.type === 'frames') {
              // Workers number their connections locally; connection i of the pool went to worker i % size.
              for (const f of m.frames) f[0] = f[0] * this.size + m.workerId;
              o.onFrames?.(m);
            } else if (m.type === 'progress') {
              this.progress.set(m.workerId, m);
              let open = 0;
              let failed = 0;
              for (const p of this.progress.values()) ((open += p.open), (failed += p.failed));
              o.onProgress?.(open, failed);
            } else if (m.type === 'error') reject(new Error(`subscriber worker ${m.workerId}: ${m.message}`));
          });
          w.on('error', reject);
        }),
    );
    const deadline = timeout + (o.openPerS ? (o.conns.length / o.openPerS) * 1000 * 2 : 0) + 15_000;
    const all = await withDeadline(Promise.all(readies), deadline, 'subscriber workers did not finish connecting');
    return {
      open: all.reduce((a, r) => a + r.open, 0),
      failed: all.reduce((a, r) => a + r.failed, 0),
      errors: all.flatMap((r) => r.errors).slice(0, 5),
    };
  }

  send(m: ToWorker): void {
    for (const w of this.workers) w.postMessage(m);
  }

  /**
   * Asks every worker for its accounting over `ranges` (stream → [first, last] in-window seq), leaving out
   * the `excluded` seqs (publishes the hub never accepted).
   */
  async finish(ranges: Record<number, [number, number]>, excluded?: Record<number, number[]>): Promise<PoolFinal> {
    const finals = await withDeadline(
      Promise.all(
        this.workers.map(
          (w) =>
            new Promise<FinalMsg>((resolve) => {
              const on = (m: FromWorker): void => {
                if (m.type !== 'final') return;
                w.off('message', on);
                resolve(m);
              };
              w.on('message', on);
              w.postMessage({ type: 'finish', ranges, excluded } satisfies ToWorker);
            }),
        ),
      ),
      15_000,
      'subscriber workers did not report their figures',
    );
    const hist = createHistogram();
    const streams = new Map<number, { unique: number; subscribers: number }>();
    let duplicated = 0;
    let outOfOrder = 0;
    let unexpected = 0;
    let disconnects = 0;
    const closeReasons: string[] = [];
    for (const f of finals) {
      mergeEncoded(hist, f.hist);
      for (const [k, v] of Object.entries(f.streams)) {
        const s = streams.get(Number(k)) ?? { unique: 0, subscribers: 0 };
        s.unique += v.unique;
        s.subscribers += v.subscribers;
        streams.set(Number(k), s);
      }
      duplicated += f.duplicated;
      outOfOrder += f.outOfOrder;
      unexpected += f.unexpected;
      disconnects += f.disconnects;
      closeReasons.push(...f.closeReasons);
    }
    return { hist, streams, duplicated, outOfOrder, unexpected, disconnects, closeReasons: closeReasons.slice(0, 5) };
  }

  async close(): Promise<void> {
    this.send({ type: 'close' });
    await Promise.all(
      this.workers.map((w) =>
        withDeadline(new Promise<void>((r) => w.once('exit', () => r())), 5_000, 'worker exit').catch(() => w.terminate()),
      ),
    );
  }
}

export function withDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HubproofError('HUBPROOF_ERR_TIMEOUT', `${what} within ${Math.round(ms)} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
