/**
 * A sync subscriber whose every received event goes into a History. It can be cut, reconnect and
 * recover from the channel's history after its last seq, as an at-least-once client would.
 */
import { syncEventFromWire } from '../../spec/schemas/sync.ts';
import { frameData } from '../../spec/protocol/frames.ts';
import type { PusherSocket } from '../clients/pusher-socket.ts';
import { openPusherSocket } from '../clients/pusher-socket.ts';
import { SyncApi, subscribeSync, type SyncAgent } from '../clients/sync-api.ts';
import { waitUntil } from '../clients/wait.ts';
import type { CaseContext } from '../types.ts';
import type { History } from './recorder.ts';

export interface LiveSubscriberOptions {
  /** Node to connect through (e.g. a fault proxy's URLs); default the context's node. */
  node?: CaseContext['node'];
  /**
   * Recovering subscriber: on (re)connect it reads history after its last seq. Its subscribe entries
   * carry `fromSeq`, so the checker holds it to every stored event after that seq.
   */
  recover?: boolean;
}

export class LiveSubscriber {
  socket: PusherSocket | undefined;
  /** Highest seq held per channel (live or recovered). */
  readonly lastSeq = new Map<string, number>();
  /** Event ids held per channel, for waits. */
  readonly held = new Map<string, Set<string>>();
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly ctx: CaseContext,
    private readonly history: History,
    readonly agent: SyncAgent,
    readonly name: string,
    readonly channels: string[],
    private readonly opts: LiveSubscriberOptions = {},
  ) {}

  /** Subscribes every channel on a fresh socket; a recovering subscriber then reads what it missed. */
  async connect(): Promise<void> {
    const socket = await openPusherSocket(this.ctx, this.opts.node ? { node: this.opts.node } : {});
    this.socket = socket;
    socket.onFrame((f) => {
      if (!f.channel || !this.channels.includes(f.channel) || !syncEventFromWire(f.event)) return;
      this.take(f.channel, socket.label, 'live', f.event, frameData(f));
    });
    void socket.closed.then(() => {
      for (const channel of this.channels) this.history.left({ subscriber: this.name, channel, conn: socket.label, reason: 'closed' });
    });
    // What was held before this connection: live events arriving between subscribe and the history read
    // raise lastSeq, and recovering from that raised value would skip everything in between.
    const held = new Map(this.channels.map((c) => [c, this.lastSeq.get(c) ?? 0]));
    for (const channel of this.channels) {
      await subscribeSync(this.ctx, this.agent, channel, { socket, ...(this.opts.node ? { node: this.opts.node } : {}) });
      const fromSeq = this.opts.recover ? held.get(channel)! : undefined;
      this.history.subscribed({ subscriber: this.name, channel, conn: socket.label, ...(fromSeq === undefined ? {} : { fromSeq }) });
    }
    if (this.opts.recover) await this.recover(held);
  }

  /** Reads each channel's history after `from` (default: the last seq held), through the subscriber's node. */
  async recover(from: Map<string, number> = this.lastSeq): Promise<void> {
    const api = new SyncApi(this.ctx, this.agent, this.opts.node ? { node: this.opts.node } : {});
    for (const channel of this.channels) {
      const page = await api.allEvents(channel, from.get(channel) ?? 0);
      for (const e of page.events) this.take(channel, `${this.socket?.label ?? 'http'}:history`, 'recovered', e.event, e.data);
    }
  }

  /** Marks the start: a recovering subscriber owes everything after the channels' current last seq. */
  async baseline(): Promise<void> {
    const api = new SyncApi(this.ctx, this.agent, this.opts.node ? { node: this.opts.node } : {});
    for (const channel of this.channels) {
      const page = await api.events(channel, { afterSeq: 0, limit: 1 });
      if (!this.lastSeq.has(channel)) this.lastSeq.set(channel, page.last_seq);
    }
  }

  async close(): Promise<void> {
    await this.socket?.close();
  }

  has(channel: string, eventId: string): boolean {
    return this.held.get(channel)?.has(eventId) ?? false;
  }

  /** Waits until `pred` holds (re-checked on every event), with a deadline. */
  waitUntil(pred: () => boolean, timeoutMs: number, desc: string): Promise<void> {
    if (pred()) return Promise.resolve();
    return waitUntil<void>(
      this.ctx,
      (resolve) => {
        const check = () => pred() && resolve();
        this.listeners.add(check);
        return () => this.listeners.delete(check);
      },
      { timeoutMs, desc: `${desc} at ${this.name}` },
    );
  }

  private take(channel: string, conn: string, source: 'live' | 'recovered', event: string, data: unknown): void {
    this.history.received({ subscriber: this.name, channel, conn, source, event, data });
    const d = (data ?? {}) as { seq?: unknown; event_id?: unknown };
    if (typeof d.seq === 'number' && d.seq > (this.lastSeq.get(channel) ?? 0)) this.lastSeq.set(channel, d.seq);
    if (typeof d.event_id === 'string') {
      const set = this.held.get(channel) ?? new Set<string>();
      set.add(d.event_id);
      this.held.set(channel, set);
    }
    for (const fn of [...this.listeners]) fn();
  }
}

/** Reads each channel's full history into the History as the authoritative `stored` entries. */
export async function recordStored(ctx: CaseContext, history: History, agent: SyncAgent, channels: string[]): Promise<void> {
  const api = new SyncApi(ctx, agent);
  for (const channel of new Set(channels)) {
    const page = await api.allEvents(channel, 0);
    history.stored(
      channel,
      page.events.map((e) => ({ seq: e.seq, event_id: e.event_id, event: e.event, data: e.data })),
      page.last_seq,
    );
  }
}
