/**
 * One k6 VU of the stand-in: a worker thread that loaded its own copy of the bundled script (as each k6 VU
 * has its own JavaScript runtime). It runs the exec functions the engine sends, reports when an iteration's
 * async work (sockets, timers) is done, and ships its metric samples to the engine.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { declared, samples, state } from './modules/state.ts';

type Message =
  | { type: 'start'; testStartMs: number }
  | { type: 'iterate'; exec: string; scenario: string; iteration: number; data: unknown }
  | { type: 'flush' }
  | { type: 'summary'; data: unknown };

export function runVu(mod: Record<string, unknown>): void {
  const init = workerData as { vuId: number; testStartMs: number };
  const port = parentPort!;
  state.vuId = init.vuId;
  state.testStartMs = init.testStartMs;

  const flush = (): void => {
    if (samples.size === 0) return;
    port.postMessage({ type: 'samples', samples: [...samples.entries()] });
    samples.clear();
  };
  setInterval(flush, 500).unref();

  const idle = (): Promise<void> =>
    new Promise((resolve) => {
      if (state.pending === 0) return resolve();
      state.onIdle = () => {
        state.onIdle = undefined;
        resolve();
      };
    });

  port.on('message', async (m: Message) => {
    if (m.type === 'start') state.testStartMs = m.testStartMs;
    else if (m.type === 'iterate') {
      state.scenario = m.scenario;
      state.iterationInTest = m.iteration;
      let result: unknown;
      let error: string | undefined;
      try {
        result = (mod[m.exec] as (d: unknown) => unknown)(m.data);
      } catch (err) {
        error = (err as Error).message;
      }
      await idle();
      flush();
      port.postMessage({ type: 'done', result: result === undefined ? undefined : JSON.parse(JSON.stringify(result)), error });
    } else if (m.type === 'flush') {
      flush();
      port.postMessage({ type: 'flushed' });
    } else if (m.type === 'summary') {
      port.postMessage({ type: 'summary', out: (mod.handleSummary as (d: unknown) => Record<string, string>)(m.data) });
    }
  });
  port.postMessage({
    type: 'ready',
    options: plain(mod.options ?? {}),
    declared: [...declared.entries()],
    exports: Object.keys(mod),
    values: plainExports(mod),
  });
}

const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v ?? null));

/** The script's exported data (not functions), for tests that compare what k6 would run. */
function plainExports(mod: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(mod)) if (typeof v !== 'function') out[k] = plain(v);
  return out;
}
