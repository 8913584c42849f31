/**
 * Progress in registry order while cases finish in any order: a case's lines are written once every case
 * before it is written. So that a long wait early in the list (a heartbeat case waiting for the hub's
 * ping) does not look like a hang, a status line says what is still running: rewritten in place on a
 * terminal, every 30 s of silence in plain output.
 */
import { progressLine } from '../reports/conformance-terminal.ts';
import type { CaseResult } from './types.ts';

export interface OrderedProgressOptions {
  write(s: string): void;
  plain: boolean;
  /** Called for every row, in registry order, as it is written. */
  onResult?: (r: CaseResult) => void;
  /** Plain output: a status line after this much silence (default 30 s). */
  quietMs?: number;
}

export class OrderedProgress {
  private readonly rows: Array<CaseResult[] | undefined>;
  private next = 0;
  private readonly running = new Map<string, number>();
  private lastWrite = performance.now();
  private statusShown = false;
  private readonly timer: NodeJS.Timeout;
  private note: string | undefined;

  constructor(
    total: number,
    private readonly opts: OrderedProgressOptions,
  ) {
    this.rows = new Array<CaseResult[] | undefined>(total);
    this.timer = setInterval(() => this.status(), opts.plain ? 1000 : 500);
    this.timer.unref();
  }

  started(id: string): void {
    this.running.set(id, performance.now());
  }

  /** Stops counting `id` as running (its rows come with done()). */
  stopped(id: string): void {
    this.running.delete(id);
  }

  /** A run-wide condition the status line should show (`hub down since …; waiting up to 30 s`), or undefined. */
  setNote(note: string | undefined): void {
    this.note = note;
    if (note && this.opts.plain) this.line(`… ${note}`);
  }

  /** Final rows of the case at `index`; writes every row now in order. */
  done(index: number, rows: CaseResult[]): void {
    this.rows[index] = rows;
    while (this.next < this.rows.length && this.rows[this.next]) {
      for (const r of this.rows[this.next]!) {
        this.line(progressLine(r, { plain: this.opts.plain }));
        this.opts.onResult?.(r);
      }
      this.next++;
    }
  }

  finish(): void {
    clearInterval(this.timer);
    this.clearStatus();
  }

  private line(text: string): void {
    this.clearStatus();
    this.opts.write(`${text}\n`);
    this.lastWrite = performance.now();
  }

  private clearStatus(): void {
    if (!this.statusShown) return;
    this.opts.write('\r\x1b[2K');
    this.statusShown = false;
  }

  private status(): void {
    if (this.running.size === 0 && !this.note) return;
    const now = performance.now();
    if (this.opts.plain && now - this.lastWrite < (this.opts.quietMs ?? 30_000)) return;
    const longest = [...this.running].sort((a, b) => a[1] - b[1]);
    const shown = longest.slice(0, 3).map(([id, at]) => `${id} (${Math.round((now - at) / 1000)} s)`);
    const more = longest.length > 3 ? ` +${longest.length - 3} more` : '';
    const text = `… ${this.note ? `${this.note}; ` : ''}${this.next} of ${this.rows.length} written; running ${shown.join(', ') || 'nothing'}${more}`;
    if (this.opts.plain) return this.line(text);
    this.opts.write(`\r\x1b[2K${text.slice(0, 160)}`);
    this.statusShown = true;
  }
}
