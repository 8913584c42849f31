/**
 * What the stand-in k6 modules share inside one VU worker: who the VU is, the current iteration, the
 * test clock, the async work still pending (an iteration ends when its function returned and nothing is
 * pending, as in k6), and the metric samples waiting to go to the engine.
 */
export interface VuState {
  vuId: number;
  scenario: string;
  iterationInTest: number;
  testStartMs: number;
  pending: number;
  /** Called when `pending` drops to 0. */
  onIdle: (() => void) | undefined;
}

export const state: VuState = { vuId: 0, scenario: '', iterationInTest: 0, testStartMs: Date.now(), pending: 0, onIdle: undefined };

export function hold(): void {
  state.pending++;
}

export function release(): void {
  state.pending--;
  if (state.pending === 0) state.onIdle?.();
}

export type MetricType = 'counter' | 'trend' | 'rate' | 'gauge';

/** name → [type, summed value (counter), samples (trend/rate/gauge)] since the last flush. */
export const samples = new Map<string, { type: MetricType; isTime: boolean; sum: number; values: number[] }>();

export function sample(name: string, type: MetricType, isTime: boolean, value: number): void {
  let s = samples.get(name);
  if (!s) samples.set(name, (s = { type, isTime, sum: 0, values: [] }));
  if (type === 'counter') s.sum += value;
  else s.values.push(value);
}

/** Metrics declared (even without samples), so thresholds on them evaluate as k6 does. */
export const declared = new Map<string, { type: MetricType; isTime: boolean }>();
