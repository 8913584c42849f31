/** One progress line per second: rewritten in place with `\r` on a TTY, plain lines otherwise (CI, pipes). */
import type { TimelineRow } from './driver/broadcast-rig.ts';

export interface Progress {
  line(scenario: string, row: TimelineRow): void;
  note(text: string): void;
  /** Ends a `\r` line so the next output starts clean. */
  done(): void;
}

export function createProgress(stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr, quiet = false): Progress {
  const tty = Boolean(stream.isTTY) && !process.env.CI;
  let dirty = false;
  const format = (scenario: string, r: TimelineRow): string =>
    `${scenario.padEnd(11)} ${String(r.t).padStart(3)}s${r.warmup ? ' warm-up' : '        '}  sent ${String(r.sent).padStart(6)}/s  delivered ${String(r.delivered).padStart(8)}/s  p99 ${r.p99Ms.toFixed(1).padStart(6)} ms  open ${r.open}  driver ${(r.cpuPct / 100).toFixed(2)} cores, lag ${Math.max(r.mainLoopP99Ms, r.workerLoopP99Ms).toFixed(1)} ms${r.hubCpuPct === null ? '' : `  hub ${(r.hubCpuPct / 100).toFixed(2)} cores`}`;
  return {
    line(scenario, row) {
      if (quiet) return;
      if (tty) {
        stream.write(`\r\x1b[K${format(scenario, row)}`);
        dirty = true;
      } else stream.write(`${format(scenario, row)}\n`);
    },
    note(text) {
      if (quiet) return;
      if (dirty) stream.write('\n');
      dirty = false;
      stream.write(`${text}\n`);
    },
    done() {
      if (dirty) stream.write('\n');
      dirty = false;
    },
  };
}

/** The same progress without its per-second lines: what a long benchmark prints unless asked for more. */
export function withoutSeconds(p: Progress): Progress {
  return { ...p, line: () => undefined };
}

export const silentProgress: Progress = { line: () => undefined, note: () => undefined, done: () => undefined };
