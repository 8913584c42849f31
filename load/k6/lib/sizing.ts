/**
 * How many sockets one k6 VU may hold. A VU is one JavaScript event loop: every frame its sockets receive
 * runs on it, one after another. Past some message rate it cannot keep up, frames queue in k6's socket
 * goroutines, measured latency grows without bound and events are "lost" at close: on k6 v2.2.0 two VUs of
 * 50 sockets each receiving 25,000 frames/s delivered half of them (reach 0.5) and at 50,000/s a median of
 * 7 s, while four VUs of 50 sockets at 2,500 frames/s each kept up (p99 9 ms). Those runs recorded two
 * k6 metric samples per frame, so a VU processed about 9,600 frames/s at most (250,000 of 500,000
 * deliveries in a 13 s hold over 2 VUs). The scripts now record counts locally and flush them once a
 * second, which only lowers the per-frame cost, so VU_CEILING stays half the observed saturation point and
 * twice the rate proven good. Measure it on your machine and set `-e VU_CEILING=…`; a VU that goes past it
 * (or whose receive loop lags) makes the run INVALID rather than a verdict on the hub.
 */
export const DEFAULT_VU_CEILING = 5000;
/** Sockets per VU regardless of rate: idle sockets still cost a VU its connection setup and pings. */
export const MAX_SOCKETS_PER_VU = 250;

export interface SubscriberPlan {
  /** Sockets per VU (the last VU may hold fewer). */
  socketsPerVu: number;
  vus: number;
  /** Frames per second one socket is expected to receive. */
  perSocketRate: number;
  /** Frames per second the busiest VU is expected to receive. */
  perVuRate: number;
  ceiling: number;
  /** Even one socket per VU receives more than the ceiling: the run cannot be valid on k6. */
  overCeiling: boolean;
}

/**
 * VUs for `sockets` sockets each receiving `perSocketRate` frames/s, at most `ceiling` frames/s per VU.
 * `socketsPerVu` fixes the split instead (the VU health checks still judge the run).
 */
export function planSubscribers(
  sockets: number,
  perSocketRate: number,
  ceiling = DEFAULT_VU_CEILING,
  socketsPerVu?: number,
): SubscriberPlan {
  if (!(ceiling > 0)) throw new TypeError(`VU_CEILING must be > 0, got ${ceiling}`);
  const fit = perSocketRate > 0 ? Math.floor(ceiling / perSocketRate) : sockets;
  const per = Math.max(
    1,
    Math.min(sockets, socketsPerVu && socketsPerVu > 0 ? Math.floor(socketsPerVu) : Math.min(MAX_SOCKETS_PER_VU, fit || 1)),
  );
  return {
    socketsPerVu: per,
    vus: Math.max(1, Math.ceil(sockets / per)),
    perSocketRate,
    perVuRate: per * perSocketRate,
    ceiling,
    overCeiling: perSocketRate > ceiling,
  };
}
