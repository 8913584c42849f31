/**
 * Waits for the hub to close the connections the run abandoned, and times it per kind. A destroyed or
 * unresponsive client subscribed to a probe channel of its own: the hub has let go of it when the HTTP
 * API no longer lists that channel (polled every `pollMs`). A silent client sees the hub's close itself.
 * Past the deadline the connection counts as not reaped and hubproof closes it, so one failure does not
 * reappear as a leftover or a leak.
 */
import type { HubApi } from './hub-api.ts';
import type { SoakClient } from './soak-client.ts';
import { REAP_KINDS, type ReapFigures, type ReapKind } from './soak-types.ts';

interface Pending {
  kind: ReapKind;
  client: SoakClient;
  /** performance.now() the clock starts from: left (destroyed, unresponsive) or connected (silent). */
  from: number;
  probe?: string;
  label: string;
  /** Seconds to reaping, or null: not reaped by the deadline. */
  tookS?: number | null;
}

export class ReapWatch {
  private readonly all: Pending[] = [];
  private open: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private drained: Array<() => void> = [];
  private stopped = false;

  constructor(
    private readonly api: HubApi,
    private readonly probePrefix: string,
    private readonly deadlineMs: number,
    private readonly pollMs = 250,
  ) {}

  add(kind: ReapKind, client: SoakClient, from: number, label: string, probe?: string): void {
    // A client that finished opening after the run ended is not watched: it is closed at once.
    if (this.stopped) return client.destroy();
    const p: Pending = { kind, client, from, label, ...(probe ? { probe } : {}) };
    this.all.push(p);
    this.open.push(p);
    if (kind === 'silent') void client.closed.then((c) => this.resolve(p, (c.at - p.from) / 1000));
    this.timer ??= setInterval(() => void this.tick(), this.pollMs);
  }

  /** Connections still waiting for the hub. */
  get awaiting(): number {
    return this.open.length;
  }

  /** Resolves once every connection added so far was reaped or passed its deadline. */
  drain(): Promise<void> {
    if (this.open.length === 0) return Promise.resolve();
    return new Promise((r) => this.drained.push(r));
  }

  /** Stops watching and destroys every client it was given (reaped ones stay open on this side until now, as dead peers do). */
  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
    for (const p of this.all) p.client.destroy();
  }

  private resolve(p: Pending, tookS: number | null): void {
    if (p.tookS !== undefined) return;
    p.tookS = tookS;
    this.open = this.open.filter((x) => x !== p);
    if (tookS === null) p.client.destroy();
    if (this.open.length === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
      for (const r of this.drained.splice(0)) r();
    }
  }

  private async tick(): Promise<void> {
    const now = performance.now();
    for (const p of [...this.open]) if (now - p.from > this.deadlineMs) this.resolve(p, null);
    if (this.polling || !this.open.some((p) => p.probe)) return;
    this.polling = true;
    try {
      const asked = performance.now();
      const listed = await this.api.channels(this.probePrefix);
      if (!listed) return;
      const occupied = new Set(listed.map((c) => c.name));
      // The hub had let go no later than when it answered; count from when it was asked, the earlier bound.
      for (const p of [...this.open]) if (p.probe && !occupied.has(p.probe) && asked >= p.from) this.resolve(p, (asked - p.from) / 1000);
    } finally {
      this.polling = false;
    }
  }

  figures(): ReapFigures[] {
    return REAP_KINDS.map((kind) => {
      const mine = this.all.filter((p) => p.kind === kind);
      const times = mine
        .map((p) => p.tookS)
        .filter((t): t is number => typeof t === 'number')
        .sort((a, b) => a - b);
      const late = mine.filter((p) => p.tookS === null);
      return {
        kind,
        count: mine.length,
        reaped: times.length,
        notReaped: late.length,
        p50S: times.length ? round(times[times.length >> 1]!) : null,
        maxS: times.length ? round(times.at(-1)!) : null,
        examples: late
          .slice(0, 3)
          .map((p) => `${p.label}: still open ${round(this.deadlineMs / 1000)} s after it ${kind === 'silent' ? 'connected' : 'left'}`),
      };
    });
  }
}

const round = (x: number): number => Math.round(x * 100) / 100;
