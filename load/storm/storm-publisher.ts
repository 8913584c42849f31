/**
 * The storm's publisher: one event every 1/rate s, round-robin over the fleet's channels, through the
 * hub's HTTP API, whether the hub is up or not (open model: the schedule does not wait). Each event
 * carries its number; every publish is recorded with when it was sent and answered.
 */
import { HubApi } from '../soak/hub-api.ts';
import type { TargetFile } from '../../spec/target.ts';

export interface PublishRecord {
  n: number;
  channel: string;
  sentAt: number;
  /** When the answer came (or the request failed); null while in flight. */
  answeredAt: number | null;
  /** HTTP status; 0 when the request failed (refused, reset, timed out). */
  status: number;
}

export class StormPublisher {
  readonly records: PublishRecord[] = [];
  private readonly api: HubApi;
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    target: TargetFile,
    private readonly channels: string[],
    private readonly rate: number,
  ) {
    this.api = new HubApi(target, 16);
  }

  start(): void {
    const t0 = performance.now();
    const step = 1000 / this.rate;
    const tick = () => {
      // Catch up on slots the loop missed rather than drift (a herd can stall the driver briefly).
      while (t0 + this.records.length * step <= performance.now()) this.publish();
      this.timer = setTimeout(tick, Math.max(1, t0 + this.records.length * step - performance.now()));
    };
    tick();
  }

  private publish(): void {
    const n = this.records.length;
    const rec: PublishRecord = {
      n,
      channel: this.channels[n % this.channels.length]!,
      sentAt: performance.now(),
      answeredAt: null,
      status: 0,
    };
    this.records.push(rec);
    const p = this.api
      .publish([rec.channel], 'storm', JSON.stringify({ n }))
      .then(
        (res) => void (rec.status = res.status),
        () => void (rec.status = 0),
      )
      .finally(() => {
        rec.answeredAt = performance.now();
        this.inFlight.delete(p);
      });
    this.inFlight.add(p);
  }

  /** Stops publishing; resolves once every publish in flight was answered (the HTTP client's timeout bounds it). */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    await Promise.all([...this.inFlight]);
    this.api.close();
  }
}
