/**
 * Waiting on what a case records (frames at the scripted hub, observations from the driver): anything
 * that records calls `notify()`, and `until` re-checks its condition on every notification, so a wait
 * ends the moment the condition holds, not on the next poll.
 */
import { CaseAbortedError } from '../clients/wait.ts';

export class Changes {
  private readonly waiters = new Set<() => void>();

  notify(): void {
    for (const w of [...this.waiters]) w();
  }

  /**
   * The first truthy value of `check()` (checked now and on every change), or undefined once `ms` passed.
   * Rejects with CaseAbortedError when `signal` aborts (the case's deadline).
   */
  until<T>(check: () => T | undefined | false | null, ms: number, signal: AbortSignal): Promise<T | undefined> {
    return new Promise<T | undefined>((resolve, reject) => {
      const now = check();
      if (now) return resolve(now);
      if (signal.aborted) return reject(new CaseAbortedError('case deadline passed'));
      const finish = (value: T | undefined, error?: Error) => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
        signal.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve(value);
      };
      const waiter = () => {
        const v = check();
        if (v) finish(v);
      };
      const onAbort = () => finish(undefined, new CaseAbortedError('case deadline passed'));
      const timer = setTimeout(() => finish(undefined), ms);
      this.waiters.add(waiter);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
