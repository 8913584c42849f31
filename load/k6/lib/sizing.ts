/**
 * How many frames per second one subscriber VU is planned to take. A VU is one JavaScript event loop: every
 * frame its sockets receive runs on it, one after another. Past some rate it cannot keep up: its
 * receive-loop lag grows without bound, frames queue in k6's socket goroutines and events are "lost" at
 * close. Measured on this project's 2-core AMD EPYC VM (2026-12-07, k6 v2.2.0 against `hubproof hub`,
 * default timers, under the machine lock while other work kept the load average at 2-11), one VU of 50
 * sockets of one channel:
 *   npx tsx bench/k6-runs.ts --k6 k6 --runs 2 --script fanout -e RATE=R -e CHANNELS=1 -e SUBSCRIBERS=50 \
 *     -e SOCKETS_PER_VU=50 -e VU_CEILING=100000          (R = 40, 60, 80, 100, 140)
 *   2000 frames/s: valid in 1 of 2 runs (lag p99 6 and 54 ms)     3000/s: 1 of 2 (17 and 46 ms)
 *   4000/s: 0 of 2 (79 and 672 ms, reach 0.98, 0.70)      5000/s, 7000/s: 0 of 4 (171-1389 ms)
 * It saturates between 3000 and 4000 frames/s; 1500 is under half of that, and below the 2000/s at which a
 * busy machine's stalls alone already showed. Measure yours the same way and set `-e VU_CEILING=…`; a VU
 * that goes past it (or whose receive loop lags past MAX_LAG_MS) makes the run INVALID rather than a
 * verdict on the hub.
 */
export const DEFAULT_VU_CEILING = 1500;
/**
 * Sends per second one sending VU is planned to start: one request in flight per VU, so 10/s leaves each
 * request 100 ms (http p99 reached 35-118 ms in busy-machine runs at the defaults).
 */
export const DEFAULT_SEND_VU_RATE = 10;
/** Sending VUs allocated up front at any rate (a 40/s send on 2 VUs that could grow to 4 dropped iterations on a busy machine). */
export const MIN_SEND_VUS = 10;
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
  const most = Math.max(
    1,
    Math.min(sockets, socketsPerVu && socketsPerVu > 0 ? Math.floor(socketsPerVu) : Math.min(MAX_SOCKETS_PER_VU, fit || 1)),
  );
  // As few VUs as the ceiling allows, the sockets spread evenly over them (60, 60, 60, 20 becomes 4 × 50).
  const per = socketsPerVu && socketsPerVu > 0 ? most : Math.max(1, Math.ceil(sockets / Math.ceil(sockets / most)));
  return {
    socketsPerVu: per,
    vus: Math.max(1, Math.ceil(sockets / per)),
    perSocketRate,
    perVuRate: per * perSocketRate,
    ceiling,
    overCeiling: perSocketRate > ceiling,
  };
}

export interface SenderPlan {
  /** VUs k6 starts with for a sending scenario, and the most it may add when they are all busy. */
  preAllocatedVUs: number;
  maxVUs: number;
  /** Iterations per second each VU was planned to start. */
  perVuRate: number;
}

/**
 * VUs for a constant-arrival-rate scenario of `rate` iterations/s, each VU planned to start at most
 * `perVuRate` of them a second. A send is one synchronous HTTP request, so a VU starts its next only once the
 * hub answered. All are allocated up front and k6 may add none: a VU initialised mid-run runs the whole
 * script's init on the machine's cores, and in the runs that let k6 add them (maxVUs twice the
 * preallocated) the subscriber VUs lagged and iterations were dropped anyway (agents at its defaults: 3 of
 * 3 INVALID, lag p99 38-197 ms; with none added: 2 of 2 PASS, lag p99 4 and 6 ms). An iteration k6 could not
 * start on time is a dropped iteration, and the run is INVALID.
 */
