/**
 * One deadline helper for every wait in the suite: it settles on the first of "condition met",
 * "timeout" (a CheckFailure saying what never came) or "case aborted" (the runner's deadline).
 */
import { CheckFailure, type CaseContext } from '../types.ts';

/** Thrown when the case's own deadline (ctx.signal) ends a wait; the runner reports the timeout. */
export class CaseAbortedError extends Error {
  override readonly name = 'CaseAbortedError';
}

export interface WaitOptions {
  timeoutMs: number;
  /** What was awaited, e.g. `pusher:pong`; used in the failure message. */
  desc: string;
  /** Extra text for the failure's `Actual:` (called lazily at timeout). */
  actual?: () => string;
}

/**
 * `register(resolve, reject)` installs the listeners and returns their cleanup. The returned promise
 * never outlives `timeoutMs` or the case deadline.
 */
export function waitUntil<T>(
  ctx: Pick<CaseContext, 'signal'>,
  register: (resolve: (value: T) => void, reject: (err: unknown) => void) => () => void,
  opts: WaitOptions,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let done = false;
    let cleanup: () => void = () => undefined;
    const finish = (fn: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      ctx.signal.removeEventListener('abort', onAbort);
      cleanup();
      fn();
    };
    const onAbort = () => finish(() => reject(new CaseAbortedError(`case deadline passed while waiting for ${opts.desc}`)));
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(
            new CheckFailure(
              `no ${opts.desc} within ${opts.timeoutMs} ms`,
              opts.desc,
              opts.actual?.() ?? `nothing within ${opts.timeoutMs} ms`,
            ),
          ),
        ),
      opts.timeoutMs,
    );
    if (ctx.signal.aborted) return onAbort();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    cleanup = register(
      (v) => finish(() => resolve(v)),
      (e) => finish(() => reject(e)),
    );
  });
}

/** Sleeps `ms`, or less when the case deadline passes (then rejects). */
export function sleep(ctx: Pick<CaseContext, 'signal'>, ms: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (ctx.signal.aborted) return reject(new CaseAbortedError('case deadline passed'));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CaseAbortedError('case deadline passed'));
    };
    const timer = setTimeout(() => {
      ctx.signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    ctx.signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Per-case counters for connection labels (`ws#1`, `http#3`). Keyed on the case's signal so the
 * per-run child contexts of a property case share one numbering.
 */
const counters = new WeakMap<AbortSignal, Map<string, number>>();
export function nextLabel(ctx: Pick<CaseContext, 'signal'>, prefix: string): string {
  let m = counters.get(ctx.signal);
  if (!m) counters.set(ctx.signal, (m = new Map()));
  const n = (m.get(prefix) ?? 0) + 1;
  m.set(prefix, n);
  return `${prefix}#${n}`;
}

/** Shortens a logged payload so a flood case cannot blow up the report. */
export function clip(text: string, max = 2000): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} chars)`;
}
