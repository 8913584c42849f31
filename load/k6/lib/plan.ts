/**
 * The send schedule as every socket can compute it on its own, on one k6 instance or many: iteration i of
 * a constant-arrival-rate scenario (k6's iterationInTest, unique across instances) goes to stream
 * i mod streams with sequence number ⌊i / streams⌋ + 1; the first ⌈rate × warmupS⌉ iterations are warm-up.
 * So a socket knows which sequence numbers of its streams fall in the measured window, and counts what
 * never came as lost without waiting for a later event to prove the gap.
 */
export interface SendPlan {
  streams: number;
  /** Warm-up iterations (excluded from every figure). */
  warm: number;
  /** All iterations: warm-up plus measured window. */
  total: number;
}

/** k6 starts iteration i at i / rate while that is before the end: ⌈rate × seconds⌉ iterations. */
const iterations = (rate: number, seconds: number): number => Math.ceil(Math.round(rate * seconds * 1e6) / 1e6);

export function sendPlan(rate: number, warmupS: number, durationS: number, streams: number): SendPlan {
  return { streams, warm: iterations(rate, warmupS), total: iterations(rate, warmupS + durationS) };
}

/** How many of the iterations 0 … n−1 go to stream `s`. */
export function countFor(n: number, streams: number, s: number): number {
  return n > s ? Math.floor((n - 1 - s) / streams) + 1 : 0;
}

/** Stream and sequence number of iteration `i`. */
export function streamSeq(plan: SendPlan, i: number): { stream: number; seq: number; inWindow: boolean } {
  return { stream: i % plan.streams, seq: Math.floor(i / plan.streams) + 1, inWindow: i >= plan.warm };
}

/** The measured window's sequence numbers of stream `s`, [from, to] inclusive (to < from when none). */
export function windowSeqs(plan: SendPlan, s: number): [number, number] {
  return [countFor(plan.warm, plan.streams, s) + 1, countFor(plan.total, plan.streams, s)];
}

/** Deliveries expected in the window by one socket that receives `streams` (every stream when undefined). */
export function expectedFor(plan: SendPlan, streams?: number[]): number {
  let n = 0;
  for (const s of streams ?? Array.from({ length: plan.streams }, (_, k) => k)) {
    const [from, to] = windowSeqs(plan, s);
    n += Math.max(0, to - from + 1);
  }
  return n;
}
