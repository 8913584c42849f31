/**
 * Channel registry: channel → the connections subscribed to it. Publishing encodes and frames the
 * message once and writes those same bytes to every subscriber: no per-subscriber JSON or framing work.
 */
import type { PusherConnection } from './connection.ts';
import { textFrame } from '../wire/text-frame.ts';

export class ChannelRegistry {
  private readonly subscribers = new Map<string, Set<PusherConnection>>();

  /** Adds `conn`; true when the channel went from empty to occupied. */
  // implements: pusher/subscribe/6 — a set: a second subscribe of one connection adds nothing
  add(channel: string, conn: PusherConnection): boolean {
    let set = this.subscribers.get(channel);
    const occupied = set === undefined;
    if (set === undefined) {
      set = new Set();
      this.subscribers.set(channel, set);
    }
    set.add(conn);
    return occupied;
  }

  /** Removes `conn`; true when that left the channel empty (vacated). */
  remove(channel: string, conn: PusherConnection): boolean {
    const set = this.subscribers.get(channel);
    if (set === undefined || !set.delete(conn)) return false;
    if (set.size > 0) return false;
    this.subscribers.delete(channel);
    return true;
  }

  count(channel: string): number {
    return this.subscribers.get(channel)?.size ?? 0;
  }

  /** Every (channel, subscriber) pair, channel by channel, in subscription order. */
  *entries(): Generator<[string, PusherConnection]> {
    for (const [channel, set] of this.subscribers) for (const conn of set) yield [channel, conn];
  }

  /** Occupied channel names. */
  names(): IterableIterator<string> {
    return this.subscribers.keys();
  }

  /** Writes `frame` to every subscriber except `except`; returns how many it was written to. */
  // implements: pusher/subscribe/3, pusher/subscribe/7, sync/delivery/5
  // implements: sync/propagation/1 — framed once and written to every subscriber's socket in the same turn
  publish(channel: string, frame: string, except?: PusherConnection): number {
    const set = this.subscribers.get(channel);
    if (set === undefined) return 0;
    const bytes = textFrame(Buffer.from(frame));
    let sent = 0;
    for (const conn of set) {
      if (conn === except) continue;
      conn.sendFramed(bytes);
      sent++;
    }
    return sent;
  }
}
