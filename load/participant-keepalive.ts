/**
 * Keeps the agents scenario's participants active the way real agents keep themselves: none goes longer
 * than half the hub's heartbeat timeout without a heartbeat. Without it a hub with a short timeout (the
 * embedded hub certify runs both conformance and load against: 2 s) marks participants stale while the
 * subscribers are still opening, and every scheduled heartbeat then fails 404 "participant is stale". On a
 * hub with the default 120 s timeout it sends nothing in a run of minutes. Its requests are upkeep, not
 * load: they are not scheduled, timed or counted.
 */

export interface KeptParticipant {
  id: number;
  token: string;
  sessionId: number;
}

export interface ParticipantKeepAlive {
  /** Starts watching a participant that has just joined. */
  track(p: KeptParticipant): void;
  /** The scenario heartbeated it just now. */
  beaten(participantId: number): void;
  stop(): void;
}

/** `heartbeatTimeoutMs` undefined (the hub does not say): nothing is sent. */
export function keepParticipantsAlive(
  heartbeatTimeoutMs: number | undefined,
  beat: (p: KeptParticipant) => Promise<unknown>,
): ParticipantKeepAlive {
  const last = new Map<number, { p: KeptParticipant; at: number }>();
  const dueAfterMs = (heartbeatTimeoutMs ?? Infinity) / 2;
  const timer =
    heartbeatTimeoutMs === undefined
      ? undefined
      : setInterval(
          () => {
            const now = Date.now();
            for (const entry of last.values()) {
              if (now - entry.at < dueAfterMs) continue;
              entry.at = now;
              // A failed upkeep beat shows up where it matters: the participant's next scheduled heartbeat fails.
              void beat(entry.p).catch(() => undefined);
            }
          },
          Math.max(50, dueAfterMs / 4),
        );
  timer?.unref();
  return {
    track: (p) => void last.set(p.id, { p, at: Date.now() }),
    beaten: (id) => {
      const entry = last.get(id);
      if (entry) entry.at = Date.now();
    },
    stop: () => clearInterval(timer),
  };
}
