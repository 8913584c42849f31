/**
 * Cache channels remember their last event and replay it to each new subscriber; a subscriber to a
 * cache channel with nothing cached gets `pusher:cache_miss`.
 * Source: https://pusher.com/docs/channels/using_channels/cache-channels/
 */
/** Pusher keeps a cached event for 30 minutes. */
export const CACHE_TTL_MS = 30 * 60 * 1000;

// implements: pusher/cache/1
export class EventCache {
  private readonly entries = new Map<string, { frame: string; storedAt: number }>();

  constructor(private readonly now: () => number) {}

  set(channel: string, frame: string): void {
    this.entries.set(channel, { frame, storedAt: this.now() });
  }

  /** The cached frame, or undefined when none is stored or it expired. */
  get(channel: string): string | undefined {
    const entry = this.entries.get(channel);
    if (entry === undefined) return undefined;
    if (this.now() - entry.storedAt > CACHE_TTL_MS) {
      this.entries.delete(channel);
      return undefined;
    }
    return entry.frame;
  }

  /** Every entry as `[channel, frame, storedAt]` (a cluster snapshot). */
  dump(): Array<[string, string, number]> {
    return [...this.entries].map(([channel, e]) => [channel, e.frame, e.storedAt]);
  }

  load(entries: Array<[string, string, number]>): void {
    for (const [channel, frame, storedAt] of entries) this.entries.set(channel, { frame, storedAt });
  }
}

// implements: pusher/cache/2
export function cacheMissFrame(channel: string): string {
  return JSON.stringify({ event: 'pusher:cache_miss', channel });
}
