/**
 * Presence membership is per USER, not per connection: a user with three tabs is one member.
 * `join` reports only a user's first connection and `leave` only the last one, so member_added and
 * member_removed fire once per user (docs/protocol.md#presence-channels: "Presence is per user").
 */
import type { PusherConnection } from './connection.ts';

interface Member {
  /** `user_info` exactly as the first connection's channel_data carried it; absent when it had none. */
  info: { value: unknown } | undefined;
  connections: Set<PusherConnection>;
}

export interface PresenceSnapshot {
  ids: string[];
  hash: Record<string, unknown>;
  count: number;
}

// implements: pusher/presence/2
export class PresenceRegistry {
  private readonly channels = new Map<string, Map<string, Member>>();

  /** Adds a connection for `userId`; true when this is the user's first connection on the channel. */
  // implements: pusher/presence/4
  join(channel: string, userId: string, info: { value: unknown } | undefined, conn: PusherConnection): boolean {
    let members = this.channels.get(channel);
    if (members === undefined) {
      members = new Map();
      this.channels.set(channel, members);
    }
    const member = members.get(userId);
    if (member !== undefined) {
      member.connections.add(conn);
      return false;
    }
    members.set(userId, { info, connections: new Set([conn]) });
    return true;
  }

  /** Removes a connection; true when it was the user's last one on the channel. */
  // implements: pusher/presence/6
  leave(channel: string, userId: string, conn: PusherConnection): boolean {
    const members = this.channels.get(channel);
    const member = members?.get(userId);
    if (members === undefined || member === undefined || !member.connections.delete(conn)) return false;
    if (member.connections.size > 0) return false;
    members.delete(userId);
    if (members.size === 0) this.channels.delete(channel);
    return true;
  }

  userCount(channel: string): number {
    return this.channels.get(channel)?.size ?? 0;
  }

  userIds(channel: string): string[] {
    return [...(this.channels.get(channel)?.keys() ?? [])];
  }

  /** The subscription ack's `presence` object: each user once. */
  // implements: pusher/presence/1, pusher/presence/2, pusher/presence/3, pusher/presence/10 — a member without user_info is in the hash as null
  snapshot(channel: string): PresenceSnapshot {
    const members = this.channels.get(channel);
    const hash: Record<string, unknown> = {};
    if (members !== undefined) for (const [id, m] of members) hash[id] = m.info === undefined ? null : m.info.value;
    const ids = Object.keys(hash);
    return { ids, hash, count: ids.length };
  }
}

/** `member_added` data: `{user_id, user_info}` with user_info left out when the client sent none. */
// implements: pusher/presence/3, pusher/presence/8
export function memberAddedData(userId: string, info: { value: unknown } | undefined): string {
  return JSON.stringify(info === undefined ? { user_id: userId } : { user_id: userId, user_info: info.value });
}