export function planSenders(rate: number, perVuRate = DEFAULT_SEND_VU_RATE): SenderPlan {
  if (!(perVuRate > 0)) throw new TypeError(`SEND_VU_RATE must be > 0, got ${perVuRate}`);
  const vus = Math.max(MIN_SEND_VUS, Math.ceil(rate / perVuRate));
  return { preAllocatedVUs: vus, maxVUs: vus, perVuRate };
}

/**
 * What a run costs k6 in CPU, ms: per send (one HTTP request started by a constant-arrival-rate iteration:
 * a signed Pusher publish, or a presence update) and per delivery (one WebSocket frame handed to a VU and
 * counted). Measured with bench/k6-runs.ts under the machine lock on a 2-core AMD EPYC VM, 2026-12-07, k6
 * v2.2.0 against `hubproof hub` (default timers), two runs each, k6's CPU over the whole run from /proc,
 * differences between runs that add only sends or only deliveries:
 *   fanout   RATE=20|200 CHANNELS=10 SUBSCRIBERS=1|20    → 1.19 ms a publish, 0.078 ms a delivery
 *   presence RATE=20|100 CHANNELS=10 SUBSCRIBERS=1|4     → 1.8 ms an update,  0.080 ms a delivery
 * (the reference hub took 0.76 ms a publish, 1.45 ms an update and 0.013 ms a delivery in the same runs).
 * Most of a send is k6's own: an empty iteration costs 0.23 ms, a bare http.post 0.65 ms more.
 */
export const PUBLISH_CPU_MS = 1.2;
export const PRESENCE_UPDATE_CPU_MS = 1.8;
export const DELIVERY_CPU_MS = 0.08;
/** Cores kept for a hub under test on the same machine (the reference hub on loopback). */
export const HUB_CORES = 1;
/**
 * Of the cores left, the share k6 is planned to use: the rest is headroom (Go's GC, the OS, other work). At
 * 0.5 (fanout 170/s on 2 cores) fanout was valid in 1 of 4 runs under the lock, its subscriber VUs lagging
 * 25-127 ms with k6 at 40 % of a core: the machine's other work, not k6's CPU, was the limit.
 */
export const K6_SHARE = 0.35;
/** k6 cannot see the machine's cores: a plain `k6 run` sizes for 2 (`-e CORES=N`; `hubproof load --engine k6` passes them). */
export const DEFAULT_CORES = 2;

export interface RateSize {
  /** The rate to run: the scenario's, or lower when that would not fit the machine. */
  rate: number;
  /** The scenario's rate. */
  full: number;
  cores: number;
  /** k6 CPU (cores) the run is planned to use at `rate`, and the budget it had. */
  plannedCores: number;
  budgetCores: number;
}

/** Two significant digits, rounded down: 227 → 220. */
function roundDown(x: number): number {
  if (x < 10) return Math.max(1, Math.floor(x));
  const unit = 10 ** (Math.floor(Math.log10(x)) - 1);
  return Math.floor(x / unit) * unit;
}

/**
 * The send rate k6 runs on `cores` cores: the scenario's `rate` when its sends (`sendCpuMs` each) and
 * their `deliveriesPerSend` deliveries fit k6's share of the machine, else the highest round rate that does.
 */
export function sizeRate(rate: number, o: { sendCpuMs: number; deliveriesPerSend: number }, cores: number): RateSize {
  if (!(cores > 0)) throw new TypeError(`CORES must be > 0, got ${cores}`);
  const budgetCores = Math.max(0.25, (cores - HUB_CORES) * K6_SHARE);
  const perSendMs = o.sendCpuMs + o.deliveriesPerSend * DELIVERY_CPU_MS;
  const fits = (budgetCores * 1000) / perSendMs;
  const sized = rate <= fits ? rate : roundDown(fits);
  const round2 = (x: number): number => Math.round(x * 100) / 100;
  return { rate: sized, full: rate, cores, plannedCores: round2((sized * perSendMs) / 1000), budgetCores: round2(budgetCores) };
}
