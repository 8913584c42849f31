/**
 * The driver's handle on the page fleet running in its own worker thread: the same clock (process.hrtime
 * is process-wide), none of Playwright's per-frame CDP traffic on the driver's event loop.
 */
import { Worker } from 'node:worker_threads';
import { HubproofError, type ErrorCode } from '../../spec/errors.ts';
import type { FleetOpen, FleetRecord } from './page-fleet.ts';
import type { PhaseWindow } from './page-samples.ts';
import type { FleetReply, FleetRequest } from './fleet-worker.ts';
import { chromiumUnavailable } from './chromium.ts';

const TSX_API = import.meta.resolve('tsx/esm/api');
const WORKER_URL = new URL('./fleet-worker.ts', import.meta.url).href;

type Without<T> = T extends unknown ? Omit<T, 'id'> : never;

export class FleetHost {
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private exited: Error | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (m: FleetReply) => {
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      if (m.ok) w.resolve(m.value);
      else w.reject(m.error.code ? new HubproofError(m.error.code as ErrorCode, m.error.message) : new Error(m.error.message));
    });
    const fail = (err: Error): void => {
      this.exited = err;
      for (const w of this.waiting.values()) w.reject(err);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the browser worker exited (${code})`)));
  }

  /** Starts the worker, launches Chromium in it and opens the pages. */
  static async open(o: FleetOpen): Promise<FleetHost> {
    const unavailable = chromiumUnavailable();
    if (unavailable) throw new HubproofError('HUBPROOF_ERR_BROWSER_UNAVAILABLE', unavailable);
    const worker = new Worker(
      `import(${JSON.stringify(TSX_API)}).then((m) => { m.register(); return import(${JSON.stringify(WORKER_URL)}); })`,
      { eval: true },
    );
    const host = new FleetHost(worker);
    try {
      await host.call({ op: 'open', open: o });
    } catch (err) {
      await host.close();
      throw err;
    }
    return host;
  }

  private call(req: Without<FleetRequest>): Promise<unknown> {
    if (this.exited) return Promise.reject(this.exited);
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ ...req, id });
    });
  }

  /** Waits for the browser to settle after opening its pages, then maps the page clocks. */
  prepare(): Promise<{ waitedMs: number; busyPct: number | undefined; quiet: boolean }> {
    return this.call({ op: 'prepare' }) as Promise<{ waitedMs: number; busyPct: number | undefined; quiet: boolean }>;
  }

  startDraining(): Promise<void> {
    return this.call({ op: 'start' }) as Promise<void>;
  }

  finish(window: PhaseWindow, sentInWindow: number): Promise<FleetRecord> {
    return this.call({ op: 'finish', window, sentInWindow }) as Promise<FleetRecord>;
  }

  async close(): Promise<void> {
    if (!this.exited) await this.call({ op: 'close' }).catch(() => undefined);
    await this.worker.terminate();
  }
}
