/** The storm scenario's figures (docs/storm.md): how a fleet comes back from a hub restart. */

/** Percentiles of a set of durations, seconds (null when the set is empty). */
export interface DurationFigures {
  count: number;
  p50S: number | null;
  p99S: number | null;
  maxS: number | null;
}

/** One second of the run (t: seconds since the fleet was subscribed and publishing began). */
export interface StormSecond {
  t: number;
  /** Clients whose connection came up (pusher-js state `connected`) this second. */
  reconnects: number;
  /** Subscriptions (re)confirmed this second (`pusher:subscription_succeeded`). */
  restored: number;
  /** Publishes sent, and those the hub refused or did not answer. */
  published: number;
  refused: number;
  /** Events that arrived at a subscription this second. */
  delivered: number;
  /** The hub was down (stopped, not yet answering) during some of this second. */
  down: boolean;
}

export interface StormFigures {
  /** Who the clients were: real pusher-js instances (its version), one connection each. */
  client: { library: 'pusher-js'; version: string };
  clients: number;
  /** Subscriptions held: every client holds one public, one private and one presence channel of its group. */
  subscriptions: number;
  groups: number;
  /** How the hub was restarted, and when (seconds since t = 0 of the timeline). */
  restart: {
    how: string;
    /** Downtime asked for (embedded hub), null when the target's command decides. */
    outageAskedS: number | null;
    downAtS: number;
    /** When the hub answered again (the restart resolved). */
    backAtS: number;
  };
  /** Per client: from the stop to the client seeing its connection go (pusher-js leaving `connected`). */
  noticed: DurationFigures;
  /** Per client: from the hub answering again to its connection being up again. */
  reconnect: DurationFigures;
  /** Per client: from the hub answering again until all three of its subscriptions were confirmed again. */
  restore: DurationFigures & { unrestoredSubscriptions: number };
  /**
   * How the reconnects were spread: first to last, and the middle 80 % (10th to 90th percentile). A fleet
   * whose middle 80 % came back within 250 ms reconnected in lock-step.
   */
  spread: { firstToLastMs: number | null; p10ToP90Ms: number | null; peakPerSecond: number; lockStep: boolean };
  /**
   * Events across the restart (docs/storm.md#lost): an event is owed to a subscription when its publish was
   * sent after the subscription was confirmed and accepted before the client lost it, and either accepted
   * before the stop or sent after the hub answered again. Events sent while the hub was going down or down
   * are owed to nobody; publishes the hub refused are publish errors.
   */
  events: {
    published: number;
    accepted: number;
    /** Refused or unanswered while the hub was down or coming back: expected, not judged. */
    refusedDuringOutage: number;
    /** Refused or unanswered outside the outage: publish errors, judged by maxPublishErrors. */
    refusedOutside: number;
    expected: number;
    received: number;
    lost: number;
    duplicated: number;
    /** `client 3 private-storm-ab-1: event 57 (sent 12.3 s, 4.1 s after its subscription was restored)`. */
    lostSamples: string[];
  };
  /** Presence views checked once the fleet was back: each restored client's member count and `me`. */
  presence: { checked: number; wrong: number; samples: string[] };
  timeline: StormSecond[];
}
