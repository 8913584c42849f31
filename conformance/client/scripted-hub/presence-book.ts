/**
 * Presence members of the scripted hub, per channel and per user: a user is one member however many of
 * its connections hold the channel, and `injected` members (ones the script adds, on no connection)
 * count like any other. Says who was added or removed so the hub can announce it.
 */
export interface Member {
  userId: string;
  info: unknown;
  /** Connection names holding the channel as this user; empty for an injected member. */
  conns: Set<string>;
  injected: boolean;
}

export class PresenceBook {
  private readonly channels = new Map<string, Map<string, Member>>();

  members(channel: string): Map<string, Member> {
    let m = this.channels.get(channel);
    if (!m) this.channels.set(channel, (m = new Map()));
    return m;
  }

  /** `{presence: {ids, hash, count}}` as `subscription_succeeded` carries it. */
  subscriptionData(channel: string): { presence: { ids: string[]; hash: Record<string, unknown>; count: number } } {
    const members = [...this.members(channel).values()];
    return {
      presence: {
        ids: members.map((m) => m.userId),
        hash: Object.fromEntries(members.map((m) => [m.userId, m.info])),
        count: members.length,
      },
    };
  }

  /** True when the user is new to the channel (a `member_added` is due). */
  join(channel: string, userId: string, info: unknown, conn?: string): boolean {
    const members = this.members(channel);
    const existing = members.get(userId);
    if (existing) {
      if (conn) existing.conns.add(conn);
      return false;
    }
    members.set(userId, { userId, info, conns: new Set(conn ? [conn] : []), injected: conn === undefined });
    return true;
  }

  /** True when the user's last connection left (a `member_removed` is due). */
  leave(channel: string, userId: string, conn?: string): boolean {
    const members = this.members(channel);
    const m = members.get(userId);
    if (!m) return false;
    if (conn) m.conns.delete(conn);
    if (conn && m.conns.size > 0) return false;
    members.delete(userId);
    return true;
  }
}
