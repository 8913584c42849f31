/**
 * The open-model send schedule. Send i is due at `startUs + i / rate`, whatever the hub did with send
 * i − 1; when the driver wakes late it issues every overdue send at once, each still stamped with its own
 * scheduled time. Latency measured from that stamp includes any stall (coordinated omission corrected).
 */
import { nowUs } from '../measure/clock.ts';
import { createHistogram, type Histogram } from '../measure/histogram.ts';

export class OpenSchedule {
  private next = 0;
  readonly intervalUs: number;

  constructor(
    readonly startUs: number,
    readonly rate: number,
    readonly endUs: number,
  ) {
    if (!(rate > 0)) throw new TypeError(`schedule rate must be > 0, got ${rate}`);
    this.intervalUs = 1e6 / rate;
  }

  scheduledAt(i: number): number {
    return this.startUs + i * this.intervalUs;
  }

  /** Sends due by `now`, in order, as [index, scheduledUs]; each index is returned once. */
  due(now: number): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    for (;;) {
      const at = this.scheduledAt(this.next);
      if (at > now || at >= this.endUs) break;
      out.push([this.next, at]);
      this.next++;
    }
    return out;
  }

  get done(): boolean {
    return this.scheduledAt(this.next) >= this.endUs;
  }

  get issued(): number {
    return this.next;
  }
}

export interface ScheduleRun {
  issued: number;
  /** Issue time − scheduled time, µs. */
  sendLag: Histogram;
}

/**
 * Drives `schedule` on timers until it is done, calling `send(i, scheduledUs)` for each due send.
 * Wakes every millisecond; a late wake-up shows as send lag, never as a shifted schedule.
 */
export function runSchedule(
  schedule: OpenSchedule,
  send: (i: number, scheduledUs: number) => void,
  /** Send lag is recorded only for sends scheduled from here on (the measured window). */
  measureFromUs = 0,
): Promise<ScheduleRun> {
  const sendLag = createHistogram();
  return new Promise((resolve) => {
    const step = (): void => {
      const now = nowUs();
      for (const [i, at] of schedule.due(now)) {
        if (at >= measureFromUs) sendLag.recordValue(Math.max(1, nowUs() - at));
        send(i, at);
      }
      if (schedule.done) {
        resolve({ issued: schedule.issued, sendLag });
        return;
      }
      const wait = (schedule.scheduledAt(schedule.issued) - nowUs()) / 1000;
      setTimeout(step, Math.max(0, Math.min(wait - 0.5, 50)));
    };
    step();
  });
}
