/** Stand-in for k6/timers: Node timers that keep the iteration open while they are pending. */
import { hold, release } from './state.ts';

const live = new Map<number, NodeJS.Timeout>();
let next = 1;

export function setTimeout(fn: (...args: unknown[]) => void, delay: number, ...args: unknown[]): number {
  const id = next++;
  hold();
  live.set(
    id,
    globalThis.setTimeout(() => {
      live.delete(id);
      try {
        fn(...args);
      } finally {
        release();
      }
    }, delay),
  );
  return id;
}

export function clearTimeout(id: number): void {
  const t = live.get(id);
  if (!t) return;
  globalThis.clearTimeout(t);
  live.delete(id);
  release();
}

export function setInterval(fn: (...args: unknown[]) => void, delay: number, ...args: unknown[]): number {
  const id = next++;
  hold();
  live.set(
    id,
    globalThis.setInterval(() => fn(...args), delay),
  );
  return id;
}

export function clearInterval(id: number): void {
  const t = live.get(id);
  if (!t) return;
  globalThis.clearInterval(t);
  live.delete(id);
  release();
}
